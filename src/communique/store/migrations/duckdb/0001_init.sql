-- 0001_init: articles, actor mentions and dyadic event rows.
-- The migration runner (store/base.py) runs this file in one transaction and then records
-- version 1 in schema_version. Column lists must match store/base.py (*_COLUMNS).

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL  -- UTC
);

CREATE TABLE articles (
    id              VARCHAR PRIMARY KEY,
    text            VARCHAR NOT NULL,
    lang            VARCHAR,
    published       DATE,
    published_month VARCHAR,        -- "YYYY-MM" when only year and month are known
    url             VARCHAR,
    title           VARCHAR,
    source          VARCHAR,
    origin          VARCHAR,        -- file path or "file.jsonl:LINE"
    coder_version   VARCHAR NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,  -- UTC
    meta            JSON
);

-- Every resolved actor mention of an article (CodedArticle.actors), in order.
CREATE TABLE actors (
    article_id    VARCHAR NOT NULL,
    mention_index INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    country       VARCHAR,
    sector        VARCHAR,
    org           VARCHAR,
    role          VARCHAR,
    actor_id      VARCHAR,
    method        VARCHAR NOT NULL,
    confidence    DOUBLE NOT NULL,
    span_start    INTEGER,
    span_end      INTEGER
);

-- One row per dyadic row of model.rows.event_rows(), nested fields flattened.
CREATE TABLE events (
    event_id          VARCHAR NOT NULL,
    mention_id        VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    "type"            VARCHAR NOT NULL,
    "mode"            VARCHAR,
    cameo             VARCHAR,
    source_name       VARCHAR,   -- NULL: no source
    source_country    VARCHAR,
    source_sector     VARCHAR,
    source_org        VARCHAR,
    source_role       VARCHAR,
    source_actor_id   VARCHAR,
    target_name       VARCHAR,   -- NULL: no target (one-sided event)
    target_country    VARCHAR,
    target_sector     VARCHAR,
    target_org        VARCHAR,
    target_role       VARCHAR,
    target_actor_id   VARCHAR,
    "date"            VARCHAR,   -- "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    date_precision    VARCHAR,
    location_name     VARCHAR,   -- NULL: no location
    location_country  VARCHAR,
    location_lat      DOUBLE,
    location_lon      DOUBLE,
    negated           BOOLEAN NOT NULL,
    future            BOOLEAN NOT NULL,
    historical        BOOLEAN NOT NULL,
    hypothetical      BOOLEAN NOT NULL,
    joint             BOOLEAN NOT NULL,
    alt_type          VARCHAR,
    contexts          VARCHAR[] NOT NULL,
    quad              INTEGER,
    intensity         DOUBLE,
    evidence_text     VARCHAR NOT NULL,
    evidence_start    INTEGER NOT NULL,
    evidence_end      INTEGER NOT NULL,
    confidence        DOUBLE NOT NULL,
    "rule"            VARCHAR NOT NULL,
    coder_version     VARCHAR NOT NULL,
    -- added by the store
    row_index         INTEGER NOT NULL,  -- position in the article's event_rows() output
    source_key        VARCHAR,           -- country, else org, else 'unknown'; NULL: no source
    target_key        VARCHAR,
    date_lo           DATE,              -- first day covered by "date"
    date_hi           DATE,              -- last day covered by "date"
    trigger_start     INTEGER NOT NULL,
    trigger_end       INTEGER NOT NULL,
    trigger_text      VARCHAR NOT NULL,
    trace             VARCHAR[] NOT NULL,
    sentence_index    INTEGER NOT NULL
);

-- DuckDB uses ART indexes for selective equality lookups; ranges (date) and low-cardinality
-- columns (type: 16 values) are served better by its per-block min/max zone maps, and every
-- extra index slows bulk loads, so only these are indexed.
CREATE INDEX events_event_id ON events (event_id);       -- get_event / explain
CREATE INDEX events_article_id ON events (article_id);   -- replace, --article filter
CREATE INDEX events_source_key ON events (source_key);   -- --country, --dyad
CREATE INDEX events_target_key ON events (target_key);   -- --country, --dyad
CREATE INDEX actors_article_id ON actors (article_id);   -- replace, explain
