"""Fixtures for the browser tests: a store coded from the seeds and the example dispatches
(plus one hostile dispatch), the real app served by uvicorn on 127.0.0.1 in a thread, and
Debian's Chromium driven by Playwright.

Nothing is downloaded: the browser is ``/usr/bin/chromium`` (``apt-get install chromium``),
never a Playwright build. Without it every test here is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_site import HOSTILE, HOSTILE_ID, Site, serve

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a headless run in a container: no sandbox (root, no user namespaces), no GPU,
# and no background requests to Google services (nothing leaves the machine).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples" / "dispatches"
SCREENSHOTS = ROOT / "docs" / "screenshots"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip this folder cleanly when Debian's Chromium or the seeds are missing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not installed (apt-get install chromium)"
    elif not (SEEDS / "gold.jsonl").exists():
        reason = f"seed dispatches not found at {SEEDS}"
    else:
        return
    skip = pytest.mark.skip(reason=reason)
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def _seed_published() -> dict[str, str]:
    """Publication dates of the seeds from their gold file: the seed texts' datelines give
    day and month only ("Bakou, 29 novembre"), so ingest passes the year in."""
    dates = {}
    for line in (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if record.get("published"):
                dates[record["file"]] = record["published"]
    return dates


def _build_store(path: Path, work: Path) -> None:
    from datetime import date

    from communique.engines.local import run_ingest
    from communique.settings import Settings

    settings = Settings().with_(store_path=path)
    for name, published in sorted(_seed_published().items()):
        report = run_ingest(
            [SEEDS / name], settings=settings, published=date.fromisoformat(published)
        )
        assert not report.problems, report.problems
    hostile = work / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    report = run_ingest([EXAMPLES, hostile], settings=settings)
    assert not report.problems, report.problems


def _hostile_event(path: Path) -> str:
    from communique.query import EventFilter
    from communique.store import open_store

    with open_store(path, read_only=True) as store:
        rows = store.events(EventFilter(article_id=HOSTILE_ID))
    assert rows, "the hostile dispatch produced no event; change its wording"
    return str(rows[0]["event_id"])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real app (``communique.api.app.create_app``) over a freshly coded store, served
    by uvicorn on 127.0.0.1 on a free port, in a daemon thread."""
    from communique.api.app import create_app

    work = tmp_path_factory.mktemp("ui")
    store = work / "ui.duckdb"
    _build_store(store, work)
    hostile = _hostile_event(store)
    with serve(create_app(store)) as url:
        yield Site(url=url, store=store, hostile_event_id=hostile)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch arguments: Debian's Chromium, never a downloaded build."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A desktop-sized window so screenshots show each view whole."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
