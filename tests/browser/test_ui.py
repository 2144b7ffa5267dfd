"""The web UI in Debian's Chromium over the real app and a store coded from the seeds, the
example dispatches and one dispatch full of markup. Each view's screenshot is saved to
docs/screenshots/ (timeline.png, graph.png, map.png, event.png) for the README."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, Request, expect
from ui_site import HOSTILE_MARKUP, Site

pytestmark = pytest.mark.browser

# Milliseconds Playwright waits for an element; the store is small, the margin is for CI.
TIMEOUT_MS = 15_000
# Most Tab presses to reach a control from the top of the page.
MAX_TABS = 40


@dataclass
class Trouble:
    """What must not happen on a page: dialogs, script errors, requests leaving the app."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def trouble() -> Trouble:
    return Trouble()


@pytest.fixture
def ui(page: Page, site: Site, trouble: Trouble) -> Page:
    """A page that records into ``trouble`` what ``_clean`` then checks."""
    page.set_default_timeout(TIMEOUT_MS)

    def on_dialog(dialog: Dialog) -> None:
        trouble.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Request) -> None:
        if not request.url.startswith((site.url, "data:")):
            trouble.foreign.append(request.url)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: trouble.errors.append(str(exc)))
    page.on("request", on_request)
    return page


def _ready(page: Page, view: str) -> None:
    expect(page.locator(f"body[data-ready='{view}'] #view > [data-view='{view}']")).to_be_attached()


def _clean(trouble: Trouble) -> None:
    assert trouble.errors == [], trouble.errors
    assert trouble.dialogs == [], trouble.dialogs
    assert trouble.foreign == [], trouble.foreign


def test_dyad_timeline_shows_the_baku_meeting_and_links_to_its_sentence(
    ui: Page, site: Site, trouble: Trouble, screenshots: Path
) -> None:
    ui.goto(f"{site.url}/")
    _ready(ui, "dyad")
    ui.select_option("#actor-a", "AZE")
    ui.select_option("#actor-b", "JPN")
    ui.click("#show-dyad")
    expect(ui).to_have_url(f"{site.url}/#/dyad?a=AZE&b=JPN")
    _ready(ui, "dyad")

    # The month of the meeting is a bar on the timeline, with a CONSULT segment.
    month = ui.locator("#timeline a.month[data-month='2024-11']")
    expect(month).to_be_visible()
    expect(month.locator("rect[data-type='CONSULT']")).to_have_count(1)
    # ...and the meeting is in the dyad's event list, in Baku.
    meeting = ui.locator("tr[data-type='CONSULT']").filter(has_text="Baku")
    expect(meeting).to_have_count(1)
    expect(meeting).to_contain_text("Masaki Ishikawa")
    expect(meeting).to_contain_text("2024-11-29")
    ui.screenshot(path=str(screenshots / "timeline.png"), full_page=True)

    meeting.locator("a.event-link").click()
    _ready(ui, "event")
    evidence = ui.locator("#article-text mark#evidence")
    expect(evidence).to_have_count(1)
    expect(evidence).to_contain_text("Elnour Mammadov, a rencontré le 29 novembre")
    expect(evidence.locator(".hl-trigger")).to_have_text("rencontré")
    actors = evidence.locator(".hl-actor")
    expect(actors.filter(has_text="Masaki Ishikawa")).to_have_count(1)
    expect(actors.filter(has_text="Elnour Mammadov")).to_have_count(1)
    expect(ui.locator("#rule")).to_have_text("fr.consult.rencontrer")
    expect(ui.locator("#trace li").first).to_be_visible()
    expect(ui.locator("#trace")).to_contain_text("visitor")
    ui.screenshot(path=str(screenshots / "event.png"), full_page=True)
    _clean(trouble)


def test_graph_renders_actors_and_weighted_relations(
    ui: Page, site: Site, trouble: Trouble, screenshots: Path
) -> None:
    ui.goto(f"{site.url}/#/graph")
    _ready(ui, "graph")
    nodes = ui.locator("svg#graph a.node")
    assert nodes.count() >= 5
    expect(ui.locator("svg#graph a.node[data-id='AZE'] circle")).to_be_visible()
    edge = ui.locator(
        "svg#graph a[data-source='AZE'][data-target='JPN'],"
        " svg#graph a[data-source='JPN'][data-target='AZE']"
    )
    expect(edge).to_have_count(1)
    assert float(edge.locator(".edge").get_attribute("stroke-width") or 0) > 1
    ui.screenshot(path=str(screenshots / "graph.png"), full_page=True)

    # Filtering by type keeps only that type's relations.
    ui.select_option("#f-type", "SUPPORT")
    ui.click("#f-apply")
    expect(ui).to_have_url(f"{site.url}/#/graph?type=SUPPORT")
    _ready(ui, "graph")
    expect(ui.locator("svg#graph a.node").first).to_be_visible()
    assert ui.locator("svg#graph a.node").count() <= nodes.count()

    # An edge is a link to its dyad timeline.
    first_edge = ui.locator("svg#graph g.edges a").first
    first_edge.click()
    _ready(ui, "dyad")
    expect(ui.locator("#timeline")).to_be_visible()
    _clean(trouble)


def test_map_draws_the_offline_basemap_and_event_places(
    ui: Page, site: Site, trouble: Trouble, screenshots: Path
) -> None:
    ui.goto(f"{site.url}/#/map")
    _ready(ui, "map")
    assert ui.locator("svg#map path.land").count() > 150
    expect(ui.locator("svg#map path.land[data-iso='AZE']")).to_have_class("land active")
    baku = ui.locator("svg#map a[data-place='Baku'] circle.point")
    expect(baku).to_be_visible()
    ui.screenshot(path=str(screenshots / "map.png"), full_page=True)

    ui.locator("svg#map a[data-place='Baku']").click()
    _ready(ui, "map")
    expect(ui.locator("#place-heading")).to_contain_text("Baku")
    consult = ui.locator("tr[data-type='CONSULT']").filter(has_text="Masaki Ishikawa")
    expect(consult).to_have_count(1)
    _clean(trouble)


def test_article_markup_is_shown_as_text_never_run(ui: Page, site: Site, trouble: Trouble) -> None:
    ui.goto(f"{site.url}/#/event/{site.hostile_event_id}")
    _ready(ui, "event")
    text = ui.locator("#article-text")
    expect(text).to_contain_text(HOSTILE_MARKUP)
    # The markup is text: no element was made from it, anywhere on the page.
    assert text.locator("script, img").count() == 0
    assert ui.locator("main img, main script, #view b").count() == 0
    expect(ui.locator("#dispatch-heading")).to_contain_text("<script>alert(1)</script>")
    expect(ui.locator(".article-meta").first).to_contain_text("<b>bold</b>")
    ui.wait_for_timeout(300)  # an onerror handler would have fired by now
    _clean(trouble)


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _outline(page: Page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + ' ' + s.outlineWidth; }"
    )


def test_keyboard_alone_reaches_controls_and_opens_pages(
    ui: Page, site: Site, trouble: Trouble
) -> None:
    ui.goto(f"{site.url}/")
    _ready(ui, "dyad")

    # Tab reaches the actor pickers; typing chooses, Enter on the button submits.
    _tab_to(ui, "#actor-a")
    assert _outline(ui).startswith("solid"), "focus must be visible"
    ui.keyboard.type("Azerbaijan")  # type-ahead picks the option on a focused <select>
    expect(ui.locator("#actor-a")).to_have_value("AZE")
    _tab_to(ui, "#actor-b")
    ui.keyboard.type("Japan")
    expect(ui.locator("#actor-b")).to_have_value("JPN")
    _tab_to(ui, "#show-dyad")
    assert _outline(ui).startswith("solid")
    ui.keyboard.press("Enter")
    expect(ui).to_have_url(f"{site.url}/#/dyad?a=AZE&b=JPN")
    _ready(ui, "dyad")

    # The months of the chart are links too, then the events; Enter opens the event page.
    _tab_to(ui, "#timeline a.month[data-month='2024-11']")
    _tab_to(ui, "tr[data-type='CONSULT'] a.event-link")
    ui.keyboard.press("Enter")
    _ready(ui, "event")
    expect(ui.locator("mark#evidence")).to_contain_text("a rencontré")

    # The navigation links work from the keyboard as well.
    ui.locator("h1").focus()
    ui.keyboard.press("Shift+Tab")  # back into the page header...
    _tab_to(ui, "#nav-graph")  # ...(wrapping round if needed) to the graph link
    ui.keyboard.press("Enter")
    _ready(ui, "graph")
    expect(ui.locator("svg#graph")).to_be_visible()
    _clean(trouble)
