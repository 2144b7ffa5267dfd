"""Script payloads stored in every displayed field (xss_store.py) are shown as text in every
view of the web UI, and none runs: the dyad timeline and its event list, one actor's
events, an error message, the relations graph (labels, tooltips, table), the map (tooltips,
place list, a place's events) and the event page (title, outlet, URL, the dispatch text
with its highlights, fields, trace, other events).

The pages run with the Content-Security-Policy bypassed, so that what is tested is the
escaping itself: with the policy on, an injected inline handler would be blocked anyway.
A first test shows that a payload made into markup on such a page does set the flag.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
import xss_store as x
from playwright.sync_api import Browser, Dialog, Page, expect
from ui_site import serve

pytestmark = pytest.mark.browser

# Milliseconds Playwright waits for an element; the store is tiny, the margin is for CI.
TIMEOUT_MS = 15_000
# Milliseconds left for a handler that an injected element would fire on load (onerror
# of a broken image, onload, ontoggle, autofocus): they fire within a frame or two.
SETTLE_MS = 300

# What the page must not hold after rendering store data: elements only a payload makes,
# inline handlers (the UI only ever uses addEventListener), and links with a script scheme.
_INJECTED = """() => {
  const view = document.getElementById('view');
  const made = view.querySelectorAll('script, img, iframe, details, object, embed, svg svg');
  const handlers = [...document.querySelectorAll('*')].flatMap(
    (el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map(
      (a) => `${el.tagName} ${a.name}`));
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))
    .filter((h) => !/^(#|https?:)/i.test(h));
  return {made: made.length, handlers, links, flag: window.__xss ?? null};
}"""


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from communique.api.app import create_app

    store = x.build(tmp_path_factory.mktemp("xss") / "xss.duckdb")
    with serve(create_app(store)) as url:
        yield url


@pytest.fixture(scope="module")
def event_id(xss_url: str) -> str:
    import httpx

    rows = httpx.get(f"{xss_url}/api/events", params={"article_id": x.ARTICLE_ID}).json()
    return str(rows["events"][0]["event_id"])


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A page with the Content-Security-Policy off, recording dialogs and script errors."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_dialog(dialog: Dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    yield page
    context.close()


def _open(page: Page, url: str, view: str) -> None:
    page.goto(url)
    expect(page.locator(f"body[data-ready='{view}'] #view > [data-view='{view}']")).to_be_attached()
    page.wait_for_timeout(SETTLE_MS)


def _nothing_ran(page: Page, watch: Watch) -> None:
    found: dict[str, Any] = page.evaluate(_INJECTED)
    assert found == {"made": 0, "handlers": [], "links": [], "flag": None}, found
    assert watch.dialogs == [] and watch.errors == []


def _titles(page: Page) -> str:
    """The text of every SVG <title> (the tooltips of marks and links)."""
    return str(
        page.evaluate(
            "() => [...document.querySelectorAll('svg title')]"
            ".map((t) => t.textContent).join('\\n')"
        )
    )


def test_a_payload_made_into_markup_would_be_caught(page: Page, watch: Watch, xss_url: str) -> None:
    _open(page, f"{xss_url}/#/graph", "graph")
    page.evaluate(
        "(html) => document.getElementById('view').insertAdjacentHTML('beforeend', html)", x.IMG
    )
    page.wait_for_function("() => window.__xss === 'img'")
    page.evaluate(
        "(html) => document.getElementById('view').insertAdjacentHTML('beforeend', html)", x.ALERT
    )
    page.wait_for_timeout(SETTLE_MS)
    assert watch.dialogs == ["xss"]
    assert page.evaluate(_INJECTED)["made"] == 2


def test_dyad_timeline_and_its_events(page: Page, watch: Watch, xss_url: str) -> None:
    _open(page, f"{xss_url}/#/dyad?a=AZE&b=FRA", "dyad")
    expect(page.locator("#timeline a.month[data-month='2025-03']")).to_be_visible()
    row = page.locator("tr[data-type='CONSULT']")
    expect(row).to_have_count(1)
    for text in (x.SOURCE_NAME, x.TARGET_NAME, x.PLACE_NAME, x.MODE, x.EVIDENCE):
        expect(row).to_contain_text(text)
    # the actor pickers list the org key taken from the store
    options = page.locator("#actor-a option").all_text_contents()
    assert any(x.ORG_KEY in o for o in options)
    _nothing_ran(page, watch)


def test_one_actors_events_and_an_error_message(page: Page, watch: Watch, xss_url: str) -> None:
    _open(page, f"{xss_url}/#/dyad?a=AZE", "dyad")
    expect(page.locator("table.events tbody tr")).to_have_count(2)
    expect(page.locator("table.events")).to_contain_text(f"Organisation {x.IMG}")
    _nothing_ran(page, watch)
    # a key from the store that the API refuses: the heading names it, as text
    _open(page, f"{xss_url}/#/dyad?a={quote(x.ORG_KEY, safe='')}&b=AZE", "dyad")
    expect(page.locator("h1")).to_contain_text(x.ORG_KEY.upper())
    expect(page.locator("#view .error")).to_be_visible()
    _nothing_ran(page, watch)


def test_relations_graph_labels_tooltips_and_table(page: Page, watch: Watch, xss_url: str) -> None:
    _open(page, f"{xss_url}/#/graph", "graph")
    expect(page.locator("svg#graph a.node")).to_have_count(3)
    node = page.locator("svg#graph a.node").filter(has_text=x.ORG_KEY)
    expect(node).to_have_count(1)
    assert node.get_attribute("data-id") == x.ORG_KEY
    assert x.ORG_KEY in (node.get_attribute("aria-label") or "")
    assert x.ORG_KEY in _titles(page)
    expect(page.locator("table.events")).to_contain_text(x.ORG_KEY)
    _nothing_ran(page, watch)


def test_map_tooltips_places_and_a_places_events(page: Page, watch: Watch, xss_url: str) -> None:
    _open(page, f"{xss_url}/#/map", "map")
    point = page.locator("svg#map g.points a")
    expect(point).to_have_count(1)
    assert point.get_attribute("data-place") == x.PLACE_NAME
    assert x.PLACE_NAME in _titles(page)
    expect(page.locator("ul.places")).to_contain_text(x.PLACE_NAME)
    _nothing_ran(page, watch)

    point.click()  # the place's events, as a popup list under the map
    expect(page.locator("#place-heading")).to_contain_text(x.PLACE_NAME)
    page.wait_for_timeout(SETTLE_MS)
    table = page.locator("table.events")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text(x.SOURCE_NAME)
    _nothing_ran(page, watch)


def test_event_page_text_highlights_and_fields(
    page: Page, watch: Watch, xss_url: str, event_id: str
) -> None:
    _open(page, f"{xss_url}/#/event/{event_id}", "event")
    expect(page.locator("h1")).to_contain_text(x.SOURCE_NAME)
    expect(page.locator("h1")).to_contain_text(x.TARGET_NAME)
    expect(page.locator("#dispatch-heading")).to_have_text(x.TITLE)
    expect(page.locator(".article-meta").first).to_contain_text(x.OUTLET)
    # a javascript: address is shown, never linked
    url = page.locator("#article-url")
    expect(url).to_have_text(x.JS_URL)
    assert url.evaluate("el => el.tagName") == "SPAN"
    # the whole dispatch as text, the evidence sentence marked, names and trigger inside it
    text = page.locator("#article-text")
    expect(text).to_have_text(x.TEXT)
    evidence = text.locator("mark#evidence")
    expect(evidence).to_have_text(x.EVIDENCE)
    expect(evidence.locator(".hl-trigger")).to_have_text("a rencontré")
    expect(evidence.locator(".hl-actor").filter(has_text=x.SOURCE_NAME)).to_have_count(1)
    fields = page.locator("dl.fields")
    for shown in (x.MODE, x.PLACE_NAME, x.RULE, x.ROLE):
        expect(fields).to_contain_text(shown)
    expect(page.locator("#trace")).to_contain_text(x.TRACE)
    _nothing_ran(page, watch)


def test_the_other_dispatch_and_an_http_link(page: Page, watch: Watch, xss_url: str) -> None:
    import httpx

    rows = httpx.get(f"{xss_url}/api/events", params={"article_id": x.OTHER_ID}).json()
    _open(page, f"{xss_url}/#/event/{rows['events'][0]['event_id']}", "event")
    expect(page.locator("h1")).to_contain_text(f"Organisation {x.IMG}")
    expect(page.locator("#article-text")).to_contain_text(f"Organisation {x.IMG} a accusé")
    # an http(s) address is a link, its text as stored, its markup only escaped in the href
    link = page.locator("#article-url")
    expect(link).to_have_text(x.HTTP_URL)
    assert link.evaluate("el => el.tagName") == "A"
    assert (link.get_attribute("href") or "").startswith("https://example.org/")
    _nothing_ran(page, watch)
