"""What the write-endpoint tests share (not a test module): a token, a fake coder that
needs no model, an app with writes on, and a snapshot of every table of a store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
from api_store import AsgiClient
from fastapi import FastAPI

from communique.api import create_app
from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan
from communique.settings import Settings
from communique.store import is_store_url

TOKEN = "test-write-token-0123456789abcdef"
# A trigger word the fake coder codes (as a CONSULT between two fixed actors).
TRIGGER = "rencontré"


class FakeCoder:
    """One CONSULT per article whose text holds ``TRIGGER``; remembers what it coded."""

    coder_version = "fake-api-1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for a in articles:
            self.seen.append(a.id)
            if TRIGGER not in a.text:
                yield CodedArticle(a, ())
                continue
            at = a.text.index(TRIGGER)
            event = Event(
                type="CONSULT",
                mode=None,
                sources=(ActorRef("Ilham Aliyev", "person", country="AZE", sector="GOV"),),
                targets=(ActorRef("Jean Dupont", "person", country="FRA", sector="GOV"),),
                date=DateRef(a.published.isoformat() if a.published else None, "day"),
                evidence=TextSpan.of(a.text, 0, len(a.text)),
                trigger=TextSpan.of(a.text, at, at + len(TRIGGER)),
                rule="fake.consult",
                confidence=0.8,
                quad=1,
                intensity=1.0,
            )
            yield CodedArticle(a, (event,))


def writing_app(
    store: Path | str, coder: Any | None = None, static_dir: Path | None = None, **changes: Any
) -> FastAPI:
    """An app over ``store`` with writes on (``TOKEN``) and the fake coder; ``changes``
    are settings."""
    settings = Settings().with_(api_write_token=TOKEN, **changes)
    return create_app(store, settings, coder=coder or FakeCoder(), static_dir=static_dir)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post(
    client: AsgiClient, dispatches: list[Any], token: str | None = TOKEN, **kwargs: Any
) -> httpx.Response:
    headers = auth(token) if token is not None else {}
    return client.request(
        "POST", "/api/ingest", json={"dispatches": dispatches}, headers=headers, **kwargs
    )


def dispatch(i: int | str, text: str | None = None, **fields: Any) -> dict[str, Any]:
    """A dispatch record with an event for the fake coder (each text is its own story)."""
    # words of its own after a short common start: no two texts are near-duplicates
    own = " ".join(f"point{i}x{k}" for k in range(12))
    body = text or f"Bakou, 3 mars. Ilham Aliyev a {TRIGGER} Jean Dupont. Dossier {i}: {own}."
    return {"id": f"w{i}", "text": body, "lang": "fr", "published": "2025-03-03", **fields}


# -- snapshots of a store, to show it unchanged ---------------------------------------------


def _tables(con: Any, duck: bool) -> list[str]:
    if duck:
        rows = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
    return sorted(r[0] for r in rows)


def snapshot(store: Path | str) -> dict[str, list[str]]:
    """Every row of every table of the store, as sorted reprs: equal snapshots mean an
    unchanged store (same tables, same rows)."""
    duck = not is_store_url(store)
    if duck:
        import duckdb

        con: Any = duckdb.connect(str(store), read_only=True)
    else:
        import psycopg

        con = psycopg.connect(str(store))
    try:
        return {
            t: sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"').fetchall())
            for t in _tables(con, duck)
        }
    finally:
        con.close()


def checksum(snap: dict[str, list[str]]) -> str:
    digest = hashlib.sha256()
    for table, rows in sorted(snap.items()):
        digest.update(table.encode())
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()
