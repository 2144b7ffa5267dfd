"""What the fake coders of the engine tests code: one CONSULT per article that says
"rencontré", so that rows can be compared across engines without loading a model."""

from __future__ import annotations

from communique.model import ActorRef, Article, DateRef, Event, TextSpan


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
