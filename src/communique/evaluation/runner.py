"""Run the coder over a gold set's texts and score it: the library side of `evaluate`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.errors import GoldFileError
from communique.evaluation.gold import GoldDoc, iter_json_lines, load_gold
from communique.evaluation.scorer import EvalReport, score
from communique.settings import Settings


@dataclass(frozen=True)
class _Text:
    text: str
    origin: str


def evaluate_files(
    gold_path: Path | str,
    *,
    texts_dir: Path | None,
    docs_path: Path | None,
    settings: Settings,
    coder: Any | None = None,
) -> EvalReport:
    """Code every gold document's text and score the events against the gold.

    Exactly one of ``texts_dir`` (each gold record's ``file`` names a text file in it) and
    ``docs_path`` (a docs.jsonl whose lines ``{"id", "text", ...}`` share the gold ids) is
    given. The gold record's ``published`` and ``lang`` are passed to the article as
    metadata. ``coder`` is anything with ``.code(articles) -> Iterable[CodedArticle]`` and
    ``.coder_version``; by default ``communique.pipeline.Coder(settings)``.
    """
    if (texts_dir is None) == (docs_path is None):
        raise GoldFileError(
            "give exactly one source of texts",
            hint="pass texts_dir (with 'file' in each gold record) or docs_path (docs.jsonl)",
        )
    gold_path = Path(gold_path)
    gold = load_gold(gold_path)
    if texts_dir is not None:
        texts = _texts_from_dir(gold, gold_path, Path(texts_dir))
    else:
        assert docs_path is not None
        texts = _texts_from_docs(gold, gold_path, Path(docs_path))

    # Imported here: ingest and the pipeline are heavy (spaCy), and scoring alone needs neither.
    from communique.ingest import article_from_text
    from communique.model.rows import event_rows

    articles = [
        article_from_text(
            texts[doc.id].text,
            id=doc.id,
            origin=texts[doc.id].origin,
            published=doc.published,
            lang=doc.lang,
            settings=settings,
        )
        for doc in gold
    ]
    if coder is None:
        from communique.pipeline import Coder

        coder = Coder(settings)
    predictions: dict[str, list[dict[str, Any]]] = {doc.id: [] for doc in gold}
    for coded in coder.code(articles):
        predictions.setdefault(coded.article.id, []).extend(event_rows(coded, coder.coder_version))
    return score(gold, predictions)


def _where(gold_path: Path, doc: GoldDoc) -> str:
    return f"{gold_path}:{doc.line}" if doc.line is not None else str(gold_path)


def _texts_from_dir(gold: Sequence[GoldDoc], gold_path: Path, texts_dir: Path) -> dict[str, _Text]:
    if not texts_dir.is_dir():
        raise GoldFileError(
            "texts directory not found", where=str(texts_dir), hint="pass an existing directory"
        )
    texts: dict[str, _Text] = {}
    for doc in gold:
        if doc.file is None:
            raise GoldFileError(
                f"record {doc.id!r} has no 'file'",
                where=_where(gold_path, doc),
                hint="name the record's text file in 'file', or pass a docs.jsonl instead",
            )
        path = texts_dir / doc.file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise GoldFileError(
                f"text file {doc.file!r} of record {doc.id!r} not found in {texts_dir}",
                where=_where(gold_path, doc),
                hint="fix the record's 'file' or the texts directory",
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldFileError(
                f"cannot read text file {path}: {exc}",
                where=_where(gold_path, doc),
                hint="texts must be readable UTF-8 files",
            ) from None
        texts[doc.id] = _Text(text, str(path))
    return texts


def _texts_from_docs(gold: Sequence[GoldDoc], gold_path: Path, docs_path: Path) -> dict[str, _Text]:
    try:
        lines = docs_path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldFileError(
            "docs file not found", where=str(docs_path), hint="pass the gold set's docs.jsonl"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(
            f"cannot read docs file: {exc}", where=str(docs_path), hint="save it as UTF-8"
        ) from None
    found: dict[str, _Text] = {}
    for _lineno, where, record in iter_json_lines(docs_path, lines):
        if not isinstance(record, dict):
            raise GoldFileError("a docs line must be a JSON object", where=where, hint="fix it")
        doc_id, text = record.get("id"), record.get("text")
        if not isinstance(doc_id, str) or not doc_id:
            raise GoldFileError("field 'id' must be a non-empty string", where=where, hint="set it")
        if not isinstance(text, str):
            raise GoldFileError("field 'text' must be a string", where=where, hint="set it")
        if doc_id in found:
            raise GoldFileError(
                f"duplicate id {doc_id!r}", where=where, hint="give every doc a distinct id"
            )
        found[doc_id] = _Text(text, where)
    for doc in gold:
        if doc.id not in found:
            raise GoldFileError(
                f"record {doc.id!r} has no text in {docs_path}",
                where=_where(gold_path, doc),
                hint="add a docs line with this id, or fix the gold id",
            )
    return {doc.id: found[doc.id] for doc in gold}
