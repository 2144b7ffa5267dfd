"""What every store offers, and what every store shares: the ``Store`` protocol, the flat
column layout of stored event rows (and the way back to the nested dyadic shape of
``model.rows.event_rows``), and the versioned-migration runner.

No database driver is imported here: backends (``store/duckdb.py``, ``store/postgres.py``,
both over ``store/sql.py``) import their own.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from communique.errors import StoreError
from communique.model import ROW_FIELDS, CodedArticle, event_rows

if TYPE_CHECKING:
    from types import TracebackType

    import pyarrow as pa

    from communique.query import EventFilter

# ---------------------------------------------------------------------------------------
# Column layout
# ---------------------------------------------------------------------------------------

# Nested members of a dyadic row (model/rows.py) and the order of their keys.
ACTOR_FIELDS = ("name", "country", "sector", "org", "role", "actor_id")
LOCATION_FIELDS = ("name", "country", "lat", "lon")
EVIDENCE_FIELDS = ("text", "start", "end")
_NESTED: dict[str, tuple[str, ...]] = {
    "source": ACTOR_FIELDS,
    "target": ACTOR_FIELDS,
    "location": LOCATION_FIELDS,
    "evidence": EVIDENCE_FIELDS,
}
# The member whose NULL column means "the whole nested value is null": name is required on
# ActorRef and Place, so a stored NULL name can only come from a missing actor/location.
_PRESENCE_FIELD = "name"


def _flatten_fields() -> tuple[str, ...]:
    cols: list[str] = []
    for name in ROW_FIELDS:
        if name in _NESTED:
            cols.extend(f"{name}_{sub}" for sub in _NESTED[name])
        else:
            cols.append(name)
    return tuple(cols)


# The columns of the events table that hold a dyadic row, in ROW_FIELDS order.
ROW_COLUMNS: tuple[str, ...] = _flatten_fields()

# Columns the store adds to each event row: position of the row in event_rows() output
# (stable order), scoring keys of source/target (CODING.md: country, else org, else
# "unknown"; NULL when there is no actor) for the country/dyad filters, the first and last
# day covered by ``date`` for since/until, and what `explain` needs.
EXTRA_EVENT_COLUMNS: tuple[str, ...] = (
    "row_index",
    "source_key",
    "target_key",
    "date_lo",
    "date_hi",
    "trigger_start",
    "trigger_end",
    "trigger_text",
    "trace",
    "sentence_index",
)
EVENT_COLUMNS: tuple[str, ...] = ROW_COLUMNS + EXTRA_EVENT_COLUMNS

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id",
    "text",
    "lang",
    "published",
    "published_month",
    "url",
    "title",
    "source",
    "origin",
    "coder_version",
    "ingested_at",
    "meta",
)

ACTOR_COLUMNS: tuple[str, ...] = (
    "article_id",
    "mention_index",
    "name",
    "kind",
    "country",
    "sector",
    "org",
    "role",
    "actor_id",
    "method",
    "confidence",
    "span_start",
    "span_end",
)


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What one ``Store.write`` did. ``articles_skipped`` counts articles already stored
    with the same coder version, and repeats of one article id inside the batch."""

    articles_added: int
    articles_skipped: int
    events_added: int


def date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """First and last day covered by a DateRef value ("YYYY-MM-DD", "YYYY-MM", "YYYY").

    Anything else (None, malformed) gives (None, None): such events never match a
    since/until filter, and their ``date`` string is still stored unchanged.
    """
    if not value:
        return None, None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(parts[0], parts[1], parts[2])
            return day, day
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, calendar.IllegalMonthError):
        pass
    return None, None


def _actor_key(actor: Mapping[str, Any] | None) -> str | None:
    if actor is None:
        return None
    return actor.get("country") or actor.get("org") or "unknown"


def event_records(coded: CodedArticle, coder_version: str) -> list[dict[str, Any]]:
    """Flat records (``EVENT_COLUMNS``) of one coded article: its ``event_rows()`` plus the
    store's extra columns, in event_rows() order."""
    rows = event_rows(coded, coder_version)
    records: list[dict[str, Any]] = []
    index = 0
    expected = sum(max(len(e.sources), 1) * max(len(e.targets), 1) for e in coded.events)
    for ev in coded.events:
        n = max(len(ev.sources), 1) * max(len(ev.targets), 1)
        group = rows[index : index + n]
        if len(rows) != expected or len({r["mention_id"] for r in group}) != 1:
            # event_rows() no longer emits rows event by event: fail loudly, not silently
            raise StoreError(
                f"event rows of article {coded.article.id} are not in event order",
                where="communique/store/base.py",
                hint="keep model.rows.event_rows() emitting rows event by event",
            )
        for row in group:
            rec = flatten_row(row)
            lo, hi = date_bounds(row["date"])
            rec.update(
                row_index=index,
                source_key=_actor_key(row["source"]),
                target_key=_actor_key(row["target"]),
                date_lo=lo,
                date_hi=hi,
                trigger_start=ev.trigger.start,
                trigger_end=ev.trigger.end,
                trigger_text=ev.trigger.text,
                trace=list(ev.trace),
                sentence_index=ev.sentence_index,
            )
            records.append(rec)
            index += 1
    return records


def flatten_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A nested dyadic row -> ``ROW_COLUMNS`` values (missing nested values become NULLs)."""
    flat: dict[str, Any] = {}
    for name in ROW_FIELDS:
        value = row[name]
        if name in _NESTED:
            for sub in _NESTED[name]:
                flat[f"{name}_{sub}"] = None if value is None else value[sub]
        else:
            flat[name] = value
    return flat


def nest_row(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``ROW_COLUMNS`` values -> the nested dyadic row of ``event_rows()``, keys in order."""
    row: dict[str, Any] = {}
    for name in ROW_FIELDS:
        if name in _NESTED:
            subs = _NESTED[name]
            if name != "evidence" and flat[f"{name}_{_PRESENCE_FIELD}"] is None:
                row[name] = None
            else:
                row[name] = {sub: flat[f"{name}_{sub}"] for sub in subs}
        elif name == "contexts":
            row[name] = list(flat[name] or [])
        else:
            row[name] = flat[name]
    return row


def article_record(coded: CodedArticle, coder_version: str) -> dict[str, Any]:
    """Flat record of the article (``ARTICLE_COLUMNS`` minus ``ingested_at``; meta as a
    dict, each backend serialises it)."""
    a = coded.article
    return {
        "id": a.id,
        "text": a.text,
        "lang": a.lang,
        "published": a.published,
        "published_month": a.published_month,
        "url": a.url,
        "title": a.title,
        "source": a.source,
        "origin": a.origin,
        "coder_version": coder_version,
        "meta": dict(a.meta),
    }


def actor_records(coded: CodedArticle) -> list[dict[str, Any]]:
    """Flat records (``ACTOR_COLUMNS``) of every resolved actor mention of the article."""
    out: list[dict[str, Any]] = []
    for i, actor in enumerate(coded.actors):
        out.append(
            {
                "article_id": coded.article.id,
                "mention_index": i,
                "name": actor.name,
                "kind": actor.kind,
                "country": actor.country,
                "sector": actor.sector,
                "org": actor.org,
                "role": actor.role,
                "actor_id": actor.actor_id,
                "method": actor.method,
                "confidence": actor.confidence,
                "span_start": None if actor.span is None else actor.span.start,
                "span_end": None if actor.span is None else actor.span.end,
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# The protocol
# ---------------------------------------------------------------------------------------


class Store(Protocol):
    """A place coded articles are written to (by one writer) and event rows read from."""

    def write(self, batch: Sequence[CodedArticle], coder_version: str) -> WriteReport:
        """Store a batch atomically: all of it or nothing. Articles already stored with the
        same coder version are skipped; with another version they are replaced."""
        ...

    def events(self, flt: EventFilter) -> list[dict[str, Any]]:
        """Dyadic rows (the shape of ``event_rows()``) matching ``flt``, ordered by date,
        article id, evidence start."""
        ...

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One row plus ``trigger``, ``trace``, ``sentence_index`` and ``article``."""
        ...

    def articles_count(self) -> int: ...

    def events_count(self, flt: EventFilter | None = None) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


# ---------------------------------------------------------------------------------------
# Migrations
# ---------------------------------------------------------------------------------------

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


class MigrationTarget(Protocol):
    """What the runner needs from a backend."""

    def schema_version(self) -> int:
        """Highest applied version; 0 for an empty database."""
        ...

    def apply_migration(self, migration: Migration) -> None:
        """Run the migration's SQL and record its version in ``schema_version``, in one
        transaction."""
        ...


def load_migrations(dialect: str) -> tuple[Migration, ...]:
    """The packaged migrations ``store/migrations/<dialect>/NNNN_name.sql``, in order.

    Versions must run 1, 2, 3... without gaps: a gap means a file was lost in packaging.
    """
    folder = resources.files("communique.store").joinpath("migrations", dialect)
    where = f"communique/store/migrations/{dialect}"
    if not folder.is_dir():
        raise StoreError(
            f"no migrations for store dialect {dialect!r}",
            where=where,
            hint="reinstall communique; its store/migrations folder is incomplete",
        )
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if not found or [m.version for m in found] != expected:
        raise StoreError(
            f"migrations are missing or not numbered 1..n: {[m.version for m in found]}",
            where=where,
            hint="reinstall communique; migration files must be packaged as NNNN_name.sql",
        )
    return tuple(found)


def pending_migrations(
    current: int, migrations: Iterable[Migration], *, where: str
) -> tuple[Migration, ...]:
    """Migrations newer than ``current``; a store newer than the code is an error."""
    ordered = tuple(sorted(migrations, key=lambda m: m.version))
    latest = max((m.version for m in ordered), default=0)
    if current > latest:
        raise StoreError(
            f"store schema version {current} is newer than this communique knows ({latest})",
            where=where,
            hint="upgrade communique (pip install -U communique), or use another --store",
        )
    return tuple(m for m in ordered if m.version > current)


def migrate(target: MigrationTarget, migrations: Iterable[Migration], *, where: str) -> int:
    """Apply every pending migration, oldest first; return the resulting version."""
    version = target.schema_version()
    for migration in pending_migrations(version, migrations, where=where):
        target.apply_migration(migration)
        version = migration.version
    return version


def ensure_schema(
    target: MigrationTarget, migrations: Sequence[Migration], *, read_only: bool, where: str
) -> None:
    """Bring a store opened for writing up to date; refuse a read-only one that is not."""
    if not read_only:
        migrate(target, migrations, where=where)
        return
    current = target.schema_version()
    if pending_migrations(current, migrations, where=where):
        raise StoreError(
            f"the store is at schema version {current} and needs upgrading",
            where=where,
            hint="open it once for writing (e.g. `communique ingest`) to upgrade it",
        )


# ---------------------------------------------------------------------------------------
# Near-duplicates and incremental ingest (migration 0002)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """The MinHash signature of a coded article (ingest/neardup.py) and its LSH band keys.
    ``signature`` is the packed form the store keeps (little-endian uint32 minimums);
    ``scheme`` names the hashing parameters, and only same-scheme signatures compare."""

    article_id: str
    scheme: str
    signature: bytes
    shingles: int  # distinct shingles summarised, to estimate how much of a copy is new
    band_keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """An article not coded because it is a near-duplicate of ``original_id`` (a coded
    article, stored or in the same batch). The duplicate's own metadata is kept so that
    a story can count its sources; its text is not."""

    duplicate_id: str
    original_id: str
    similarity: float
    scheme: str
    origin: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    lang: str | None = None
    published: date | None = None
    published_month: str | None = None


@dataclass(frozen=True, slots=True)
class InputStamp:
    """An input file as last fully read and stored: its absolute path, size and
    modification time (ns). Same stamp and same coder version: nothing to read again."""

    path: str
    size: int
    mtime_ns: int


DUPLICATE_COLUMNS: tuple[str, ...] = (
    "duplicate_id",
    "original_id",
    "similarity",
    "scheme",
    "origin",
    "url",
    "title",
    "source",
    "lang",
    "published",
    "published_month",
    "detected_at",
)


class DuplicateIndex(Protocol):
    """What near-duplicate selection (ingest/neardup.py ``select_new``) reads from a store."""

    def stored_versions(self, ids: Sequence[str]) -> dict[str, str]:
        """Coder version of each of ``ids`` stored as a coded article."""
        ...

    def duplicate_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` recorded as near-duplicates."""
        ...

    def band_matches(self, keys: Sequence[int]) -> list[tuple[int, str]]:
        """(band key, article id) of every stored signature having one of ``keys``."""
        ...

    def signatures_of(self, ids: Sequence[str], scheme: str) -> dict[str, tuple[bytes, int]]:
        """(packed signature, shingle count) of those of ``ids`` signed under ``scheme``."""
        ...


class InputIndex(Protocol):
    """What incremental ingest (ingest/incremental.py) reads from a store."""

    def input_stamps(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str]]:
        """(size, mtime_ns, coder_version) recorded for each of ``paths`` (absolute)."""
        ...


# ---------------------------------------------------------------------------------------
# Arrow reads (exports, frames)
# ---------------------------------------------------------------------------------------


class ArrowSource(Protocol):
    """What exports and DataFrames (export/source.py, frames.py) read a store through:
    read-only SQL over its tables, written in the SQL every backend accepts (store/sql.py)
    with ``?`` placeholders, answered as Arrow or tuples. Raises StoreError."""

    dialect: str  # "duckdb", "postgres"
    where: str  # the store as messages name it (a path, or a URL without password)

    def arrow_stream(
        self, sql: str, params: Sequence[Any], batch_rows: int = ...
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """The result's schema and its rows as record batches of at most ``batch_rows``
        rows, produced as they are consumed; the same schema on every backend."""
        ...

    def arrow_table(self, sql: str, params: Sequence[Any]) -> pa.Table:
        """The whole result as one Arrow table."""
        ...

    def fetch_all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of a small result (aggregates) as tuples."""
        ...
