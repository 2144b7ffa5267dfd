"""Checks on what a reader found besides the text: the id, title, source and url of a
dispatch, and its dates (impossible dateline dates, publication dates in the future, a
body longer than the coder reads). Each returns a cleaned value, or a rendered coded
warning for ``Article.warnings``, or raises the coded error that refuses the dispatch.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from communique.errors import (
    FutureDateError,
    ImpossibleDateWarning,
    OversizedInputError,
    RecordError,
    SettingsError,
    UnsafeUrlWarning,
)
from communique.ingest.normalize import normalize_text
from communique.ingest.structure import Header
from communique.settings import Settings

# Schemes a dispatch's address may have. Any other (javascript:, data:, vbscript:) could
# run code in a browser that shows the address as a link, so it is left out; addresses
# without a scheme (relative links) are kept as written.
SAFE_URL_SCHEMES = frozenset({"http", "https"})
# Values of Settings.future_published.
FUTURE_POLICIES = ("warn", "refuse")

_GIVE_DATE = 'give the right date (--published, or a "published" field in JSONL)'


def checked_id(value: str, origin: str | None) -> str:
    """A given article id; RecordError when it is blank or holds control characters or
    lone surrogates (no id needs them, and a PostgreSQL store cannot hold NUL)."""
    if not value.strip() or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise RecordError(
            f"the id {value!r:.60} is blank or holds control characters",
            where=origin,
            hint="give every dispatch an id of printable characters",
        )
    return value


def one_line(value: str | None) -> str | None:
    """A title or source name, normalised and on one line; None when nothing is left."""
    if value is None:
        return None
    return " ".join(normalize_text(value).split()) or None


def checked_url(value: str | None, warnings: list[str]) -> str | None:
    """The address without outer blanks, tabs, line breaks or controls (a browser drops
    them too); None, with a C112 warning, when its scheme is not http(s)."""
    if value is None:
        return None
    url = normalize_text(value).strip().replace("\t", "").replace("\n", "")
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:  # "http://[::1": an unclosed IPv6 address
        why = f"cannot be parsed ({exc})"
    else:
        if not scheme or scheme in SAFE_URL_SCHEMES:
            return url
        why = f"has the scheme {scheme!r}, not http or https"
    warnings.append(
        UnsafeUrlWarning(
            f"the url {url!r:.80} {why}; it was left out",
            hint="give the dispatch's web address (http:// or https://), or none",
        ).render()
    )
    return None


def future_warning(
    published: date | None,
    published_month: str | None,
    how: str,
    origin: str | None,
    settings: Settings,
) -> str | None:
    """The rendered C109 warning for a publication date after today (UTC) plus
    ``future_published_grace_days``, or None; raises FutureDateError instead when
    ``Settings.future_published`` is "refuse"."""
    if settings.future_published not in FUTURE_POLICIES:
        raise SettingsError(
            f"future_published is {settings.future_published!r}",
            where="settings.future_published",
            hint=f"set it to one of {', '.join(FUTURE_POLICIES)}",
        )
    try:
        first = published or (
            date(int(published_month[:4]), int(published_month[5:7]), 1)
            if published_month
            else None
        )
    except ValueError:
        return None
    today = datetime.now(UTC).date()
    if first is None or first <= today + timedelta(days=settings.future_published_grace_days):
        return None
    message = (
        f"the publication date {published or published_month} (from the {how}) is after "
        f"today ({today.isoformat()})"
    )
    if settings.future_published == "refuse":
        raise FutureDateError(
            f"{message}; the dispatch is skipped",
            where=origin,
            hint=f'{_GIVE_DATE}, or set Settings.future_published = "warn" to keep it',
        )
    return FutureDateError(
        f"{message}; it is kept with that date",
        hint=f"check the date (a mistyped year?) or {_GIVE_DATE}",
    ).render()


def long_text_warning(text: str, header: Header, settings: Settings) -> str | None:
    """The coder reads at most ``max_chars_per_doc`` characters after the header
    (pipeline.py): say so when a dispatch is longer, rather than drop its end silently."""
    body = len(text) - header.body_start
    if body <= settings.max_chars_per_doc:
        return None
    return OversizedInputError(
        f"the body has {body:,} characters; only the first {settings.max_chars_per_doc:,} "
        "(max_chars_per_doc) are coded",
        hint="split the text into one dispatch per record, or raise max_chars_per_doc",
    ).render()


def impossible_date_warning(header: Header) -> str | None:
    if not header.dateline_date_impossible or header.dateline is None:
        return None
    shown = (header.dateline.date_text or header.dateline.span).text
    return ImpossibleDateWarning(
        f"the dateline's date {shown!r} is not a real calendar date; it was not used as "
        "the publication date",
        hint=f"correct the dateline, or {_GIVE_DATE}",
    ).render()
