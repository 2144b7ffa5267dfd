"""Hand-built coded articles and a small store for the export tests (not a test module)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan
from communique.store import open_store

VERSION = "export-test-1"

AZE = ActorRef("Elnour Mammadov", "person", country="AZE", sector="GOV", role="vice-ministre")
JPN = ActorRef("Masaki Ishikawa", "person", country="JPN", sector="GOV")
UNO = ActorRef("les Nations unies", "org", sector="IGO", org="UNO")
NOBODY = ActorRef("des inconnus", "group")
# a name with a tab, a newline and quotes: must not break TSV lines or XML
ODD = ActorRef('Jean "le\tSage"\nDupont', "person", country="FRA", sector="GOV")
RUS = ActorRef("l'armée russe", "org", country="RUS", sector="MIL")
UKR = ActorRef("l'Ukraine", "country", country="UKR", sector="GOV")


def _span(text: str, needle: str) -> TextSpan:
    start = text.index(needle)
    return TextSpan.of(text, start, start + len(needle))


def _event(
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
    return Event(
        type=etype,
        mode=extra.pop("mode", None),
        sources=sources,
        targets=targets,
        date=DateRef(when, precision if when else None, method="test"),
        evidence=_span(text, sentence),
        trigger=_span(text, trigger),
        rule=f"fr.{etype.lower()}.test",
        confidence=0.9,
        **extra,
    )


def baku() -> CodedArticle:
    text = (
        "Bakou, 29 novembre. Elnour Mammadov a rencontré Masaki Ishikawa à Bakou. "
        "Des inconnus ont attaqué un poste. "
        "Les Nations unies ont salué l'accord."
    )
    s1 = "Elnour Mammadov a rencontré Masaki Ishikawa à Bakou."
    s3 = "Les Nations unies ont salué l'accord."
    return CodedArticle(
        article=Article(
            id="a-baku",
            text=text,
            lang="fr",
            published=date(2024, 11, 29),
            url="https://example.org/baku",
            title="Visite",
            source="AZERTAC",
            origin="baku.txt",
        ),
        events=(
            _event(
                text,
                s1,
                "a rencontré",
                "CONSULT",
                (JPN,),
                (AZE,),
                mode="visit",
                cameo="042",
                location=Place("Bakou", country="AZE", lat=40.38, lon=49.89),
                contexts=("diplomatic", "economic"),
                quad=1,
                intensity=1.0,
                sentence_index=0,
            ),
            _event(
                text,
                "Des inconnus ont attaqué un poste.",
                "ont attaqué",
                "ASSAULT",
                (NOBODY,),
                when=None,
                quad=4,
                intensity=-9.0,
                sentence_index=1,
            ),
            # two targets: two dyadic rows of one mention
            _event(
                text,
                s3,
                "ont salué",
                "SUPPORT",
                (UNO,),
                (AZE, JPN),
                cameo="051",
                quad=1,
                intensity=3.0,
                sentence_index=2,
            ),
        ),
        actors=(AZE, JPN, NOBODY, UNO),
    )


def kyiv() -> CodedArticle:
    text = (
        "Kiev, décembre. L'armée russe a bombardé l'Ukraine. "
        "L'armée russe n'a pas attaqué l'Ukraine hier. "
        "Jean Dupont a critiqué Masaki Ishikawa."
    )
    return CodedArticle(
        article=Article(id="a-kyiv", text=text, lang="fr", published_month="2024-12"),
        events=(
            _event(
                text,
                "L'armée russe a bombardé l'Ukraine.",
                "a bombardé",
                "ASSAULT",
                (RUS,),
                (UKR,),
                when="2024-12",
                precision="month",
                mode="aerial",
                cameo="195",
                quad=4,
                intensity=-10.0,
            ),
            _event(
                text,
                "L'armée russe n'a pas attaqué l'Ukraine hier.",
                "n'a pas attaqué",
                "ASSAULT",
                (RUS,),
                (UKR,),
                when="2024-12-02",
                negated=True,
                cameo="190",
                quad=4,
                intensity=-10.0,
            ),
            _event(
                text,
                "Jean Dupont a critiqué Masaki Ishikawa.",
                "a critiqué",
                "ACCUSE",
                (ODD,),
                (JPN,),
                when="2024-12-03",
                cameo="111",
                quad=3,
                intensity=-2.0,
            ),
        ),
        actors=(RUS, UKR, ODD, JPN),
    )


def quiet() -> CodedArticle:
    return CodedArticle(article=Article(id="a-quiet", text="Rien à signaler."), events=())


def batch() -> list[CodedArticle]:
    return [baku(), kyiv(), quiet()]


# rows of batch(): baku 1 + 1 + 2, kyiv 1 + 1 + 1
ALL_ROWS = 7


def build_store(path: Path) -> Path:
    with open_store(path) as store:
        store.write(batch(), VERSION)
    return path
