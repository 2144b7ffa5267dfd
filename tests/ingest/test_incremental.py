"""ingest/incremental.py: a folder read again costs only its new or changed files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from communique.ingest import InputProblem, read_paths
from communique.ingest.incremental import InputLedger
from communique.ingest.neardup import select_new
from communique.model import Article, CodedArticle
from communique.settings import Settings
from communique.store import open_store

SETTINGS = Settings()
V1, V2 = "coder-1", "coder-2"
TEXTS = [
    "Le ministre a reçu son homologue pour évoquer la coopération entre les deux pays.",
    "Des milliers de manifestants ont défilé samedi dans la capitale contre la réforme.",
    "L'armée a annoncé le retrait de ses troupes de la zone frontalière contestée.",
    "Le Parlement a ratifié mardi l'accord commercial signé l'an dernier avec le Japon.",
    "Les deux présidents se sont entretenus au téléphone de la crise humanitaire.",
    "La police a arrêté trois journalistes accusés d'avoir reçu des fonds étrangers.",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (root / "b.html").write_text(f"<html><body><p>{TEXTS[1]}</p></body></html>")
    lines = [{"id": f"j{i}", "text": TEXTS[1 + i]} for i in (1, 2)]
    (root / "c.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    (root / "sub" / "d.txt").write_text(TEXTS[4], encoding="utf-8")
    (root / ".hidden.txt").write_text(TEXTS[0])
    (root / "notes.pdf").write_bytes(b"%PDF")
    return root


def ingest(paths: list[Path], db: Path, version: str = V1) -> tuple[list[str], int, int]:
    """What an engine does with the ledger: (articles read, unchanged files, problems)."""
    read: list[str] = []
    problems = 0
    with open_store(db) as store:
        ledger = InputLedger(store, version)
        for file in ledger.files(paths):
            if isinstance(file, InputProblem):
                problems += 1
                continue
            complete = True
            batch: list[Article] = []
            for item in read_paths([file], settings=SETTINGS):
                if isinstance(item, Article):
                    batch.append(item)
                    read.append(item.origin or "")
                else:
                    problems += 1
                    complete = False
            ledger.done(file, complete=complete)
            sel = select_new(batch, store, settings=SETTINGS, coder_version=version)
            store.write(
                [CodedArticle(a, ()) for a in sel.to_code],
                version,
                signatures=sel.signatures,
                duplicates=sel.duplicates,
                inputs=ledger.take(),
            )
    return read, ledger.unchanged, problems


def test_files_follow_read_paths_order(corpus: Path, tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        files = list(InputLedger(store, V1).files([corpus]))
    names = [str(f.relative_to(corpus)) for f in files if isinstance(f, Path)]
    assert names == ["a.txt", "b.html", "c.jsonl", "sub/d.txt"]
    by_file = [a.origin for f in files for a in read_paths([f], settings=SETTINGS)]  # type: ignore[list-item]
    assert by_file == [a.origin for a in read_paths([corpus], settings=SETTINGS)]  # type: ignore[union-attr]


def test_second_run_reads_nothing_and_a_changed_file_is_read_again(
    corpus: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.duckdb"
    read, unchanged, _ = ingest([corpus], db)
    assert len(read) == 5 and unchanged == 0
    assert ingest([corpus], db) == ([], 4, 0)
    with (corpus / "c.jsonl").open("a") as feed:  # the feed grew
        feed.write(json.dumps({"id": "j3", "text": TEXTS[5]}) + "\n")
    read, unchanged, _ = ingest([corpus], db)
    assert read == [f"{corpus / 'c.jsonl'}:{i}" for i in (1, 2, 3)] and unchanged == 3
    with open_store(db) as store:
        assert store.articles_count() == 6
    stat = os.stat(corpus / "a.txt")  # same size, newer time: read again
    os.utime(corpus / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert ingest([corpus], db)[0] == [str(corpus / "a.txt")]


def test_a_new_coder_version_reads_everything_again(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    ingest([corpus], db)
    read, unchanged, _ = ingest([corpus], db, V2)
    assert len(read) == 5 and unchanged == 0
    assert ingest([corpus], db, V2)[:2] == ([], 4)


def test_files_with_problems_are_not_stamped(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    (corpus / "e.txt").write_bytes(b"")  # empty: an input problem
    (corpus / "c.jsonl").write_text('{"id": "j1", "text": "Bon texte ici."}\nnot json\n')
    missing = tmp_path / "absent.txt"
    first = ingest([corpus, missing], db)
    again = ingest([corpus, missing], db)
    assert first[2] == again[2] == 3  # reported on every run
    assert again[0] == [f"{corpus / 'c.jsonl'}:1"] and again[1] == 3


def test_take_returns_only_files_done(corpus: Path, tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        ledger = InputLedger(store, V1)
        files = [f for f in ledger.files([corpus]) if isinstance(f, Path)]
        assert ledger.take() == []
        ledger.done(files[0], complete=True)
        ledger.done(files[1], complete=False)
        (stamp,) = ledger.take()
        assert stamp.path == os.path.abspath(files[0])
        assert stamp.size == files[0].stat().st_size
        assert ledger.take() == []
