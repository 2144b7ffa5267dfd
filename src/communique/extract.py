"""Library functions behind `extract`: code texts or paths and return dyadic rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.model import Article, event_rows
from communique.settings import Settings


@dataclass
class ExtractResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    articles: int = 0
    # InputWarning items: inputs coded, but maybe not well (mixed languages)
    warnings: list[Any] = field(default_factory=list)


def extract_paths(
    paths: Sequence[str | Path],
    *,
    published: date | None = None,
    lang: str | None = None,
    settings: Settings | None = None,
    coder: Any | None = None,
) -> ExtractResult:
    """Read, code and flatten; input problems are collected, not raised."""
    from communique.ingest import InputProblem, read_paths
    from communique.ingest.readers import warnings_of
    from communique.pipeline import Coder

    settings = settings or Settings()
    coder = coder or Coder(settings)
    result = ExtractResult()

    def articles() -> Any:
        for item in read_paths(paths, settings=settings, published=published, lang=lang):
            if isinstance(item, InputProblem):
                result.problems.append(item)
            else:
                result.articles += 1
                result.warnings.extend(warnings_of(item))
                yield item

    for coded in coder.code(articles()):
        result.rows.extend(event_rows(coded, coder.coder_version))
    return result


def extract_text(
    text: str,
    *,
    published: date | None = None,
    lang: str | None = None,
    id: str | None = None,
    settings: Settings | None = None,
    coder: Any | None = None,
) -> list[dict[str, Any]]:
    """Code one dispatch given as a string; returns its dyadic rows."""
    from communique.ingest import article_from_text
    from communique.pipeline import Coder

    settings = settings or Settings()
    coder = coder or Coder(settings)
    article: Article = article_from_text(
        text, id=id, origin="<text>", published=published, lang=lang, settings=settings
    )
    rows: list[dict[str, Any]] = []
    for coded in coder.code([article]):
        rows.extend(event_rows(coded, coder.coder_version))
    return rows
