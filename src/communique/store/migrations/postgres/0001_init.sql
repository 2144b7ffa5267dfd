-- 0001_init: articles, actor mentions and dyadic event rows (PostgreSQL). Mirrors
-- migrations/duckdb/0001_init.sql: same tables, columns and version number.
-- The migration runner (store/base.py) runs this file in one transaction and then records
-- version 1 in schema_version. Column lists must match store/base.py (*_COLUMNS).
--
-- Every text column is COLLATE "C": strings then sort and compare by code point, as in
-- DuckDB, so that both stores return rows in the same order whatever the database's own
-- collation. evidence_text alone is "und-x-icu" (ICU's root locale, present whenever the
-- server is built with ICU, as Debian's, Red Hat's and the official images are): its
-- text search (ILIKE) then folds the case of accented letters ("États" matches "état"),
-- as DuckDB's ILIKE does; it is never sorted on.

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    applied_at TIMESTAMP NOT NULL  -- UTC
);

CREATE TABLE articles (
    id              TEXT COLLATE "C" PRIMARY KEY,
    text            TEXT COLLATE "C" NOT NULL,
    lang            TEXT COLLATE "C",
    published       DATE,
    published_month TEXT COLLATE "C",   -- "YYYY-MM" when only year and month are known
    url             TEXT COLLATE "C",
    title           TEXT COLLATE "C",
    source          TEXT COLLATE "C",
    origin          TEXT COLLATE "C",   -- file path or "file.jsonl:LINE"
    coder_version   TEXT COLLATE "C" NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,  -- UTC
    meta            JSON
);

-- Every resolved actor mention of an article (CodedArticle.actors), in order.
CREATE TABLE actors (
    article_id    TEXT COLLATE "C" NOT NULL,
    mention_index INTEGER NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,
    country       TEXT COLLATE "C",
    sector        TEXT COLLATE "C",
    org           TEXT COLLATE "C",
    role          TEXT COLLATE "C",
    actor_id      TEXT COLLATE "C",
    method        TEXT COLLATE "C" NOT NULL,
    confidence    DOUBLE PRECISION NOT NULL,
    span_start    INTEGER,
    span_end      INTEGER
);

-- One row per dyadic row of model.rows.event_rows(), nested fields flattened.
CREATE TABLE events (
    event_id          TEXT COLLATE "C" NOT NULL,
    mention_id        TEXT COLLATE "C" NOT NULL,
    article_id        TEXT COLLATE "C" NOT NULL,
    "type"            TEXT COLLATE "C" NOT NULL,
    "mode"            TEXT COLLATE "C",
    cameo             TEXT COLLATE "C",
    source_name       TEXT COLLATE "C",   -- NULL: no source
    source_country    TEXT COLLATE "C",
    source_sector     TEXT COLLATE "C",
    source_org        TEXT COLLATE "C",
    source_role       TEXT COLLATE "C",
    source_actor_id   TEXT COLLATE "C",
    target_name       TEXT COLLATE "C",   -- NULL: no target (one-sided event)
    target_country    TEXT COLLATE "C",
    target_sector     TEXT COLLATE "C",
    target_org        TEXT COLLATE "C",
    target_role       TEXT COLLATE "C",
    target_actor_id   TEXT COLLATE "C",
    "date"            TEXT COLLATE "C",   -- "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    date_precision    TEXT COLLATE "C",
    location_name     TEXT COLLATE "C",   -- NULL: no location
    location_country  TEXT COLLATE "C",
    location_lat      DOUBLE PRECISION,
    location_lon      DOUBLE PRECISION,
    negated           BOOLEAN NOT NULL,
    future            BOOLEAN NOT NULL,
    historical        BOOLEAN NOT NULL,
    hypothetical      BOOLEAN NOT NULL,
    joint             BOOLEAN NOT NULL,
    alt_type          TEXT COLLATE "C",
    contexts          TEXT[] COLLATE "C" NOT NULL,
    quad              INTEGER,
    intensity         DOUBLE PRECISION,
    evidence_text     TEXT COLLATE "und-x-icu" NOT NULL,
    evidence_start    INTEGER NOT NULL,
    evidence_end      INTEGER NOT NULL,
    confidence        DOUBLE PRECISION NOT NULL,
    "rule"            TEXT COLLATE "C" NOT NULL,
    coder_version     TEXT COLLATE "C" NOT NULL,
    -- added by the store
    row_index         INTEGER NOT NULL,  -- position in the article's event_rows() output
    source_key        TEXT COLLATE "C",  -- country, else org, else 'unknown'; NULL: no source
    target_key        TEXT COLLATE "C",
    date_lo           DATE,              -- first day covered by "date"
    date_hi           DATE,              -- last day covered by "date"
    trigger_start     INTEGER NOT NULL,
    trigger_end       INTEGER NOT NULL,
    trigger_text      TEXT COLLATE "C" NOT NULL,
    trace             TEXT[] COLLATE "C" NOT NULL,
    sentence_index    INTEGER NOT NULL
);

-- B-tree indexes on the selective equality lookups, as the DuckDB store has, and one on
-- the row order: the HTTP API pages through rows in that order (query.ORDER_BY), and with
-- it a page is an index range instead of a sort of every matching row. Each index slows
-- bulk loads, so there are no more than these.
CREATE INDEX events_event_id ON events (event_id);       -- get_event / explain
CREATE INDEX events_article_id ON events (article_id);   -- replace, --article filter
CREATE INDEX events_source_key ON events (source_key);   -- --country, --dyad
CREATE INDEX events_target_key ON events (target_key);   -- --country, --dyad
CREATE INDEX events_row_order ON events ("date", article_id, evidence_start, row_index);
CREATE INDEX actors_article_id ON actors (article_id);   -- replace, explain
