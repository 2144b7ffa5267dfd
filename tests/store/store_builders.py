"""Hand-built coded articles for the store tests (not a test module; imported by the tests
beside it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan

AZE_MIN = ActorRef(
    "Elnour Mammadov",
    "person",
    country="AZE",
    sector="GOV",
    role="deputy minister of foreign affairs",
    actor_id="person:elnour-mammadov",
    method="gazetteer",
)
JPN_REP = ActorRef(
    "Masaki Ishikawa", "person", country="JPN", sector="GOV", role="special representative"
)
UNO = ActorRef("les Nations unies", "org", sector="IGO", org="UNO", method="org-table")
NOBODY = ActorRef("des inconnus", "group", method="fallback", confidence=0.4)
OBRIEN = ActorRef("Sean O'Brien'; DROP TABLE events; --", "person", country="IRL")


def span(text: str, needle: str) -> TextSpan:
    start = text.index(needle)
    return TextSpan.of(text, start, start + len(needle))


def event(
    text: str,
    sentence: str,
    trigger: str,
    etype: str,
    sources: tuple[ActorRef, ...],
    targets: tuple[ActorRef, ...] = (),
    when: str | None = "2024-11-29",
    precision: str | None = "day",
    **extra: Any,
) -> Event:
    ev_span = span(text, sentence)
    trig = span(text, trigger)
    return Event(
        type=etype,
        mode=extra.pop("mode", None),
        sources=sources,
        targets=targets,
        date=DateRef(when, precision if when else None, method="test"),
        evidence=ev_span,
        trigger=trig,
        rule=extra.pop("rule", f"fr.{etype.lower()}.test"),
        confidence=extra.pop("confidence", 0.9),
        trace=extra.pop("trace", ("source: gazetteer", "target: title+demonym")),
        **extra,
    )


def article(aid: str, text: str, **extra: Any) -> Article:
    return Article(
        id=aid,
        text=text,
        lang=extra.pop("lang", "fr"),
        published=extra.pop("published", date(2024, 11, 29)),
        origin=extra.pop("origin", f"{aid}.txt"),
        meta=extra.pop("meta", {"encoding": "utf-8"}),
        **extra,
    )


def baku_visit(aid: str = "a-baku") -> CodedArticle:
    """AZE-JPN consult (visit, located) + a one-sided, undated ASSAULT + a 2-target SUPPORT."""
    text = (
        "Bakou, 29 novembre, AZERTAC. Le vice-ministre Elnour Mammadov a rencontré "
        "Masaki Ishikawa à Bakou. Des inconnus ont attaqué un poste. "
        "Les Nations unies ont salué l'accord avec le Japon."
    )
    s1 = "Le vice-ministre Elnour Mammadov a rencontré Masaki Ishikawa à Bakou."
    s2 = "Des inconnus ont attaqué un poste."
    s3 = "Les Nations unies ont salué l'accord avec le Japon."
    return CodedArticle(
        article=article(aid, text, title="Visite", url="https://example.org/1"),
        events=(
            event(
                text,
                s1,
                "a rencontré",
                "CONSULT",
                (JPN_REP,),
                (AZE_MIN,),
                mode="visit",
                cameo="042",
                location=Place("Bakou", country="AZE", lat=40.38, lon=49.89),
                contexts=("diplomatic", "economic"),
                quad=1,
                intensity=1.0,
                sentence_index=1,
            ),
            event(text, s2, "ont attaqué", "ASSAULT", (NOBODY,), (), when=None, sentence_index=2),
            event(
                text,
                s3,
                "ont salué",
                "SUPPORT",
                (UNO,),
                (AZE_MIN, JPN_REP),
                negated=True,
                sentence_index=3,
            ),
        ),
        actors=(AZE_MIN, JPN_REP, NOBODY, UNO),
    )


def tokyo_reply(aid: str = "a-tokyo") -> CodedArticle:
    """AZE -> JPN (the reverse direction), a month-precision date, and a name with quotes."""
    text = (
        "Tokyo, décembre. Elnour Mammadov a invité Masaki Ishikawa. "
        "Sean O'Brien'; DROP TABLE events; -- a critiqué Tokyo."
    )
    return CodedArticle(
        article=article(aid, text, published=None, published_month="2024-12"),
        events=(
            event(
                text,
                "Elnour Mammadov a invité Masaki Ishikawa.",
                "a invité",
                "AGREE",
                (AZE_MIN,),
                (JPN_REP,),
                when="2024-12",
                precision="month",
            ),
            event(
                text,
                "Sean O'Brien'; DROP TABLE events; -- a critiqué Tokyo.",
                "a critiqué",
                "ACCUSE",
                (OBRIEN,),
                (),
                when="2024-12-03",
            ),
        ),
        actors=(AZE_MIN, JPN_REP, OBRIEN),
    )


def quiet(aid: str = "a-quiet") -> CodedArticle:
    """An article without any event."""
    return CodedArticle(article=article(aid, "Rien à signaler aujourd'hui."), events=())


def sample_batch() -> list[CodedArticle]:
    return [baku_visit(), tokyo_reply(), quiet()]
