-- 0002_duplicates_inputs: near-duplicate signatures and links (ingest/neardup.py), and the
-- stamps of input files already read (ingest/incremental.py), for PostgreSQL. Mirrors
-- migrations/duckdb/0002_duplicates_inputs.sql. Only adds tables: stores at version 1 keep
-- every row. Column lists must match store/base.py (DUPLICATE_COLUMNS, SignatureRecord,
-- InputStamp). Text columns are COLLATE "C" (code-point order, as DuckDB: see 0001).

-- The MinHash signature of each coded article, so that a later run finds near-duplicates
-- of stored articles without reading their texts.
CREATE TABLE article_signatures (
    article_id TEXT COLLATE "C" PRIMARY KEY,
    scheme     TEXT COLLATE "C" NOT NULL,   -- hashing parameters, e.g. "minhash1-w5-k120-r6-s..."
    signature  BYTEA NOT NULL,              -- k little-endian uint32 minimums
    shingles   INTEGER NOT NULL             -- distinct word shingles of the body
);

-- LSH band keys of the signatures: two articles sharing a key are compared.
-- Indexed on band_key, unlike in DuckDB (which hash-joins a scan quickly): each ingest
-- batch looks up a few thousand keys, and without the index PostgreSQL reads the whole
-- table for them. Re-signing deletes by article_id, rare enough to scan.
CREATE TABLE signature_bands (
    band_key   BIGINT NOT NULL,             -- hash of (scheme, band number, band values)
    article_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX signature_bands_band_key ON signature_bands (band_key);

-- Articles not coded because they near-duplicate a coded one (original_id). Kept without
-- text; their metadata lets a story count its sources.
CREATE TABLE duplicates (
    duplicate_id    TEXT COLLATE "C" PRIMARY KEY,
    original_id     TEXT COLLATE "C" NOT NULL,
    similarity      DOUBLE PRECISION NOT NULL,  -- estimated Jaccard similarity of shingles
    scheme          TEXT COLLATE "C" NOT NULL,
    origin          TEXT COLLATE "C",
    url             TEXT COLLATE "C",
    title           TEXT COLLATE "C",
    source          TEXT COLLATE "C",
    lang            TEXT COLLATE "C",
    published       DATE,
    published_month TEXT COLLATE "C",
    detected_at     TIMESTAMP NOT NULL  -- UTC
);
CREATE INDEX duplicates_original_id ON duplicates (original_id);

-- Input files whose every dispatch was stored (coded or linked) by coder_version: a later
-- run skips a file with the same size and modification time without reading it.
CREATE TABLE input_files (
    path          TEXT COLLATE "C" PRIMARY KEY,  -- absolute path
    size          BIGINT NOT NULL,
    mtime_ns      BIGINT NOT NULL,
    coder_version TEXT COLLATE "C" NOT NULL,
    recorded_at   TIMESTAMP NOT NULL             -- UTC
);
