"""Pure data: no spaCy, no database, no I/O."""

from communique.model.article import Article, Dateline, content_id
from communique.model.event import CodedArticle, Event
from communique.model.refs import SECTORS, ActorRef, DateRef, Place
from communique.model.rows import ROW_FIELDS, event_rows
from communique.model.span import TextSpan

__all__ = [
    "ROW_FIELDS",
    "SECTORS",
    "ActorRef",
    "Article",
    "CodedArticle",
    "DateRef",
    "Dateline",
    "Event",
    "Place",
    "TextSpan",
    "content_id",
    "event_rows",
]
