"""communique: news dispatches -> evidence-linked PLOVER events."""

from communique._version import __version__
from communique.errors import CommuniqueError
from communique.model import ActorRef, Article, CodedArticle, DateRef, Event, Place, TextSpan
from communique.settings import Settings

__all__ = [
    "ActorRef",
    "Article",
    "CodedArticle",
    "CommuniqueError",
    "DateRef",
    "Event",
    "Place",
    "Settings",
    "TextSpan",
    "__version__",
]
