"""A hand-built store whose every displayed field carries a script payload (not a test
module; used by test_xss.py). No model is needed: the rows are written as coded.

Each payload, if the page ever turned it into markup, would set ``window.__xss`` (to a
label saying which one) or open a dialog. Actor names, an org key, titles, the outlet, the
URL, places, roles, modes, rules, trace lines, the evidence sentence and the dispatch text
all hold one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan
from communique.store import open_store

VERSION = "xss-test-1"


def _flag(label: str) -> str:
    return f"window.__xss='{label}'"


SCRIPT = f"<script>{_flag('script')}</script>"
IMG = f'<img src=x onerror="{_flag("img")}">'
SVG = f'<svg onload="{_flag("svg")}"></svg>'
DETAILS = f'<details open ontoggle="{_flag("details")}">'
IFRAME = "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>"
ATTR_DOUBLE = f'" autofocus onfocus="{_flag("attr2")}" x="'
ATTR_SINGLE = f"' autofocus onfocus='{_flag('attr1')}' x='"
TITLE_BREAK = f'</title><img src=x onerror="{_flag("title")}">'
JS_URL = f"javascript:{_flag('url')}"
HTTP_URL = f"https://example.org/depeche?q={IMG}"
ALERT = "<img src=y onerror=alert('xss')>"

# Every payload, for the checks that none became markup.
PAYLOADS = (SCRIPT, IMG, SVG, DETAILS, IFRAME, ATTR_DOUBLE, ATTR_SINGLE, TITLE_BREAK, ALERT)

# Where each lands (what the tests look for on the page).
SOURCE_NAME = f"Ilham {IMG} Aliyev"
TARGET_NAME = f"Jean {ATTR_DOUBLE} Dupont"
ORG_KEY = f"{SVG}X"  # an org code: the relations graph's node id and label
PLACE_NAME = f"Bakou {TITLE_BREAK}"
TITLE = f"Visite {SCRIPT} {DETAILS}"
OUTLET = f"Agence {ATTR_SINGLE}"
MODE = f"visit {ALERT}"
RULE = f"fr.consult.{IFRAME}"
ROLE = f"ministre {ALERT}"
TRACE = f"source: gazetteer {TITLE_BREAK}"
EVIDENCE = f"Ilham {IMG} Aliyev a rencontré Jean {ATTR_DOUBLE} Dupont à Bakou {SCRIPT} {IFRAME}."
TEXT = f"Bakou, 3 mars 2025. {EVIDENCE} Fin {SVG} {ALERT} de la dépêche."
ARTICLE_ID = "xss-one"
OTHER_ID = "xss-two"


def _event(
    text: str,
    sentence: str,
    trigger: str,
    etype: str,
    source: ActorRef,
    target: ActorRef,
    when: str,
    **extra: object,
) -> Event:
    start = text.index(sentence)
    at = text.index(trigger, start)
    quad, intensity = (1, 1.0) if etype == "CONSULT" else (3, -2.0)
    return Event(
        type=etype,
        mode=extra.pop("mode", None),  # type: ignore[arg-type]
        sources=(source,),
        targets=(target,),
        date=DateRef(when, "day"),
        evidence=TextSpan.of(text, start, start + len(sentence)),
        trigger=TextSpan.of(text, at, at + len(trigger)),
        rule=str(extra.pop("rule", f"fr.{etype.lower()}.test")),
        confidence=0.9,
        quad=quad,
        intensity=intensity,
        trace=(TRACE, "target: test"),
        **extra,  # type: ignore[arg-type]
    )


def coded() -> list[CodedArticle]:
    aze = ActorRef(SOURCE_NAME, "person", country="AZE", sector="GOV", role=ROLE)
    fra = ActorRef(TARGET_NAME, "person", country="FRA", sector="GOV")
    org = ActorRef(f"Organisation {IMG}", "org", sector="IGO", org=ORG_KEY)
    place = Place(PLACE_NAME, country="AZE", lat=40.38, lon=49.89)
    first = CodedArticle(
        Article(
            id=ARTICLE_ID,
            text=TEXT,
            lang="fr",
            published=date(2025, 3, 3),
            title=TITLE,
            source=OUTLET,
            url=JS_URL,
        ),
        (
            _event(
                TEXT,
                EVIDENCE,
                "a rencontré",
                "CONSULT",
                aze,
                fra,
                "2025-03-03",
                mode=MODE,
                rule=RULE,
                location=place,
                sentence_index=1,
            ),
        ),
        (aze, fra),
    )
    other_sentence = f"Organisation {IMG} a accusé Ilham {IMG} Aliyev."
    other_text = f"Genève. {other_sentence}"
    second = CodedArticle(
        Article(id=OTHER_ID, text=other_text, lang="fr", published=date(2025, 3, 4), url=HTTP_URL),
        (
            _event(
                other_text,
                other_sentence,
                "a accusé",
                "ACCUSE",
                org,
                aze,
                "2025-03-04",
                location=place,
                sentence_index=0,
            ),
        ),
    )
    return [first, second]


def build(path: Path) -> Path:
    with open_store(path) as store:
        store.write(coded(), VERSION)
    return path
