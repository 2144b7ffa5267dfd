"""Migration 0002 (signatures, duplicate links, input stamps) on every store backend
(``target``: DuckDB, PostgreSQL): fresh and version-1 stores, round trips, atomicity with
the batch write, and select_new on a real store across reopenings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from store_builders import article, baku_visit, quiet, sample_batch, tokyo_reply
from store_raw import backend_module, columns, is_postgres, tables

from communique.errors import StoreError
from communique.ingest.neardup import MinHasher, backfill_signatures, select_new
from communique.model import CodedArticle
from communique.settings import Settings
from communique.store import open_store
from communique.store.base import (
    DUPLICATE_COLUMNS,
    DuplicateLink,
    InputStamp,
    SignatureRecord,
    load_migrations,
)

V1 = "coder-1"
V2 = "coder-2"
SETTINGS = Settings()
HASHER = MinHasher.from_settings(SETTINGS)
NEW_TABLES = {"article_signatures", "signature_bands", "duplicates", "input_files"}

BODY = (
    "Le vice-ministre des Affaires étrangères Elnour Mammadov a reçu vendredi à Bakou le "
    "représentant spécial du Japon Masaki Ishikawa, venu discuter de la coopération "
    "énergétique entre les deux pays. Selon le ministère, les deux responsables ont évoqué "
    "le projet de gazoduc transcaspien, la formation d'ingénieurs au Japon et l'ouverture "
    "prochaine d'une ligne aérienne directe entre Bakou et Tokyo. Les deux parties sont "
    "convenues de réunir la commission intergouvernementale mixte avant la fin de l'année."
)


@pytest.fixture
def db(target: Path | str) -> Path | str:
    return target


@pytest.fixture
def v1_store(db: Path | str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | str]:
    """A store written by the version-1 code (only migration 0001), holding sample_batch()."""
    first = load_migrations("postgres" if is_postgres(db) else "duckdb")[:1]
    with monkeypatch.context() as patch:
        patch.setattr(backend_module(db), "load_migrations", lambda dialect: first)
        with open_store(db) as store:
            assert store.schema_version() == 1
            store.write(sample_batch(), V1)
    yield db


def coded(aid: str, text: str) -> CodedArticle:
    return CodedArticle(article(aid, text), ())


def signature(aid: str, text: str) -> SignatureRecord:
    sig = HASHER.signature(text)
    assert sig is not None
    return HASHER.record(aid, sig)


def link(dup: str, original: str, score: float = 0.9) -> DuplicateLink:
    return DuplicateLink(
        dup,
        original,
        score,
        HASHER.scheme,
        origin=f"{dup}.txt",
        url=f"https://example.org/{dup}",
        title="Copie",
        source="AZERTAC",
        lang="fr",
        published=date(2024, 11, 30),
        published_month=None,
    )


# -- migrating ---------------------------------------------------------------------------


def test_fresh_store_has_the_new_tables(db: Path | str) -> None:
    with open_store(db) as store:
        assert store.schema_version() == 2
    assert tables(db) >= NEW_TABLES
    assert columns(db, "duplicates") == set(DUPLICATE_COLUMNS)


def test_version_1_store_migrates_and_keeps_its_rows(v1_store: Path | str) -> None:
    assert not NEW_TABLES & tables(v1_store)
    with pytest.raises(StoreError, match="needs upgrading"):
        open_store(v1_store, read_only=True)
    with open_store(v1_store) as store:
        assert store.schema_version() == 2
        assert store.articles_count() == 3
        assert store.events_count() == 6
        assert store.stored_versions(["a-baku", "a-tokyo", "nope"]) == {
            "a-baku": V1,
            "a-tokyo": V1,
        }
        assert store.duplicate_links() == []
    assert tables(v1_store) >= NEW_TABLES
    with open_store(v1_store, read_only=True) as store:  # upgraded: readable again
        assert store.schema_version() == 2


def test_migrated_store_is_backfilled_once_then_finds_copies(v1_store: Path | str) -> None:
    with open_store(v1_store) as store:
        store.write([coded("a-visit", f"Coopération\n\nBAKOU, 29 nov. - {BODY}")], V1)
    # the article above was written without a signature, like the v1 ones
    with open_store(v1_store) as store:
        assert backfill_signatures(store, SETTINGS, hasher=HASHER) == 4
        assert backfill_signatures(store, SETTINGS, hasher=HASHER) == 0
    copy = article("a-copy", f"Un autre titre\n\n{BODY} Le texte a été mis à jour.")
    with open_store(v1_store) as store:
        sel = select_new([copy], store, settings=SETTINGS, coder_version=V1, hasher=HASHER)
    assert [(d.duplicate_id, d.original_id) for d in sel.duplicates] == [("a-copy", "a-visit")]


# -- round trips -------------------------------------------------------------------------


def test_signatures_and_links_round_trip(db: Path | str) -> None:
    batch = [coded("orig", BODY), baku_visit()]
    sigs = [signature("orig", BODY), signature("a-baku", batch[1].article.text)]
    links = [link("copy-2", "orig", 0.85), link("copy-1", "orig"), link("copy-3", "a-baku")]
    with open_store(db) as store:
        report = store.write(batch, V1, signatures=sigs, duplicates=links)
        assert report.articles_added == 2
    with open_store(db, read_only=True) as store:
        assert store.signatures_of(["orig", "a-baku", "x"], HASHER.scheme) == {
            s.article_id: (s.signature, s.shingles) for s in sigs
        }
        assert store.signatures_of(["orig"], "another-scheme") == {}
        matches = store.band_matches(list(sigs[0].band_keys))
        assert {a for _, a in matches} == {"orig"}
        assert {k for k, _ in matches} == set(sigs[0].band_keys)
        assert store.band_matches([]) == []
        assert store.duplicate_ids(["copy-1", "copy-3", "orig"]) == {"copy-1", "copy-3"}
        assert store.duplicate_links("orig") == [links[1], links[0]]
        assert store.duplicate_links() == [links[2], links[1], links[0]]


def test_a_link_keeps_its_first_original_and_signatures_are_replaced(db: Path | str) -> None:
    with open_store(db) as store:
        store.write([coded("orig", BODY)], V1, signatures=[signature("orig", BODY)])
        store.write([], V1, duplicates=[link("copy", "orig", 0.9)])
        store.write([baku_visit()], V1, duplicates=[link("copy", "a-baku", 0.95)])
        assert [(d.original_id, d.similarity) for d in store.duplicate_links()] == [("orig", 0.9)]
        other = signature("orig", "Un tout autre texte sur un tout autre sujet, vraiment.")
        store.write([], V1, signatures=[other])
        assert store.signatures_of(["orig"], HASHER.scheme) == {
            "orig": (other.signature, other.shingles)
        }
        assert {a for _, a in store.band_matches(list(other.band_keys))} == {"orig"}
        assert store.band_matches(list(signature("orig", BODY).band_keys)) == []


def test_a_link_to_an_unknown_article_rolls_the_whole_batch_back(db: Path | str) -> None:
    with open_store(db) as store:
        with pytest.raises(StoreError, match="neither in the batch nor stored") as info:
            store.write(
                [tokyo_reply()],
                V1,
                signatures=[signature("a-tokyo", tokyo_reply().article.text)],
                duplicates=[link("copy", "ghost")],
                inputs=[InputStamp("/in/a.txt", 10, 1)],
            )
        assert info.value.hint
        assert store.articles_count() == 0
        assert store.duplicate_links() == []
        assert store.signatures_of(["a-tokyo"], HASHER.scheme) == {}
        assert store.input_stamps(["/in/a.txt"]) == {}
    with open_store(db) as store, pytest.raises(StoreError, match="ghost"):
        store.write([], V1, signatures=[signature("ghost", BODY)])


def test_write_without_the_new_arguments_is_unchanged(db: Path | str) -> None:
    with open_store(db) as store:
        first = store.write(sample_batch(), V1)
        again = store.write(sample_batch(), V1)
        empty = store.write([], V1)
    assert (first.articles_added, first.events_added) == (3, 6)
    assert (again.articles_added, again.articles_skipped) == (0, 3)
    assert (empty.articles_added, empty.articles_skipped, empty.events_added) == (0, 0, 0)


def test_input_stamps_round_trip_and_follow_the_coder_version(db: Path | str) -> None:
    stamps = [InputStamp("/in/a.txt", 120, 1_700_000_000_123_456_789), InputStamp("/in/b", 0, 5)]
    with open_store(db) as store:
        store.write([quiet()], V1, inputs=stamps)
        assert store.input_stamps(["/in/a.txt", "/in/b", "/in/c"]) == {
            "/in/a.txt": (120, 1_700_000_000_123_456_789, V1),
            "/in/b": (0, 5, V1),
        }
        store.write([], V2, inputs=[InputStamp("/in/a.txt", 130, 6)])
        assert store.input_stamps(["/in/a.txt"]) == {"/in/a.txt": (130, 6, V2)}
        assert store.input_stamps([]) == {}


# -- select_new on the real store --------------------------------------------------------


def test_copies_are_found_after_reopening_the_store(db: Path | str) -> None:
    original = article("orig", f"Titre\n\n{BODY}")
    copy = article("copy", f"Autre titre\n\n{BODY.replace('vendredi', 'vendredi 29 novembre')}")
    other = baku_visit().article
    with open_store(db) as store:
        sel = select_new([original], store, settings=SETTINGS, coder_version=V1)
        assert [a.id for a in sel.to_code] == ["orig"]
        store.write([CodedArticle(a, ()) for a in sel.to_code], V1, signatures=sel.signatures)
    with open_store(db) as store:
        sel = select_new([copy, other], store, settings=SETTINGS, coder_version=V1)
        assert [a.id for a in sel.to_code] == ["a-baku"]
        assert [(d.duplicate_id, d.original_id) for d in sel.duplicates] == [("copy", "orig")]
        store.write(
            [CodedArticle(a, ()) for a in sel.to_code],
            V1,
            signatures=sel.signatures,
            duplicates=sel.duplicates,
        )
    with open_store(db) as store:
        again = select_new([copy, original, other], store, settings=SETTINGS, coder_version=V1)
        assert again.to_code == [] and again.duplicates == []
        assert sorted(again.skipped) == ["a-baku", "copy", "orig"]
        assert store.articles_count() == 2
