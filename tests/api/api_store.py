"""A small hand-built store for the HTTP API tests (not a test module; imported by the
tests beside it and by conftest.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan
from communique.store import open_store

VERSION = "api-test-1"

AZE = ActorRef("Elnour Mammadov", "person", country="AZE", sector="GOV", role="deputy minister")
JPN = ActorRef("Masaki Ishikawa", "person", country="JPN", sector="GOV")
UNO = ActorRef("les Nations unies", "org", sector="IGO", org="UNO")
FRA = ActorRef("Jean Dupont", "person", country="FRA", sector="GOV")
NOBODY = ActorRef("des inconnus", "group")
OBRIEN = ActorRef("Sean O'Brien'; DROP TABLE events; --", "person", country="IRL")
RUS = ActorRef("Sergueï Lavrov", "person", country="RUS", sector="GOV")
CHN = ActorRef("Wang Yi", "person", country="CHN", sector="GOV")

BAKU = Place("Bakou", country="AZE", lat=40.38, lon=49.89)
MOSCOW = Place("Moscou", country="RUS", lat=55.75, lon=37.62)

# (intensity, quad) by type, as coding/data/plover.yaml and model/plover.py give them
_SCALE = {
    "CONSULT": (1.0, 1),
    "AGREE": (3.0, 1),
    "SUPPORT": (3.5, 1),
    "ACCUSE": (-2.0, 3),
    "REJECT": (-4.0, 3),
    "THREATEN": (-6.0, 3),
    "ASSAULT": (-9.0, 4),
}


def ev(
    text: str,
    sentence: str,
    trigger: str,
    etype: str,
    sources: tuple[ActorRef, ...],
    targets: tuple[ActorRef, ...] = (),
    when: str | None = None,
    **extra: Any,
) -> Event:
    start = text.index(sentence)
    tstart = text.index(trigger, start)
    intensity, quad = _SCALE[etype]
    precision = None if when is None else {10: "day", 7: "month", 4: "year"}[len(when)]
    return Event(
        type=etype,
        mode=extra.pop("mode", None),
        sources=sources,
        targets=targets,
        date=DateRef(when, precision),
        evidence=TextSpan.of(text, start, start + len(sentence)),
        trigger=TextSpan.of(text, tstart, tstart + len(trigger)),
        rule=f"fr.{etype.lower()}.test",
        confidence=0.9,
        quad=quad,
        intensity=intensity,
        trace=("source: test", "target: test"),
        **extra,
    )


def coded_articles() -> list[CodedArticle]:
    t1 = (
        "Bakou, 9 août. Masaki Ishikawa a rencontré Elnour Mammadov à Bakou. "
        "Elnour Mammadov a accusé les Nations unies, « d'accord à 100% sur_tout »."
    )
    s11 = "Masaki Ishikawa a rencontré Elnour Mammadov à Bakou."
    s12 = "Elnour Mammadov a accusé les Nations unies, « d'accord à 100% sur_tout »."
    a1 = CodedArticle(
        Article(
            id="news/a1",
            text=t1,
            lang="fr",
            published=date(2024, 8, 9),
            title="Visite à Bakou",
            source="AZERTAC",
        ),
        (
            ev(
                t1,
                s11,
                "a rencontré",
                "CONSULT",
                (JPN,),
                (AZE,),
                "2024-08-09",
                mode="visit",
                location=BAKU,
                sentence_index=1,
            ),
            ev(t1, s12, "a accusé", "ACCUSE", (AZE,), (UNO,), "2024-08-10", sentence_index=2),
        ),
        (JPN, AZE, UNO),
    )
    t2 = (
        "Tokyo, 29 novembre. Elnour Mammadov a invité Masaki Ishikawa. "
        "Des inconnus ont attaqué un poste. "
        "Masaki Ishikawa n'a pas salué Elnour Mammadov."
    )
    s21 = "Elnour Mammadov a invité Masaki Ishikawa."
    s22 = "Des inconnus ont attaqué un poste."
    s23 = "Masaki Ishikawa n'a pas salué Elnour Mammadov."
    a2 = CodedArticle(
        Article(id="a2", text=t2, lang="fr", published=date(2024, 11, 29)),
        (
            ev(t2, s21, "a invité", "AGREE", (AZE,), (JPN,), "2024-11-29", sentence_index=1),
            ev(t2, s22, "ont attaqué", "ASSAULT", (NOBODY,), (), "2024-11", sentence_index=2),
            ev(
                t2,
                s23,
                "salué",
                "SUPPORT",
                (JPN,),
                (AZE,),
                "2024-11-29",
                negated=True,
                sentence_index=3,
            ),
        ),
    )
    t3 = (
        "Paris. Jean Dupont a menacé Elnour Mammadov. "
        "Sean O'Brien'; DROP TABLE events; -- a rejeté Elnour Mammadov."
    )
    s31 = "Jean Dupont a menacé Elnour Mammadov."
    s32 = "Sean O'Brien'; DROP TABLE events; -- a rejeté Elnour Mammadov."
    a3 = CodedArticle(
        Article(id="a3", text=t3, lang="fr", published_month="2024-12"),
        (
            ev(t3, s31, "a menacé", "THREATEN", (FRA,), (AZE,), "2024", sentence_index=0),
            ev(t3, s32, "a rejeté", "REJECT", (OBRIEN,), (AZE,), None, sentence_index=1),
        ),
    )
    # twelve RUS-CHN meetings for paging: two per day, six days
    sentences = [f"Lavrov a rencontré Wang Yi, réunion {i}." for i in range(12)]
    t4 = "Moscou. " + " ".join(sentences)
    a4 = CodedArticle(
        Article(id="a4", text=t4, lang="fr", published=date(2024, 9, 1)),
        tuple(
            ev(
                t4,
                s,
                "a rencontré",
                "CONSULT",
                (RUS,),
                (CHN,),
                f"2024-09-0{1 + i // 2}",
                location=MOSCOW,
                sentence_index=i + 1,
            )
            for i, s in enumerate(sentences)
        ),
    )
    return [a1, a2, a3, a4]


def build_store(path: Path, articles: list[CodedArticle] | None = None) -> Path:
    with open_store(path) as store:
        store.write(articles if articles is not None else coded_articles(), VERSION)
    return path


def rows_of(articles: list[CodedArticle]) -> list[dict[str, Any]]:
    from communique.model import event_rows

    return [row for coded in articles for row in event_rows(coded, VERSION)]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"].startswith("C") and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return dict(error)


class AsgiClient:
    """Synchronous calls into the app through httpx's ASGI transport (in-process)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.request(method, url, **kwargs)

        return asyncio.run(call())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)


@contextmanager
def held_by_another_process(path: Path) -> Iterator[None]:
    """The store at ``path`` opened for writing by another process (as an ingest does)
    for the duration of the block."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from communique.store import open_store
                with open_store({str(path)!r}) as store:
                    print("open", flush=True)
                    sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
