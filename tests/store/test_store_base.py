"""store/base.py: column layout, flat <-> nested rows, date periods, the migration runner."""

from __future__ import annotations

from datetime import date

import pytest
from store_builders import baku_visit, quiet, tokyo_reply

from communique.errors import StoreError
from communique.model import ROW_FIELDS, CodedArticle, event_rows
from communique.store.base import (
    EVENT_COLUMNS,
    ROW_COLUMNS,
    Migration,
    date_bounds,
    event_records,
    flatten_row,
    load_migrations,
    migrate,
    nest_row,
    pending_migrations,
)


def test_row_columns_flatten_every_row_field_once() -> None:
    assert len(set(EVENT_COLUMNS)) == len(EVENT_COLUMNS)
    for name in ROW_FIELDS:
        assert name in ROW_COLUMNS or any(c.startswith(f"{name}_") for c in ROW_COLUMNS)


@pytest.mark.parametrize("coded", [baku_visit(), tokyo_reply(), quiet()])
def test_flatten_then_nest_is_identity(coded: CodedArticle) -> None:
    for row in event_rows(coded, "v"):
        assert nest_row(flatten_row(row)) == row


def test_event_records_follow_event_rows_and_add_store_columns() -> None:
    coded = baku_visit()
    rows = event_rows(coded, "v")
    records = event_records(coded, "v")
    assert [nest_row(r) for r in records] == rows
    assert [r["row_index"] for r in records] == list(range(len(rows)))
    assert all(set(r) == set(EVENT_COLUMNS) for r in records)
    consult, assault, *support = records
    assert (consult["source_key"], consult["target_key"]) == ("JPN", "AZE")
    assert (assault["source_key"], assault["target_key"]) == ("unknown", None)
    assert [s["target_key"] for s in support] == ["AZE", "JPN"]
    assert consult["trigger_text"] == "a rencontré"
    assert consult["trace"] == ["source: gazetteer", "target: title+demonym"]


@pytest.mark.parametrize(
    ("value", "lo", "hi"),
    [
        ("2024-11-29", date(2024, 11, 29), date(2024, 11, 29)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        (None, None, None),
        ("", None, None),
        ("2024-13", None, None),
        ("2024-02-30", None, None),
        ("hier", None, None),
        ("2024-1-2-3", None, None),
    ],
)
def test_date_bounds(value: str | None, lo: date | None, hi: date | None) -> None:
    assert date_bounds(value) == (lo, hi)


class FakeTarget:
    def __init__(self, version: int) -> None:
        self.version = version
        self.applied: list[int] = []

    def schema_version(self) -> int:
        return self.version

    def apply_migration(self, migration: Migration) -> None:
        self.applied.append(migration.version)
        self.version = migration.version


MIGRATIONS = (Migration(1, "init", ""), Migration(2, "more", ""), Migration(3, "again", ""))


def test_migrate_applies_only_pending_ones_in_order() -> None:
    target = FakeTarget(1)
    assert migrate(target, reversed(MIGRATIONS), where="x") == 3
    assert target.applied == [2, 3]
    assert migrate(target, MIGRATIONS, where="x") == 3
    assert target.applied == [2, 3]


def test_newer_store_than_code_is_refused() -> None:
    with pytest.raises(StoreError, match="newer") as info:
        pending_migrations(4, MIGRATIONS, where="db.duckdb")
    assert info.value.where == "db.duckdb"
    assert info.value.hint


def test_packaged_duckdb_migrations_are_numbered_from_one() -> None:
    migrations = load_migrations("duckdb")
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "init"
    assert "CREATE TABLE schema_version" in migrations[0].sql


def test_unknown_dialect_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="no migrations"):
        load_migrations("no-such-dialect")
