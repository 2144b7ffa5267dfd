"""The default store: one DuckDB file, one writer process.

Bulk loads go through pyarrow tables (DuckDB's ``executemany`` is ~400x slower: 100k rows
in 80 s against 0.2 s). Every ``write`` is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from communique.errors import StoreError
from communique.model import CodedArticle
from communique.query import (
    POSITION_COLUMNS,
    EventFilter,
    EventSearch,
    RowPosition,
    actor_counts_sql,
    count_sql,
    dyad_months_sql,
    graph_edges_sql,
    map_points_sql,
    search_sql,
    to_sql,
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
    load_migrations,
    migrate,
    nest_row,
    pending_migrations,
)

if TYPE_CHECKING:
    from types import TracebackType

DIALECT = "duckdb"

# Name under which a batch's arrow table is visible to SQL while it is being loaded.
_STAGING = "_communique_staging"

# Extra event columns returned by get_event() (for `explain`).
_EXPLAIN_COLUMNS = ("trigger_start", "trigger_end", "trigger_text", "trace", "sentence_index")

# Article fields returned by get_event() under "article".
_ARTICLE_FIELDS = tuple(c for c in ARTICLE_COLUMNS if c not in ("ingested_at", "meta"))


def _q(column: str) -> str:
    return f'"{column}"'


def _cols(columns: Sequence[str]) -> str:
    return ", ".join(_q(c) for c in columns)


def open_store(path: Path | str, *, read_only: bool = False) -> DuckDBStore:
    """Open (creating and migrating when writable) the DuckDB store at ``path``.

    Use it as a context manager. Raises ``StoreError`` when the file is not a DuckDB
    database, not a communique store, has a newer schema than this code, is locked by
    another process, or (read-only) does not exist.
    """
    return DuckDBStore(path, read_only=read_only)


class DuckDBStore:
    """A communique store in one DuckDB file. Not thread-safe: one writer (the driver)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._where = str(self.path)
        self._con = self._connect()
        self._schemas: dict[str, pa.Schema] = {}
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise

    # -- opening -------------------------------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.read_only and not self.path.exists():
            raise StoreError(
                "no store here",
                where=self._where,
                hint="run `communique ingest FILES --store PATH` first, or pass the right --store",
            )
        if self.path.is_dir():
            raise StoreError(
                "this is a directory, not a store file",
                where=self._where,
                hint="pass a file path such as communique.duckdb",
            )
        if not self.read_only and not self.path.parent.exists():
            raise StoreError(
                "the folder of the store does not exist",
                where=self._where,
                hint=f"create {self.path.parent} first, or choose another --store",
            )
        try:
            return duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.Error as exc:
            raise self._open_error(exc) from exc

    def _open_error(self, exc: duckdb.Error) -> StoreError:
        text = str(exc)
        if "not a valid DuckDB database" in text:
            return StoreError(
                "this file is not a DuckDB database",
                where=self._where,
                hint="point --store at a communique store or at a new file name",
            )
        if "lock" in text.lower():
            return StoreError(
                "the store is locked by another process (DuckDB allows one writer, and no "
                f"reader beside it): {text}",
                where=self._where,
                hint="wait for the other `communique ingest` to finish, or use another --store",
            )
        if "different configuration" in text:
            return StoreError(
                "the store is already open in this process in another mode",
                where=self._where,
                hint="close the other handle (open_store is a context manager) first",
            )
        return StoreError(
            f"cannot open the store: {text}",
            where=self._where,
            hint="check the path and its permissions; a store written by a newer DuckDB "
            "needs that DuckDB version",
        )

    def _table_names(self) -> set[str]:
        rows = self._con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
        return {r[0] for r in rows}

    def schema_version(self) -> int:
        """Highest applied migration; 0 for an empty database (part of MigrationTarget)."""
        if "schema_version" not in self._table_names():
            return 0
        row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def apply_migration(self, migration: Migration) -> None:
        """Run one migration and record it, in one transaction (part of MigrationTarget)."""
        self._con.begin()
        try:
            self._con.execute(migration.sql)
            self._con.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.name, _utcnow()],
            )
            self._con.commit()
        except duckdb.Error as exc:
            self._con.rollback()
            raise StoreError(
                f"migration {migration.version:04d}_{migration.name} failed: {exc}",
                where=self._where,
                hint="the store was left at its previous version; report this as a bug",
            ) from exc

    def _prepare(self) -> None:
        tables = self._table_names()
        if tables and "schema_version" not in tables:
            raise StoreError(
                "this DuckDB database is not a communique store (no schema_version table)",
                where=self._where,
                hint="point --store at a communique store or at a new file name",
            )
        migrations = load_migrations(DIALECT)
        if self.read_only:
            current = self.schema_version()
            if pending_migrations(current, migrations, where=self._where):
                raise StoreError(
                    f"the store is at schema version {current} and needs upgrading",
                    where=self._where,
                    hint="open it once for writing (e.g. `communique ingest`) to upgrade it",
                )
        else:
            migrate(self, migrations, where=self._where)

    # -- context manager -----------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def _schema(self, table: str) -> pa.Schema:
        """Arrow schema of a table, read from the database: the SQL migration is the one
        source of truth for column types."""
        if table not in self._schemas:
            rel = self._con.sql(f"SELECT * FROM {_q(table)} LIMIT 0")
            self._schemas[table] = rel.to_arrow_table().schema
        return self._schemas[table]

    def _arrow(self, table: str, records: list[dict[str, Any]]) -> pa.Table:
        schema = self._schema(table)
        columns = {name: [r[name] for r in records] for name in schema.names}
        return pa.Table.from_pydict(columns, schema=schema)

    def _load(self, table: str, data: pa.Table, *, ignore: bool = False) -> None:
        """Append an arrow table to ``table`` (columns matched by name); ``ignore``: rows
        whose primary key is already stored are left out."""
        if data.num_rows == 0:
            return
        self._con.register(_STAGING, data)
        try:
            names = _cols(data.schema.names)
            verb = "INSERT OR IGNORE INTO" if ignore else "INSERT INTO"
            self._con.execute(f"{verb} {_q(table)} ({names}) SELECT {names} FROM {_STAGING}")
        finally:
            self._con.unregister(_STAGING)

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
                where=self._where,
                hint="open it with open_store(path) (read_only=False) to write",
            )
        unique: dict[str, CodedArticle] = {}
        for coded in batch:
            unique.setdefault(coded.article.id, coded)
        ids = list(unique)
        if not ids and not (signatures or duplicates or inputs):
            return WriteReport(articles_added=0, articles_skipped=0, events_added=0)
        self._con.begin()
        try:
            stored = dict(
                self._con.execute(
                    "SELECT id, coder_version FROM articles WHERE id IN (SELECT unnest(?))",
                    [ids],
                ).fetchall()
            )
            replace = [i for i, v in stored.items() if v != coder_version]
            new = [c for i, c in unique.items() if stored.get(i) != coder_version]
            if replace:
                for table, key in (("events", "article_id"), ("actors", "article_id")):
                    self._con.execute(
                        f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?))", [replace]
                    )
                self._con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [replace])
            now = _utcnow()
            articles = []
            for c in new:
                rec = article_record(c, coder_version)
                rec["meta"] = json.dumps(rec["meta"], ensure_ascii=False, sort_keys=True)
                rec["ingested_at"] = now
                articles.append(rec)
            events = [r for c in new for r in event_records(c, coder_version)]
            actors = [r for c in new for r in actor_records(c)]
            self._load("articles", self._arrow("articles", articles))
            self._load("actors", self._arrow("actors", actors))
            self._load("events", self._arrow("events", events))
            if signatures or duplicates or inputs:
                self._write_extras(unique, signatures, duplicates, inputs, coder_version)
            self._con.commit()
        except (duckdb.Error, pa.ArrowException) as exc:
            self._con.rollback()
            raise StoreError(
                f"could not write a batch of {len(batch)} article(s): {exc}",
                where=self._where,
                hint="the batch was rolled back and nothing of it was stored; fix the cause "
                "and run the same command again (stored articles are skipped)",
            ) from exc
        except BaseException:
            self._con.rollback()
            raise
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
            stored = self._con.execute(
                "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [sorted(missing)]
            ).fetchall()
            missing -= {r[0] for r in stored}
        if missing:
            raise StoreError(
                f"signatures or duplicate links name {len(missing)} article(s) that are "
                f"neither in the batch nor stored: {', '.join(sorted(missing)[:5])}",
                where=self._where,
                hint="pass the coded originals in the same write() (the batch was rolled "
                "back); a coder that drops articles must drop their signatures too",
            )
        if signatures:
            signed = self._con.execute(
                "SELECT article_id FROM article_signatures WHERE article_id IN (SELECT unnest(?))",
                [[s.article_id for s in signatures]],
            ).fetchall()
            if signed:  # re-signed (recoded, backfilled): replace; new articles skip the scan
                for table in ("signature_bands", "article_signatures"):
                    self._con.execute(
                        f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))",
                        [[r[0] for r in signed]],
                    )
            last = {s.article_id: s for s in signatures}
            self._load(
                "article_signatures",
                self._arrow(
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
                ),
            )
            bands = [
                {"band_key": key, "article_id": s.article_id}
                for s in last.values()
                for key in dict.fromkeys(s.band_keys)
            ]
            self._load("signature_bands", self._arrow("signature_bands", bands))
        if duplicates:
            now = _utcnow()
            links: dict[str, dict[str, Any]] = {}
            for d in duplicates:
                rec = {c: getattr(d, c) for c in DUPLICATE_COLUMNS if c != "detected_at"}
                rec["detected_at"] = now
                links.setdefault(d.duplicate_id, rec)
            self._load("duplicates", self._arrow("duplicates", list(links.values())), ignore=True)
        if inputs:
            now = _utcnow()
            stamps = {i.path: i for i in inputs}
            self._con.execute(
                "DELETE FROM input_files WHERE path IN (SELECT unnest(?))", [list(stamps)]
            )
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
            self._load("input_files", self._arrow("input_files", records))

    # -- reading -------------------------------------------------------------------------

    def _fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """Run a read query; database failures become StoreError."""
        try:
            return self._con.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(
                f"could not read the store: {exc}",
                where=self._where,
                hint="check that the file is intact and not being replaced; "
                "if it was written by a newer communique, upgrade",
            ) from exc

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
        extra = _EXPLAIN_COLUMNS
        ev_cols = [f"e.{_q(c)}" for c in (*ROW_COLUMNS, *extra)]
        art_cols = [f"a.{_q(c)}" for c in _ARTICLE_FIELDS]
        found = self._fetch(
            f"SELECT {', '.join(ev_cols + art_cols)} FROM events e "
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
        article = dict(zip(_ARTICLE_FIELDS, row[n_row + n_extra :], strict=True))
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
            f"SELECT {_cols(_ARTICLE_FIELDS)} FROM articles WHERE id = ?", [article_id]
        )
        if not found:
            return None
        article = dict(zip(_ARTICLE_FIELDS, found[0], strict=True))
        if article["published"] is not None:
            article["published"] = article["published"].isoformat()
        return article

    def article_events(self, article_id: str) -> list[dict[str, Any]]:
        """The article's rows (nested shape) in stored order, each with ``trigger``
        ({text, start, end}) and ``sentence_index``."""
        extra = ("trigger_text", "trigger_start", "trigger_end", "sentence_index")
        found = self._fetch(
            f"SELECT {_cols((*ROW_COLUMNS, *extra))} FROM events WHERE article_id = ? "
            "ORDER BY row_index",
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
            "SELECT id, coder_version FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
        )
        return {r[0]: r[1] for r in found}

    def duplicate_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` recorded as near-duplicates."""
        if not ids:
            return set()
        found = self._fetch(
            "SELECT duplicate_id FROM duplicates WHERE duplicate_id IN (SELECT unnest(?))",
            [list(ids)],
        )
        return {r[0] for r in found}

    def band_matches(self, keys: Sequence[int]) -> list[tuple[int, str]]:
        """(band key, article id) of every stored signature having one of ``keys``."""
        if not keys:
            return []
        found = self._fetch(
            "SELECT band_key, article_id FROM signature_bands "
            "WHERE band_key IN (SELECT unnest(?::BIGINT[])) ORDER BY band_key, article_id",
            [list(keys)],
        )
        return [(int(k), a) for k, a in found]

    def signatures_of(self, ids: Sequence[str], scheme: str) -> dict[str, tuple[bytes, int]]:
        """(packed signature, shingle count) of those of ``ids`` signed under ``scheme``."""
        if not ids:
            return {}
        found = self._fetch(
            "SELECT article_id, signature, shingles FROM article_signatures "
            "WHERE scheme = ? AND article_id IN (SELECT unnest(?))",
            [scheme, list(ids)],
        )
        return {a: (bytes(sig), int(n)) for a, sig, n in found}

    def duplicate_links(self, original_id: str | None = None) -> list[DuplicateLink]:
        """Recorded near-duplicates (of ``original_id`` when given), by original then
        duplicate id."""
        cols = [c for c in DUPLICATE_COLUMNS if c != "detected_at"]
        where, params = ("WHERE original_id = ?", [original_id]) if original_id else ("", [])
        found = self._fetch(
            f"SELECT {_cols(cols)} FROM duplicates {where} ORDER BY original_id, duplicate_id",
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

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None:
        """Store signatures of already stored articles (a backfill), in one transaction."""
        self.write([], "", signatures=signatures)

    def input_stamps(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str]]:
        """(size, mtime_ns, coder_version) recorded for each of ``paths`` (absolute)."""
        if not paths:
            return {}
        found = self._fetch(
            "SELECT path, size, mtime_ns, coder_version FROM input_files "
            "WHERE path IN (SELECT unnest(?))",
            [list(paths)],
        )
        return {p: (int(size), int(mtime), v) for p, size, mtime, v in found}


def _utcnow() -> datetime:
    """Naive UTC timestamp (the TIMESTAMP columns hold UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)
