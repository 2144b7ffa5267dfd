"""Hand-built coded articles and a small store for the export tests (not a test module)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

# one Event builder for the store, export and API tests (tests/store/store_builders.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))
from store_builders import event

from communique.model import ActorRef, Article, CodedArticle, Place
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
            event(
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
            event(
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
            event(
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
            event(
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
            event(
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
            event(
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
