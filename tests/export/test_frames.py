"""communique.read_events: a DataFrame of stored rows, loaded through Arrow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from export_builders import ALL_ROWS, build_store

import communique
from communique.export import OptionalDependencyError
from communique.query import QueryError, find_events
from communique.store import open_store
from communique.store.base import EVENT_COLUMNS


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("frames") / "events.duckdb")


def test_all_rows_with_the_events_columns(store: Path) -> None:
    frame = communique.read_events(store)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert len(frame) == ALL_ROWS
    # same rows, same order as `communique events`
    assert list(frame["event_id"]) == [r["event_id"] for r in find_events(store, _all())]


def _all() -> Any:
    from communique.query import EventFilter

    return EventFilter()


def test_dtypes(store: Path) -> None:
    frame = communique.read_events(store)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert pd.api.types.is_datetime64_any_dtype(frame["date_lo"])
    assert pd.api.types.is_bool_dtype(frame["negated"])
    assert str(frame["quad"].dtype) == "Int32"  # missing quads stay <NA>, not floats
    assert pd.api.types.is_float_dtype(frame["intensity"])
    month = frame[frame["date_precision"] == "month"].iloc[0]
    assert pd.isna(month["date"])  # "2024-12" names no day...
    assert month["date_lo"] == pd.Timestamp("2024-12-01")  # ...its period is kept
    assert month["date_hi"] == pd.Timestamp("2024-12-31")
    day = frame[frame["type"] == "CONSULT"].iloc[0]
    assert day["date"] == pd.Timestamp("2024-11-29")
    assert day["contexts"] == ["diplomatic", "economic"]
    undated = frame[frame["type"] == "ASSAULT"]
    assert undated["date"].isna().sum() == 2  # the undated row and the month row


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({"country": "jpn"}, 3),
        ({"dyad": ("UKR", "RUS")}, 2),
        ({"dyad": "AZE-JPN"}, 1),
        ({"type": "ASSAULT"}, 3),
        ({"since": "2024-12-01"}, 3),
        ({"until": "2024-11-30"}, 3),
        ({"article_id": "a-kyiv"}, 3),
        ({"limit": 2, "offset": 1}, 2),
    ],
)
def test_filters(store: Path, filters: dict[str, Any], count: int) -> None:
    assert len(communique.read_events(store, **filters)) == count


def test_an_open_store_is_accepted(store: Path) -> None:
    with open_store(store, read_only=True) as handle:
        frame = communique.read_events(handle, type="CONSULT")
        assert handle.events_count() == ALL_ROWS  # still usable afterwards
    assert len(frame) == 1


def test_bad_filters(store: Path) -> None:
    with pytest.raises(QueryError, match="unknown filter") as info:
        communique.read_events(store, contry="AZE")
    assert info.value.hint is not None and "country" in info.value.hint
    with pytest.raises(QueryError, match="not a date"):
        communique.read_events(store, since="yesterday")
    with pytest.raises(QueryError, match="unknown engine"):
        communique.read_events(store, engine="spark")


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(communique.CommuniqueError) as info:
        communique.read_events(tmp_path / "none.duckdb")
    assert info.value.code == "C300"


def test_polars_engine(store: Path) -> None:
    try:
        import polars as pl
    except ImportError:
        with pytest.raises(OptionalDependencyError, match="pip install polars") as info:
            communique.read_events(store, engine="polars")
        assert info.value.code == "C402"
        return
    frame = communique.read_events(store, engine="polars")
    assert isinstance(frame, pl.DataFrame) and frame.height == ALL_ROWS


def test_polars_missing_is_a_coded_error(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name == "polars":
            raise ImportError("No module named 'polars'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(OptionalDependencyError) as info:
        communique.read_events(store, engine="polars")
    assert "pip install polars" in str(info.value)
