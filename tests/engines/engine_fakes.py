"""What the fake coders of the engine tests code: one CONSULT per article that says
"rencontré", so that rows can be compared across engines without loading a model. Also
the fake articles and the hand-written dispatches (with republished copies) they code."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, TextSpan


def fake_events(a: Article) -> tuple[Event, ...]:
    if "rencontré" not in a.text:
        return ()
    start = a.text.index("rencontré")
    return (
        Event(
            type="CONSULT",
            mode=None,
            sources=(ActorRef("Aliyev", "person", country="AZE"),),
            targets=(ActorRef("Kishida", "person", country="JPN"),),
            date=DateRef(a.published.isoformat() if a.published else None, "day"),
            evidence=TextSpan.of(a.text, 0, len(a.text)),
            trigger=TextSpan.of(a.text, start, start + len("rencontré")),
            rule="fake.consult",
            confidence=0.8,
        ),
    )


class SeeingCoder:
    """Codes with ``fake_events`` and remembers the ids it coded; raises on ``fail_on``."""

    def __init__(self, version: str = "fake-1", fail_on: str | None = None) -> None:
        self.coder_version = version
        self.fail_on = fail_on
        self.seen: list[str] = []

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for a in articles:
            if a.id == self.fail_on:
                raise RuntimeError(f"coder crashed on {a.id}")
            self.seen.append(a.id)
            yield CodedArticle(a, fake_events(a))


def seeing_coder(settings: Any) -> SeeingCoder:
    """Top-level (picklable) coder factory: what each worker process calls once."""
    return SeeingCoder()


def articles(n: int, *, prefix: str = "a") -> list[Article]:
    """``n`` short articles, the even ones with an event; no two are near-duplicates."""
    return [
        Article(
            id=f"{prefix}{i}",
            text=f"Dépêche {prefix}{i}: Aliyev a rencontré Kishida."
            if i % 2 == 0
            else f"Rien {prefix}{i}.",
            published=date(2024, 11, 29),
        )
        for i in range(n)
    ]


# Hand-written French dispatches about different stories (no two share a 5-word run), the
# even ones with "rencontré" (an event for the fake coders).
DISPATCHES = (
    "Le président azerbaïdjanais Ilham Aliyev a rencontré vendredi à Bakou le Premier "
    "ministre japonais, venu discuter du gazoduc transcaspien et de la formation "
    "d'ingénieurs dans les universités de Tokyo.",
    "Des milliers de manifestants ont défilé samedi dans les rues de la capitale contre "
    "la réforme des retraites, à l'appel de tous les syndicats du pays réunis pour "
    "l'occasion.",
    "La ministre des Affaires étrangères a rencontré mardi son homologue turc à Ankara "
    "pour préparer la visite d'État prévue au printemps et relancer les échanges "
    "commerciaux entre les deux capitales.",
    "L'armée a annoncé jeudi le retrait de ses troupes de la zone frontalière contestée, "
    "conformément à l'accord conclu le mois dernier sous l'égide de l'Union africaine.",
    "Le chef de la diplomatie iranienne a rencontré dimanche à Mascate des émissaires "
    "omanais chargés de transmettre les propositions de Washington sur le programme "
    "nucléaire.",
    "Le Parlement a ratifié mercredi l'accord de libre-échange signé l'an dernier avec "
    "le Canada, malgré l'opposition des agriculteurs qui redoutent une concurrence "
    "déloyale.",
    "Le secrétaire général des Nations unies a rencontré lundi à Genève les délégations "
    "arménienne et azerbaïdjanaise engagées dans les négociations sur le tracé de la "
    "frontière commune.",
    "La police a arrêté trois journalistes accusés d'avoir reçu des fonds étrangers, une "
    "décision dénoncée par plusieurs organisations de défense de la liberté de la presse.",
)


def republished(text: str) -> str:
    """An agency copy republished elsewhere: other spacing and quotes, an added credit.
    Another text (another content id) with nearly the same word shingles."""
    return text.replace(" ", "  ").replace("'", "’") + " (Reprise de dépêche.)"


def write_files(folder: Path, files: dict[str, str | Sequence[str]]) -> Path:
    """Write ``{name: text}`` (.txt) or ``{name: [texts]}`` (.jsonl, ids j<n> by line)
    under ``folder``; returns the folder."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            lines = [
                json.dumps({"id": f"{path.stem}-{i}", "text": text}, ensure_ascii=False)
                for i, text in enumerate(content)
            ]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# Columns filled with the time of the write: left out when stores are compared.
_TIMES = {"articles": "ingested_at", "duplicates": "detected_at", "input_files": "recorded_at"}


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an ingest writes, without write times, in a fixed order."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for name in (
            "articles",
            "events",
            "actors",
            "duplicates",
            "input_files",
            "article_signatures",
            "signature_bands",
        ):
            exclude = f" EXCLUDE ({_TIMES[name]})" if name in _TIMES else ""
            out[name] = sorted(con.execute(f"SELECT *{exclude} FROM {name}").fetchall(), key=repr)
    return out
