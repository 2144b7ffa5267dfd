-- 0002_duplicates_inputs: near-duplicate signatures and links (ingest/neardup.py), and the
-- stamps of input files already read (ingest/incremental.py). Only adds tables: stores at
-- version 1 keep every row. Column lists must match store/base.py (DUPLICATE_COLUMNS,
-- SignatureRecord, InputStamp).

-- The MinHash signature of each coded article, so that a later run finds near-duplicates
-- of stored articles without reading their texts.
CREATE TABLE article_signatures (
    article_id VARCHAR PRIMARY KEY,
    scheme     VARCHAR NOT NULL,   -- hashing parameters, e.g. "minhash1-w5-k120-r6-s..."
    signature  BLOB NOT NULL,      -- k little-endian uint32 minimums
    shingles   INTEGER NOT NULL    -- distinct word shingles of the body
);

-- LSH band keys of the signatures: two articles sharing a key are compared.
-- Not indexed: ART indexes on these random keys tripled the store (measured: 200k
-- articles, 4M keys: 166 MB without, 503 MB with) and did not speed the batch lookup,
-- which DuckDB runs as a hash join over a scan (~50 ms per 256-article batch at 4M keys).
CREATE TABLE signature_bands (
    band_key   BIGINT NOT NULL,    -- hash of (scheme, band number, band values)
    article_id VARCHAR NOT NULL
);

-- Articles not coded because they near-duplicate a coded one (original_id). Kept without
-- text; their metadata lets a story count its sources.
CREATE TABLE duplicates (
    duplicate_id    VARCHAR PRIMARY KEY,
    original_id     VARCHAR NOT NULL,
    similarity      DOUBLE NOT NULL,   -- estimated Jaccard similarity of word shingles
    scheme          VARCHAR NOT NULL,
    origin          VARCHAR,
    url             VARCHAR,
    title           VARCHAR,
    source          VARCHAR,
    lang            VARCHAR,
    published       DATE,
    published_month VARCHAR,
    detected_at     TIMESTAMP NOT NULL  -- UTC
);
CREATE INDEX duplicates_original_id ON duplicates (original_id);

-- Input files whose every dispatch was stored (coded or linked) by coder_version: a later
-- run skips a file with the same size and modification time without reading it.
CREATE TABLE input_files (
    path          VARCHAR PRIMARY KEY,  -- absolute path
    size          BIGINT NOT NULL,
    mtime_ns      BIGINT NOT NULL,
    coder_version VARCHAR NOT NULL,
    recorded_at   TIMESTAMP NOT NULL    -- UTC
);
