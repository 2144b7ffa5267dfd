"""POST /api/ingest: who may write, what a request may carry, and how its dispatches are
coded and stored.

* Off unless ``Settings.api_write_token`` is set; a request must then carry it as
  ``Authorization: Bearer TOKEN``, compared in constant time (``hmac.compare_digest``).
* The body is ``{"dispatches": [record, ...]}``, each record as a line of a JSONL input
  (``id``, ``text``; optional ``lang``, ``published``, ``url``, ``title``, ``source``),
  read by the JSONL reader's own checks. A request is all or nothing: one unreadable
  dispatch refuses the whole request, naming each problem, and nothing is stored.
* Coding and storing follow one batch of the ingest driver (engines/driver.py):
  near-duplicate selection against the store, coding, then one ``store.write``
  transaction. The store is held only for the selection (read-only) and for the write,
  never while the coder runs, and never between requests; one write request at a time per
  app (a second waits). With DuckDB every opening goes through the app's ``StoreGate``.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.api.context import STORE_BUSY_POLL_SECONDS, STORE_BUSY_WAIT_SECONDS
from communique.api.errors import (
    InvalidBodyError,
    PayloadTooLargeError,
    StoreBusyError,
    UnauthorizedError,
)
from communique.api.gate import StoreGate
from communique.errors import SettingsError, StoreError
from communique.model import Article
from communique.query import MAX_ARTICLE_ID_CHARS
from communique.settings import Settings
from communique.store.base import WriteReport

if TYPE_CHECKING:
    from communique.ingest.neardup import MinHasher
    from communique.store.sql import SqlStore

# The environment variable `communique serve` reads the write token from.
WRITE_TOKEN_ENV = "COMMUNIQUE_API_TOKEN"
# Shortest write token accepted: 16 random characters are ~80-95 bits, out of reach of
# guessing at the write rate limit; `python -c "import secrets;
# print(secrets.token_urlsafe(32))"` makes a good one.
MIN_WRITE_TOKEN_CHARS = 16
# How long a write request waits for the one before it (coding ~100 dispatches takes
# ~6 s, Settings.api_max_dispatches) before answering 503: a few full requests' time.
WRITE_QUEUE_WAIT_SECONDS = 30.0
# The fields a dispatch record may have: those of a JSONL input line (ingest/readers.py).
DISPATCH_FIELDS = ("id", "text", "lang", "published", "url", "title", "source")
# Origin stored with an article that came through the API (files store their path).
API_ORIGIN = "POST /api/ingest"

_WHERE = "communique/api"
# Characters no store keeps in a text column (PostgreSQL refuses NUL, and no encoder takes
# a lone surrogate, which a JSON "\ud800" escape makes). The reader drops them from the
# text itself (ingest/normalize.py); in the other fields they are refused.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_BODY_HINT = 'send {"dispatches": [{"id": "...", "text": "..."}, ...]} as application/json'


# -- authorisation ----------------------------------------------------------------------


def check_token_setting(token: str | None) -> None:
    """Raise ``SettingsError`` for a write token too short (or blank) to be safe."""
    if token is not None and len(token.strip()) < MIN_WRITE_TOKEN_CHARS:
        raise SettingsError(
            f"the API write token has {len(token.strip())} characters; at least "
            f"{MIN_WRITE_TOKEN_CHARS} are needed",
            where=f"settings.api_write_token ({WRITE_TOKEN_ENV})",
            hint='make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"',
        )


def check_token(authorization: str | None, expected: str) -> None:
    """Raise ``UnauthorizedError`` unless ``authorization`` is ``Bearer <expected>``.
    Messages never repeat what was sent."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise UnauthorizedError(
            "this request carries no bearer token",
            where=_WHERE,
            hint="send the server's write token as the header Authorization: Bearer TOKEN",
        )
    if not hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
        raise UnauthorizedError(
            "the bearer token is not the server's write token",
            where=_WHERE,
            hint=f"use the token the server was started with ({WRITE_TOKEN_ENV})",
        )


def check_json_type(content_type: str | None) -> None:
    """Raise ``InvalidBodyError`` (415) unless the body is declared application/json: a
    form or text post is never read as dispatches."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise InvalidBodyError(
            f"the body must be application/json, not {media or 'untyped'}",
            where=_WHERE,
            hint=f"set the header Content-Type: application/json; {_BODY_HINT}",
            status=415,
        )


# -- the body -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dispatches:
    """The articles of a valid request, in order, and the readers' warnings about them."""

    articles: list[Article]
    warnings: list[dict[str, str]]


def parse_dispatches(body: bytes, settings: Settings) -> Dispatches:
    """The articles of a request body; ``InvalidBodyError`` (listing every unreadable
    dispatch) or ``PayloadTooLargeError`` (too many dispatches) for anything else."""
    records = _records(body, settings)
    articles: list[Article] = []
    warnings: list[dict[str, str]] = []
    problems: list[dict[str, str | None]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        where = f"dispatches[{index}]"
        found = _article(record, where, settings, seen)
        if isinstance(found, Article):
            seen[found.id] = index
            articles.append(replace(found, origin=API_ORIGIN))
            warnings.extend({"where": where, "message": m} for m in found.warnings)
        else:
            problems.append(found)
    if problems:
        listed = "; ".join(f"{p['where']}: {p['message']}" for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InvalidBodyError(
            f"{len(problems)} of {len(records)} dispatch(es) cannot be read, so none was "
            f"stored: {listed}{more}",
            where=_WHERE,
            hint="fix or leave out the dispatches listed in problems, then send them again",
            problems=problems,
        )
    return Dispatches(articles, warnings)


def _records(body: bytes, settings: Settings) -> list[Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidBodyError(
            f"the body is not UTF-8 (byte {exc.start + 1})", where=_WHERE, hint=_BODY_HINT
        ) from None
    except (ValueError, RecursionError) as exc:
        # RecursionError: arrays or objects nested thousands deep
        why = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
        raise InvalidBodyError(
            f"the body is not JSON: {why}", where=_WHERE, hint=_BODY_HINT
        ) from None
    if not isinstance(data, dict) or set(data) != {"dispatches"}:
        got = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise InvalidBodyError(
            f'the body must be an object with the one key "dispatches" (got {got!r:.80})',
            where=_WHERE,
            hint=_BODY_HINT,
        )
    records = data["dispatches"]
    if not isinstance(records, list) or not records:
        raise InvalidBodyError(
            '"dispatches" must be a non-empty list of dispatch objects',
            where=_WHERE,
            hint=_BODY_HINT,
        )
    if len(records) > settings.api_max_dispatches:
        raise PayloadTooLargeError(
            f"the request carries {len(records)} dispatches, more than api_max_dispatches "
            f"({settings.api_max_dispatches})",
            where=_WHERE,
            hint="send them in several requests, or load large batches with `communique ingest`",
        )
    return records


def _problem(where: str, code: str, message: str, hint: str | None) -> dict[str, str | None]:
    return {"where": where, "code": code, "message": message, "hint": hint}


def _article(
    record: Any, where: str, settings: Settings, seen: dict[str, int]
) -> Article | dict[str, str | None]:
    """One record read as the JSONL reader reads a line, or its problem."""
    from communique.ingest.readers import _record_article

    if not isinstance(record, dict):
        return _problem(
            where, "C105", f"expected a JSON object, found {type(record).__name__}", _BODY_HINT
        )
    unknown = sorted(set(record) - set(DISPATCH_FIELDS))
    if unknown:
        return _problem(
            where,
            "C105",
            f"unknown field(s) {', '.join(repr(u[:40]) for u in unknown[:5])}",
            f"a dispatch has the fields {', '.join(DISPATCH_FIELDS)}",
        )
    for name in ("id", "title", "url", "source", "lang", "published"):
        value = record.get(name)
        if isinstance(value, str) and _UNSTORABLE.search(value):
            return _problem(
                where,
                "C105",
                f"field {name!r} holds a NUL character or an unpaired surrogate",
                f'remove them from "{name}" (no database stores them in text)',
            )
    record_id = record.get("id")
    if isinstance(record_id, str) and len(record_id) > MAX_ARTICLE_ID_CHARS:
        return _problem(
            where,
            "C105",
            f"the id has {len(record_id):,} characters, more than {MAX_ARTICLE_ID_CHARS}",
            "use a shorter id: /api/articles/{id} reads no longer ones",
        )
    if isinstance(record_id, str) and record_id in seen:
        return _problem(
            where,
            "C105",
            f"duplicate id {record_id!r:.80} (first in dispatches[{seen[record_id]}])",
            "give every dispatch its own id",
        )
    found = _record_article(record, where, settings=settings, published=None, lang=None)
    if isinstance(found, Article):
        return found
    error = found.error
    return _problem(where, error.code, error.message, error.hint)


# -- coding and storing ---------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    """What one write request did, per article (``coded``, ``skipped``: already stored by
    this coder version, ``duplicate``: linked to ``original_id``) and in total."""

    articles: list[dict[str, str | None]]
    articles_added: int
    articles_skipped: int
    duplicates: int
    events_added: int
    coder_version: str

    def to_dict(self, warnings: Sequence[dict[str, str]]) -> dict[str, Any]:
        return {
            "received": len(self.articles),
            "articles_added": self.articles_added,
            "articles_skipped": self.articles_skipped,
            "duplicates": self.duplicates,
            "events_added": self.events_added,
            "coder_version": self.coder_version,
            "articles": self.articles,
            "warnings": list(warnings),
        }


class StoreWriter:
    """The write side of one app: its token, coder (built on first use by
    ``coder_factory``, default ``communique.pipeline.Coder``), gate and one-writer lock."""

    def __init__(
        self,
        store_path: Path | str,
        settings: Settings,
        *,
        gate: StoreGate | None,
        coder: Any | None = None,
        coder_factory: Callable[[Settings], Any] | None = None,
        busy_wait: float = STORE_BUSY_WAIT_SECONDS,
        queue_wait: float = WRITE_QUEUE_WAIT_SECONDS,
    ) -> None:
        token = settings.api_write_token
        if token is None:
            raise SettingsError(
                "a StoreWriter needs settings.api_write_token",
                where="communique/api",
                hint=f"set {WRITE_TOKEN_ENV} (communique serve) or Settings.api_write_token",
            )
        check_token_setting(token)
        self.token = token.strip()
        self.store_path = store_path
        self.settings = settings
        self.gate = gate
        self.busy_wait = busy_wait
        self.queue_wait = queue_wait
        self._coder = coder
        self._coder_factory = coder_factory
        self._hasher: MinHasher | None = None
        self._one_writer = threading.Lock()

    def coder(self) -> Any:
        if self._coder is None:
            if self._coder_factory is None:
                from communique.engines.local import default_coder

                self._coder_factory = default_coder
            self._coder = self._coder_factory(self.settings)
        return self._coder

    def ingest(
        self, articles: list[Article], read: Callable[[], AbstractContextManager[SqlStore]]
    ) -> IngestResult:
        """Code and store ``articles`` (one write transaction). ``read`` opens the store
        read-only (the app's ``ApiContext.store``). Raises ``StoreBusyError`` when another
        write request, this app's reads or another process keep the store too long."""
        from communique.ingest.neardup import MinHasher, select_new

        if not self._one_writer.acquire(timeout=self.queue_wait):
            raise StoreBusyError(
                "another write request is still being coded",
                where=_WHERE,
                hint="retry after the number of seconds in the Retry-After header",
            )
        try:
            coder = self.coder()
            version = str(coder.coder_version)
            if self._hasher is None and self.settings.detect_near_duplicates:
                self._hasher = MinHasher.from_settings(self.settings)
            with self._reading(), read() as store:
                selection = select_new(
                    articles,
                    store,
                    settings=self.settings,
                    coder_version=version,
                    hasher=self._hasher,
                )
            coded = list(coder.code(selection.to_code))  # the store is not held meanwhile
            report = WriteReport(articles_added=0, articles_skipped=0, events_added=0)
            if coded or selection.duplicates:  # else every dispatch is stored already
                with self._writing() as store:
                    report = store.write(
                        coded,
                        version,
                        signatures=selection.signatures,
                        duplicates=selection.duplicates,
                    )
        finally:
            self._one_writer.release()
        status: dict[str, dict[str, str | None]] = {}
        for a in selection.to_code:
            status[a.id] = {"status": "coded", "original_id": None}
        for link in selection.duplicates:
            status[link.duplicate_id] = {"status": "duplicate", "original_id": link.original_id}
        return IngestResult(
            articles=[
                {"id": a.id, **status.get(a.id, {"status": "skipped", "original_id": None})}
                for a in articles
            ],
            articles_added=report.articles_added,
            articles_skipped=report.articles_skipped + len(selection.skipped),
            duplicates=len(selection.duplicates),
            events_added=report.events_added,
            coder_version=version,
        )

    def _reading(self) -> AbstractContextManager[None]:
        return self.gate.reading() if self.gate is not None else nullcontext()

    @contextmanager
    def _writing(self) -> Iterator[SqlStore]:
        """The store opened for writing, through the gate; waits (at most ``busy_wait``)
        for another process's lock to go."""
        from communique.store import display_target, open_store

        with self.gate.writing() if self.gate is not None else nullcontext():
            deadline = time.monotonic() + self.busy_wait
            while True:
                try:
                    opened = open_store(self.store_path)
                    break
                except StoreError as exc:
                    if not _held_elsewhere(exc):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreBusyError(
                            "the store is being written by another process and cannot be "
                            "written now",
                            where=display_target(self.store_path),
                            hint="retry when the other `communique ingest` is done",
                        ) from exc
                    time.sleep(STORE_BUSY_POLL_SECONDS)
            with opened:
                yield opened


def _held_elsewhere(exc: StoreError) -> bool:
    """A DuckDB file locked by another process, or open in another mode in this one."""
    return "locked" in exc.message or "another mode" in exc.message
