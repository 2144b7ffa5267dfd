"""communique: news dispatches -> evidence-linked PLOVER events.

Top-level functions (nothing heavy is imported until one is used):

* ``communique.extract(text, published=..., lang=...)``: the dyadic rows of one dispatch.
  ``communique.extract`` is also the module of that name (``from communique.extract
  import extract_text`` keeps working): the module is made callable.
* ``communique.read_events(store, **filters)``: stored rows as a pandas (or polars)
  DataFrame.
* ``communique.read_stories(store, **filters)``: stories (one event reported by several
  dispatches, with its number of sources and evidence sentences) as a DataFrame.
* ``communique.export_events(store, fmt, out, flt)``: `communique export` as a function.
"""

from __future__ import annotations

import types
from datetime import date
from typing import Any

# communique.extract's heavy imports (spaCy, the coder) happen inside its functions.
from communique import extract as _extract_module
from communique._version import __version__
from communique.errors import CommuniqueError, InputError
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
    "export_events",
    "extract",
    "read_events",
    "read_stories",
]

# name -> module of the functions loaded on first use (module __getattr__, PEP 562)
_LAZY = {
    "read_events": "communique.frames",
    "read_stories": "communique.frames",
    "export_events": "communique.export",
}


class _CallableModule(types.ModuleType):
    """The ``communique.extract`` module, callable as ``communique.extract(text, ...)``."""

    def __call__(
        self,
        text: str,
        *,
        published: date | str | None = None,
        lang: str | None = None,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Code one dispatch; returns its dyadic rows (``extract_text``'s result).

        ``published`` is a date or "YYYY-MM-DD"; ``lang`` "fr", "en" or None (detect).
        ``options`` go to ``extract_text`` (``id``, ``settings``, and ``coder``: pass a
        ``communique.pipeline.Coder`` to code many texts without reloading models).
        """
        if isinstance(published, str):
            try:
                published = date.fromisoformat(published.strip())
            except ValueError:
                raise InputError(
                    f"published: {published!r} is not a date",
                    where="communique.extract",
                    hint="give the publication date as YYYY-MM-DD or a datetime.date",
                ) from None
        return self.extract_text(text, published=published, lang=lang, **options)


_extract_module.__class__ = _CallableModule
extract = _extract_module


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'communique' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
