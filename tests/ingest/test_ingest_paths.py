"""read_paths: files, folders, order, formats and problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.errors import (
    BinaryInputError,
    InputError,
    OversizedInputError,
    UnknownLanguageError,
    UnsupportedFormatError,
)
from communique.ingest import InputProblem, read_paths
from communique.model import Article
from communique.settings import Settings

SETTINGS = Settings()


def make_corpus(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "z.txt").write_text("Dernier fichier du dossier.", encoding="utf-8")
    (root / "a" / "2.txt").write_text("Deuxième texte.", encoding="utf-8")
    (root / "a" / "10.txt").write_text("Dixième texte.", encoding="utf-8")
    (root / "a" / "deep" / "page.HTML").write_text("<p>Une page.</p>", encoding="utf-8")
    (root / "b" / "recs.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Premier."})
        + "\n"
        + json.dumps({"id": "r2", "text": "Second."})
        + "\n",
        encoding="utf-8",
    )
    (root / "b" / "notes.md").write_text("ignoré", encoding="utf-8")
    (root / "b" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / ".hidden" / "x.txt").write_text("caché", encoding="utf-8")
    (root / "bad.txt").write_bytes(b"\x00\x01\x02\x03\x04\x05")


def origins(items: list[Article | InputProblem]) -> list[str]:
    return [i.origin or "" if isinstance(i, Article) else i.where for i in items]


def test_folder_walk_is_sorted_and_deterministic(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    first = list(read_paths([tmp_path], settings=SETTINGS))
    second = list(read_paths([str(tmp_path)], settings=SETTINGS))
    assert origins(first) == origins(second)
    relative = [o.replace(str(tmp_path) + "/", "") for o in origins(first)]
    assert relative == [
        "a/10.txt",
        "a/2.txt",
        "a/deep/page.HTML",
        "b/recs.jsonl:1",
        "b/recs.jsonl:2",
        "bad.txt",
        "z.txt",
    ]
    bad = first[5]
    assert isinstance(bad, InputProblem) and isinstance(bad.error, BinaryInputError)
    assert sum(isinstance(i, Article) for i in first) == 6


def test_explicit_unsupported_file_is_a_problem(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("du texte")
    (problem,) = read_paths([notes], settings=SETTINGS)
    assert isinstance(problem, InputProblem)
    assert isinstance(problem.error, UnsupportedFormatError)
    assert problem.where == str(notes)
    assert ".txt" in (problem.error.hint or "")


def test_missing_path_is_a_problem_and_reading_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("Un texte.")
    items = list(read_paths([tmp_path / "absent.txt", good], settings=SETTINGS))
    assert isinstance(items[0], InputProblem) and isinstance(items[0].error, InputError)
    assert isinstance(items[1], Article) and items[1].text == "Un texte."


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("mot " * 1000)
    (problem,) = read_paths([big], settings=SETTINGS.with_(max_input_bytes=100))
    assert isinstance(problem, InputProblem)
    assert isinstance(problem.error, OversizedInputError)


def test_arguments_apply_to_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The minister said that the talks were over.")
    (article,) = read_paths([tmp_path], settings=SETTINGS, lang="fr")
    assert isinstance(article, Article) and article.lang == "fr"


def test_unknown_language_argument_raises_before_reading(tmp_path: Path) -> None:
    with pytest.raises(UnknownLanguageError):
        next(read_paths([tmp_path], settings=SETTINGS, lang="qq"))


def test_read_paths_is_lazy(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Texte {i}.")
    stream = read_paths([tmp_path], settings=SETTINGS)
    first = next(stream)
    assert isinstance(first, Article) and first.text == "Texte 0."
