"""What the SQL stores share: the queries, written once in the SQL both DuckDB and
PostgreSQL accept, and the store logic around them (``SqlStore``).

Every query here uses ``?`` placeholders, DuckDB's style; ``pyformat`` turns them into
psycopg's ``%s``. Values only ever travel as parameters. A backend (``store/duckdb.py``,
``store/postgres.py``) subclasses ``SqlStore`` and supplies what truly differs: how it
connects, runs a statement, bulk-loads rows, frames a transaction and streams Arrow.

Dialect notes, for whoever edits a query here: a list parameter is always cast
(``CAST(? AS VARCHAR[])``: psycopg sends a list of strings untyped); aggregates group by
position, not ``GROUP BY ALL``; a subquery in FROM has an alias; every ORDER BY is total
(ties broken down to a unique key) so that both backends return the same order. String
order is code-point order on both: DuckDB's default, and ``COLLATE "C"`` on every text
column of the PostgreSQL schema.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from communique.errors import StoreError
from communique.model import CodedArticle
from communique.query import (
    ORDER_BY,
    POSITION_COLUMNS,
    SCORE_SQL,
    UNKNOWN_KEY,
    EventFilter,
    EventSearch,
    RowPosition,
    count_sql,
    graph_edges_sql,
    search_sql,
    to_sql,
    where_sql,
)
from communique.store.base import (
    ARTICLE_COLUMNS,
    DUPLICATE_COLUMNS,
    ROW_COLUMNS,
    DuplicateLink,
    InputStamp,
    Migration,
    SignatureRecord,
    WriteReport,
    actor_records,
    article_record,
    event_records,
    nest_row,
)

if TYPE_CHECKING:
    from types import TracebackType

    import pyarrow as pa

# Rows per Arrow record batch when streaming a read (exports, frames): large enough that
# per-batch overhead vanishes (DuckDB's vectors are 2,048 rows), small enough that a batch
# of rows with long evidence strings stays within a few MB of memory.
BATCH_ROWS = 8_192

# Extra event columns returned by get_event() (for `explain`).
EXPLAIN_COLUMNS = ("trigger_start", "trigger_end", "trigger_text", "trace", "sentence_index")

# Article fields returned by get_event() under "article" and by get_article().
ARTICLE_FIELDS = tuple(c for c in ARTICLE_COLUMNS if c not in ("ingested_at", "meta"))

# Event columns returned by article_events() after the row columns.
_ARTICLE_EVENT_EXTRA = ("trigger_text", "trigger_start", "trigger_end", "sentence_index")

# A quoted string or identifier (kept as it is, but for its % signs), or a character that
# psycopg reads specially.
_PLACEHOLDER_TOKENS = re.compile(r"'[^']*'|\"[^\"]*\"|[?%]")


def pyformat(sql: str) -> str:
    """The same statement with psycopg's placeholders: each ``?`` outside quotes becomes
    ``%s``, and every ``%`` (inside quotes too: psycopg scans the whole text) ``%%``."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")

    return _PLACEHOLDER_TOKENS.sub(swap, sql)


def quote(column: str) -> str:
    """A column name as a quoted identifier (several are SQL keywords: type, date, rule)."""
    return f'"{column}"'


def columns_sql(columns: Iterable[str], alias: str | None = None) -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + quote(c) for c in columns)


def in_list(column: str, sql_type: str = "VARCHAR") -> str:
    """``column`` is one of the values of a list parameter."""
    return f"{column} IN (SELECT unnest(CAST(? AS {sql_type}[])))"


# ---------------------------------------------------------------------------------------
# Aggregates of the HTTP API, in SQL both backends run
# ---------------------------------------------------------------------------------------


def dyad_months_sql(a: str, b: str, flt: EventFilter) -> tuple[str, list[Any]]:
    """Per month ("YYYY-MM" of the event date; rows dated to a year or undated are grouped
    under month NULL), type and direction (a -> b true) of the rows between keys ``a`` and
    ``b`` (either direction) that match ``flt`` (its dyad is replaced): the row count, the
    sum of scores and the number of scored rows."""
    where, params = where_sql(replace(flt, dyad=(a, b), limit=None, offset=0))
    sql = (
        'SELECT CASE WHEN length("date") >= 7 THEN substr("date", 1, 7) END AS month, '
        '"type", source_key = ? AS forward, count(*), '
        f"coalesce(sum({SCORE_SQL}), 0), count({SCORE_SQL}) "
        f'FROM events {where} GROUP BY 1, 2, 3 ORDER BY month NULLS LAST, "type", forward'
    )
    return sql, [a, *params]


def actor_counts_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """Each actor key (not NULL, not "unknown") of the rows matching ``flt`` with the
    number of rows it takes part in (as source, target or both), most active first."""
    where, params = where_sql(replace(flt, limit=None, offset=0))
    part = "SELECT {side}_key AS k, article_id, row_index FROM events {where}"
    sql = (
        f"SELECT k, count(*) AS n FROM ({part.format(side='source', where=where)} "
        f"UNION {part.format(side='target', where=where)}) AS sides "
        "WHERE k IS NOT NULL AND k <> ? GROUP BY k ORDER BY n DESC, k"
    )
    return sql, [*params, *params, UNKNOWN_KEY]


def map_points_sql(flt: EventFilter, max_ids: int) -> tuple[str, list[Any]]:
    """Located rows matching ``flt`` grouped by place (name, country, lat, lon): the row
    count, the mean score and the first ``max_ids`` event ids in ORDER_BY order; busiest
    place first."""
    where, params = where_sql(replace(flt, limit=None, offset=0))
    located = "location_lat IS NOT NULL AND location_lon IS NOT NULL"
    where = f"{where} AND {located}" if where else f"WHERE {located}"
    order = ORDER_BY[len("ORDER BY ") :]
    sql = (
        "SELECT location_name, location_country, location_lat, location_lon, count(*) AS n, "
        f"avg({SCORE_SQL}), (array_agg(event_id ORDER BY {order}))[1:?] "
        f"FROM events {where} GROUP BY 1, 2, 3, 4 "
        "ORDER BY n DESC, location_name NULLS LAST, location_country NULLS LAST, "
        "location_lat, location_lon"
    )
    return sql, [max_ids, *params]


# ---------------------------------------------------------------------------------------
# The shared store
# ---------------------------------------------------------------------------------------


class SqlStore(ABC):
    """A communique store in a SQL database: everything but connecting, running
    statements, bulk loads, transactions and Arrow streams, which backends supply.

    One writer at a time (the driver); use it as a context manager.
    """

    #: "duckdb" or "postgres": the migrations folder, and what a caller may need to know.
    dialect: str
    #: Where the store is, as error messages name it (a path, or a URL without password).
    where: str
    read_only: bool

    # -- what a backend supplies ---------------------------------------------------------

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run one statement (``?`` placeholders) and return its rows (none for DML);
        the driver's errors propagate as they are."""

    @abstractmethod
    def _db_errors(self) -> tuple[type[BaseException], ...]:
        """The exceptions of the driver (and loader) that mean the database refused."""

    @abstractmethod
    def _read_error(self, exc: BaseException) -> StoreError:
        """The StoreError of a failed read."""

    @abstractmethod
    def _load(self, table: str, records: list[dict[str, Any]], *, ignore: bool = False) -> None:
        """Append ``records`` (dicts holding every column of ``table``) to ``table`` in bulk;
        ``ignore``: rows whose primary key is already stored are left out."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]:
        """One write transaction: committed when the block ends, rolled back when it
        raises (and the exception re-raised)."""

    @abstractmethod
    def _table_names(self) -> set[str]:
        """The tables of the store's database (DuckDB) or schema (PostgreSQL)."""

    def schema_version(self) -> int:
        """Highest applied migration; 0 for an empty database (part of MigrationTarget)."""
        if "schema_version" not in self._table_names():
            return 0
        rows = self._run("SELECT max(version) FROM schema_version", [])
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    @abstractmethod
    def apply_migration(self, migration: Migration) -> None:
        """Run one migration and record it, in one transaction (part of MigrationTarget)."""

    @abstractmethod
    def arrow_stream(
        self, sql: str, params: Sequence[Any], batch_rows: int = BATCH_ROWS
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """The schema of a read query's result and its rows as Arrow record batches of at
        most ``batch_rows`` rows, produced as they are consumed (constant memory). The
        query runs on a connection of its own; the iterator releases it when exhausted.
        Raises StoreError."""

    @abstractmethod
    def close(self) -> None: ...

    def release(self) -> None:
        """Let other processes at the store until the next call (an ingest releases it
        while it codes, so that readers get in between its batches). Not inside a
        transaction. A database server needs nothing for that (PostgreSQL serves readers
        beside a writer): a no-op here; the DuckDB store closes its file."""
        return None

    # -- shared --------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run a read query; database failures become StoreError."""
        try:
            return self._run(sql, params)
        except self._db_errors() as exc:
            raise self._read_error(exc) from exc

    def fetch_all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of a small read query (aggregates) as tuples. Raises StoreError."""
        return self._fetch(sql, params)

    def arrow_table(self, sql: str, params: Sequence[Any]) -> pa.Table:
        """The whole result of a read query as one Arrow table. Raises StoreError."""
        import pyarrow as pa

        schema, batches = self.arrow_stream(sql, params)
        return pa.Table.from_batches(list(batches), schema=schema)

    # -- writing -------------------------------------------------------------------------

    def write(
        self,
        batch: Sequence[CodedArticle],
        coder_version: str,
        *,
        signatures: Sequence[SignatureRecord] = (),
        duplicates: Sequence[DuplicateLink] = (),
        inputs: Sequence[InputStamp] = (),
    ) -> WriteReport:
        """Store a batch in one transaction: all of it or nothing.

        An article already stored with ``coder_version`` is skipped; one stored with another
        version has its article, actor and event rows replaced. Repeats of an id inside the
        batch keep the first. Raises ``StoreError`` (after rolling back) when the database
        refuses the batch.

        In the same transaction (ingest/neardup.py, ingest/incremental.py): ``signatures``
        of coded articles replace any stored for the same ids; ``duplicates`` are linked
        (an id already linked keeps its first link); ``inputs`` are recorded as read by
        ``coder_version``. A signature or link naming an article that is neither in the
        batch nor stored is refused (StoreError), so a link always leads to a coded article.
        """
        if self.read_only:
            raise StoreError(
                "the store was opened read-only",
                where=self.where,
                hint="open it with open_store(path) (read_only=False) to write",
            )
        unique: dict[str, CodedArticle] = {}
        for coded in batch:
            unique.setdefault(coded.article.id, coded)
        ids = list(unique)
        if not ids and not (signatures or duplicates or inputs):
            return WriteReport(articles_added=0, articles_skipped=0, events_added=0)
        try:
            with self._transaction():
                stored = dict(
                    self._run(
                        f"SELECT id, coder_version FROM articles WHERE {in_list('id')}", [ids]
                    )
                )
                replace_ids = [i for i, v in stored.items() if v != coder_version]
                new = [c for i, c in unique.items() if stored.get(i) != coder_version]
                if replace_ids:
                    for table in ("events", "actors"):
                        self._run(
                            f"DELETE FROM {table} WHERE {in_list('article_id')}", [replace_ids]
                        )
                    self._run(f"DELETE FROM articles WHERE {in_list('id')}", [replace_ids])
                now = utcnow()
                articles = []
                for c in new:
                    rec = article_record(c, coder_version)
                    rec["meta"] = json.dumps(rec["meta"], ensure_ascii=False, sort_keys=True)
                    rec["ingested_at"] = now
                    articles.append(rec)
                events = [r for c in new for r in event_records(c, coder_version)]
                actors = [r for c in new for r in actor_records(c)]
                self._load("articles", articles)
                self._load("actors", actors)
                self._load("events", events)
                if signatures or duplicates or inputs:
                    self._write_extras(unique, signatures, duplicates, inputs, coder_version)
        except self._db_errors() as exc:
            raise StoreError(
                f"could not write a batch of {len(batch)} article(s): {exc}",
                where=self.where,
                hint="the batch was rolled back and nothing of it was stored; fix the cause "
                "and run the same command again (stored articles are skipped)",
            ) from exc
        return WriteReport(
            articles_added=len(new),
            articles_skipped=len(batch) - len(new),
            events_added=len(events),
        )

    def _write_extras(
        self,
        batch_ids: Iterable[str],
        signatures: Sequence[SignatureRecord],
        duplicates: Sequence[DuplicateLink],
        inputs: Sequence[InputStamp],
        coder_version: str,
    ) -> None:
        """Signatures, duplicate links and input stamps, inside write()'s transaction."""
        referenced = {s.article_id for s in signatures} | {d.original_id for d in duplicates}
        missing = referenced - set(batch_ids)
        if missing:
            stored = self._run(f"SELECT id FROM articles WHERE {in_list('id')}", [sorted(missing)])
            missing -= {r[0] for r in stored}
        if missing:
            raise StoreError(
                f"signatures or duplicate links name {len(missing)} article(s) that are "
                f"neither in the batch nor stored: {', '.join(sorted(missing)[:5])}",
                where=self.where,
                hint="pass the coded originals in the same write() (the batch was rolled "
                "back); a coder that drops articles must drop their signatures too",
            )
        if signatures:
            signed = self._run(
                f"SELECT article_id FROM article_signatures WHERE {in_list('article_id')}",
                [[s.article_id for s in signatures]],
            )
            if signed:  # re-signed (recoded, backfilled): replace; new articles skip the scan
                for table in ("signature_bands", "article_signatures"):
                    self._run(
                        f"DELETE FROM {table} WHERE {in_list('article_id')}",
                        [[r[0] for r in signed]],
                    )
            last = {s.article_id: s for s in signatures}
            self._load(
                "article_signatures",
                [
                    {
                        "article_id": s.article_id,
                        "scheme": s.scheme,
                        "signature": s.signature,
                        "shingles": s.shingles,
                    }
                    for s in last.values()
                ],
            )
            bands = [
                {"band_key": key, "article_id": s.article_id}
                for s in last.values()
                for key in dict.fromkeys(s.band_keys)
            ]
            self._load("signature_bands", bands)
        if duplicates:
            now = utcnow()
            links: dict[str, dict[str, Any]] = {}
            for d in duplicates:
                rec = {c: getattr(d, c) for c in DUPLICATE_COLUMNS if c != "detected_at"}
                rec["detected_at"] = now
                links.setdefault(d.duplicate_id, rec)
            self._load("duplicates", list(links.values()), ignore=True)
        if inputs:
            now = utcnow()
            stamps = {i.path: i for i in inputs}
            self._run(f"DELETE FROM input_files WHERE {in_list('path')}", [list(stamps)])
            records = [
                {
                    "path": i.path,
                    "size": i.size,
                    "mtime_ns": i.mtime_ns,
                    "coder_version": coder_version,
                    "recorded_at": now,
                }
                for i in stamps.values()
            ]
            self._load("input_files", records)

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None:
        """Store signatures of already stored articles (a backfill), in one transaction."""
        self.write([], "", signatures=signatures)

    # -- reading -------------------------------------------------------------------------

    def events(self, flt: EventFilter) -> list[dict[str, Any]]:
        """Rows matching ``flt`` in the nested shape of ``model.rows.event_rows()``, ordered
        by date, article id, evidence start."""
        sql, params = to_sql(flt)
        return [nest_row(dict(zip(ROW_COLUMNS, r, strict=True))) for r in self._fetch(sql, params)]

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event row, plus what `explain` needs:

        ``trigger`` ({text, start, end}), ``trace`` (list of resolution steps),
        ``sentence_index``, and ``article`` ({id, text, lang, published (ISO string),
        published_month, url, title, source, origin, coder_version}). None if unknown.
        """
        extra = EXPLAIN_COLUMNS
        found = self._fetch(
            f"SELECT {columns_sql((*ROW_COLUMNS, *extra), 'e')}, "
            f"{columns_sql(ARTICLE_FIELDS, 'a')} FROM events e "
            "JOIN articles a ON a.id = e.article_id "
            "WHERE e.event_id = ? ORDER BY e.row_index LIMIT 1",
            [event_id],
        )
        if not found:
            return None
        row = found[0]
        n_row, n_extra = len(ROW_COLUMNS), len(extra)
        result = nest_row(dict(zip(ROW_COLUMNS, row[:n_row], strict=True)))
        ex = dict(zip(extra, row[n_row : n_row + n_extra], strict=True))
        article = dict(zip(ARTICLE_FIELDS, row[n_row + n_extra :], strict=True))
        if article["published"] is not None:
            article["published"] = article["published"].isoformat()
        result["trigger"] = {
            "text": ex["trigger_text"],
            "start": ex["trigger_start"],
            "end": ex["trigger_end"],
        }
        result["trace"] = list(ex["trace"])
        result["sentence_index"] = ex["sentence_index"]
        result["article"] = article
        return result

    def articles_count(self) -> int:
        return int(self._fetch("SELECT count(*) FROM articles", [])[0][0])

    def events_count(self, flt: EventFilter | None = None) -> int:
        """Number of stored event rows (matching ``flt`` when given; paging ignored)."""
        sql, params = count_sql(flt or EventFilter())
        return int(self._fetch(sql, params)[0][0])

    # -- reading for the HTTP API (pages, search, aggregates) ----------------------------

    def search_events(self, search: EventSearch) -> tuple[list[dict[str, Any]], RowPosition | None]:
        """One page of rows (nested shape, ORDER_BY order) and the position of its last row
        when more rows follow (None on the last page)."""
        sql, params = search_sql(search)
        found = self._fetch(sql, params)
        n = len(ROW_COLUMNS)
        rows = [nest_row(dict(zip(ROW_COLUMNS, r[:n], strict=True))) for r in found]
        if len(found) <= search.limit:
            return rows, None
        last = dict(zip(POSITION_COLUMNS, found[search.limit - 1][n:], strict=True))
        return rows[: search.limit], RowPosition(**last)

    def dyad_months(self, a: str, b: str, flt: EventFilter) -> dict[str, Any]:
        """Month by month, the rows between actor keys ``a`` and ``b`` (either direction)
        that match ``flt``: ``{"months": [{"month", "counts" (by type), "events",
        "a_to_b", "b_to_a", "score" (mean row score, None when no row scores),
        "scored"}], "undated": rows without a month}``, months in order."""
        sql, params = dyad_months_sql(a, b, flt)
        months: dict[str, dict[str, Any]] = {}
        sums: dict[str, float] = {}
        undated = 0
        for month, etype, forward, n, total, scored in self._fetch(sql, params):
            if month is None:
                undated += int(n)
                continue
            m = months.setdefault(
                month,
                {
                    "month": month,
                    "counts": {},
                    "events": 0,
                    "a_to_b": 0,
                    "b_to_a": 0,
                    "score": None,
                    "scored": 0,
                },
            )
            m["counts"][etype] = m["counts"].get(etype, 0) + int(n)
            m["events"] += int(n)
            m["a_to_b" if forward else "b_to_a"] += int(n)
            m["scored"] += int(scored)
            sums[month] = sums.get(month, 0.0) + float(total)
        for month, m in months.items():
            if m["scored"]:
                m["score"] = round(sums[month] / m["scored"], 3)
        return {"months": list(months.values()), "undated": undated}

    def actor_counts(self, flt: EventFilter) -> list[tuple[str, int]]:
        """(actor key, rows it takes part in) for the rows matching ``flt``, most active
        first; the keys "unknown" and no-actor are left out."""
        sql, params = actor_counts_sql(flt)
        return [(k, int(n)) for k, n in self._fetch(sql, params)]

    def graph_edges(self, flt: EventFilter) -> list[dict[str, Any]]:
        """Undirected edges between two known, different actor keys of the rows matching
        ``flt``: ``{"source", "target" (source < target), "weight" (rows), "forward" (rows
        source -> target), "score" (mean row score or None)}``, heaviest first."""
        sql, params = graph_edges_sql(flt)
        return [
            {
                "source": ka,
                "target": kb,
                "weight": int(n),
                "forward": int(fwd),
                "score": None if score is None else round(float(score), 3),
            }
            for ka, kb, n, fwd, score in self._fetch(sql, params)
        ]

    def map_points(self, flt: EventFilter, max_ids: int) -> list[dict[str, Any]]:
        """Located rows matching ``flt`` grouped by place: ``{"name", "country", "lat",
        "lon", "events", "score", "event_ids" (the first ``max_ids``)}``, busiest first."""
        sql, params = map_points_sql(flt, max_ids)
        return [
            {
                "name": name,
                "country": country,
                "lat": lat,
                "lon": lon,
                "events": int(n),
                "score": None if score is None else round(float(score), 3),
                "event_ids": list(ids),
            }
            for name, country, lat, lon, n, score, ids in self._fetch(sql, params)
        ]

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored article (``id``, ``text``, ``lang``, ``published`` as an ISO string,
        ``published_month``, ``url``, ``title``, ``source``, ``origin``,
        ``coder_version``), or None when unknown."""
        found = self._fetch(
            f"SELECT {columns_sql(ARTICLE_FIELDS)} FROM articles WHERE id = ?", [article_id]
        )
        if not found:
            return None
        article = dict(zip(ARTICLE_FIELDS, found[0], strict=True))
        if article["published"] is not None:
            article["published"] = article["published"].isoformat()
        return article

    def articles_info(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``get_article`` less the text, for many articles in one query (stories.py)."""
        if not ids:
            return {}
        fields = tuple(f for f in ARTICLE_FIELDS if f != "text")
        found = self._fetch(
            f"SELECT {columns_sql(fields)} FROM articles WHERE {in_list('id')}", [list(ids)]
        )
        out = {}
        for row in found:
            article = dict(zip(fields, row, strict=True))
            if article["published"] is not None:
                article["published"] = article["published"].isoformat()
            out[article["id"]] = article
        return out

    def article_events(self, article_id: str) -> list[dict[str, Any]]:
        """The article's rows (nested shape) in stored order, each with ``trigger``
        ({text, start, end}) and ``sentence_index``."""
        found = self._fetch(
            f"SELECT {columns_sql((*ROW_COLUMNS, *_ARTICLE_EVENT_EXTRA))} FROM events "
            "WHERE article_id = ? ORDER BY row_index",
            [article_id],
        )
        n = len(ROW_COLUMNS)
        out = []
        for r in found:
            row = nest_row(dict(zip(ROW_COLUMNS, r[:n], strict=True)))
            text, start, end, sentence = r[n:]
            row["trigger"] = {"text": text, "start": start, "end": end}
            row["sentence_index"] = sentence
            out.append(row)
        return out

    # -- near-duplicates and incremental ingest (DuplicateIndex, InputIndex) -------------

    def stored_versions(self, ids: Sequence[str]) -> dict[str, str]:
        """Coder version of each of ``ids`` stored as a coded article."""
        if not ids:
            return {}
        found = self._fetch(
            f"SELECT id, coder_version FROM articles WHERE {in_list('id')}", [list(ids)]
        )
        return {r[0]: r[1] for r in found}

    def duplicate_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` recorded as near-duplicates."""
        if not ids:
            return set()
        found = self._fetch(
            f"SELECT duplicate_id FROM duplicates WHERE {in_list('duplicate_id')}", [list(ids)]
        )
        return {r[0] for r in found}

    def band_matches(self, keys: Sequence[int]) -> list[tuple[int, str]]:
        """(band key, article id) of every stored signature having one of ``keys``."""
        if not keys:
            return []
        found = self._fetch(
            "SELECT band_key, article_id FROM signature_bands "
            f"WHERE {in_list('band_key', 'BIGINT')} ORDER BY band_key, article_id",
            [list(keys)],
        )
        return [(int(k), a) for k, a in found]

    def signatures_of(self, ids: Sequence[str], scheme: str) -> dict[str, tuple[bytes, int]]:
        """(packed signature, shingle count) of those of ``ids`` signed under ``scheme``."""
        if not ids:
            return {}
        found = self._fetch(
            "SELECT article_id, signature, shingles FROM article_signatures "
            f"WHERE scheme = ? AND {in_list('article_id')}",
            [scheme, list(ids)],
        )
        return {a: (bytes(sig), int(n)) for a, sig, n in found}

    def duplicate_links(self, original_id: str | None = None) -> list[DuplicateLink]:
        """Recorded near-duplicates (of ``original_id`` when given), by original then
        duplicate id."""
        cols = [c for c in DUPLICATE_COLUMNS if c != "detected_at"]
        where, params = ("WHERE original_id = ?", [original_id]) if original_id else ("", [])
        found = self._fetch(
            f"SELECT {columns_sql(cols)} FROM duplicates {where} "
            "ORDER BY original_id, duplicate_id",
            params,
        )
        return [DuplicateLink(**dict(zip(cols, r, strict=True))) for r in found]

    def unsigned_articles(self, scheme: str, after: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (id, text), by id after ``after``, of coded articles with no
        signature under ``scheme`` (stored before migration 0002, or under another scheme)."""
        return [
            (a, t)
            for a, t in self._fetch(
                "SELECT a.id, a.text FROM articles a LEFT JOIN article_signatures s "
                "ON s.article_id = a.id AND s.scheme = ? "
                "WHERE s.article_id IS NULL AND a.id > ? ORDER BY a.id LIMIT ?",
                [scheme, after, limit],
            )
        ]

    def input_stamps(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str]]:
        """(size, mtime_ns, coder_version) recorded for each of ``paths`` (absolute)."""
        if not paths:
            return {}
        found = self._fetch(
            f"SELECT path, size, mtime_ns, coder_version FROM input_files WHERE {in_list('path')}",
            [list(paths)],
        )
        return {p: (int(size), int(mtime), v) for p, size, mtime, v in found}


def utcnow() -> datetime:
    """Naive UTC timestamp (the TIMESTAMP columns hold UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)
