"""Readers: plain text, HTML pages and JSONL records -> Article.

Every reader ends in ``article_from_text``: normalise, find the header (rubric, headline,
dateline), identify the language, settle the publication date.

Publication date, first that is known: the caller's ``published`` argument (CLI
``--published``); the record's own metadata (JSONL ``published``, HTML meta tags);
the dateline's date when it has a year. "YYYY-MM" metadata gives ``published_month``.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from communique.errors import (
    BinaryInputError,
    CommuniqueError,
    EmptyInputError,
    EncodingError,
    InputError,
    MarkupLimitWarning,
    OversizedInputError,
    RecordError,
    UnknownLanguageError,
)
from communique.ingest.checks import (
    checked_id,
    checked_url,
    future_warning,
    impossible_date_warning,
    long_text_warning,
    one_line,
)
from communique.ingest.decode import decode_bytes
from communique.ingest.files import open_regular
from communique.ingest.langid import (
    AUTO,
    MIN_CANDIDATE_COVERAGE,
    MIN_FOREIGN_HITS,
    MIN_LANGID_CONFIDENCE,
    MIN_SCRIPT_LETTERS,
    MIN_WORDS_FOR_UNRECOGNISED,
    MIXED_MIN_SHARE,
    MIXED_MIN_WORDS,
    LanguageProfile,
    check_language,
    installed_languages,
    profile_language,
)
from communique.ingest.normalize import normalize_text
from communique.ingest.structure import HeaderVocabulary, parse_header
from communique.model import Article, content_id
from communique.settings import Settings


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input that could not be read; reading goes on with the next one."""

    where: str
    error: CommuniqueError


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something about an input that was read and coded, but maybe not well (a mixed-language
    dispatch): printed as "warning WHERE: message"."""

    where: str
    message: str


def warnings_of(article: Article) -> list[InputWarning]:
    """The article's warnings, each naming its origin (file, "file.jsonl:LINE") or id."""
    where = article.origin or article.id
    return [InputWarning(where, message) for message in article.warnings]


# ---------------------------------------------------------------- publication dates

_ISO_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})"
    r"(?:-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?"
)


def parse_published(value: str) -> tuple[date | None, str | None]:
    """ "2024-11-29", "2024-11-29T10:00:00+04:00" -> (date, None); "2024-11" -> (None,
    "2024-11"). The day is the one written, before any time-zone conversion. Raises
    ValueError for anything else, impossible dates included."""
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not YYYY-MM-DD, an ISO date-time or YYYY-MM")
    year, month = int(match["y"]), int(match["m"])
    if match["d"] is None:
        if not 1 <= month <= 12:
            raise ValueError(f"{value!r}: there is no month {month}")
        if year < date.min.year:
            raise ValueError(f"{value!r}: there is no year 0")
        return None, f"{year:04d}-{month:02d}"
    try:
        return date(year, month, int(match["d"])), None
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


# ---------------------------------------------------------------- text -> Article


def checked_lang_argument(lang: str | None, where: str | None = "lang argument") -> str | None:
    """A language argument: None for None/"auto" (detect), else the code of an installed
    pack. Raises UnknownLanguageError."""
    if lang is None or lang.strip().lower() == AUTO:
        return None
    return check_language(lang, where=where)


def _resolve_lang(
    text: str, lang: str | None, origin: str | None, settings: Settings, meta: dict[str, str]
) -> tuple[str, tuple[str, ...]]:
    """The language to code ``text`` in, and warnings about it (a mixed dispatch).

    Raises UnknownLanguageError when the text is mostly in a language that no language
    pack covers (or in no recognisable language); an explicit ``lang`` is trusted."""
    given = checked_lang_argument(lang, where=origin)
    if given is not None:
        meta["lang_detected"] = "given"
        return given, ()
    profile = profile_language(text, installed_languages())
    meta["lang_confidence"] = f"{profile.confidence:.2f}"
    if profile.shares:
        meta["lang_shares"] = profile.describe()
    _refuse_foreign(profile, origin, settings)
    major = profile.majority
    if major is None or not major.supported or profile.confidence < MIN_LANGID_CONFIDENCE:
        meta["lang_detected"] = "fallback"
        code = check_language(settings.default_lang, where="settings.default_lang")
    else:
        meta["lang_detected"] = "detected"
        code = major.label
    return code, _mixed_warnings(profile, code)


def _codes(settings: Settings) -> str:
    return ", ".join(sorted(settings.models))


def _refuse_foreign(profile: LanguageProfile, origin: str | None, settings: Settings) -> None:
    """Raise UnknownLanguageError for a dispatch mostly in another language or script, or
    with almost no function words of any installed language."""
    major = profile.majority
    how = (
        f"if it is in fact in {' or '.join(sorted(settings.models))}, give its language "
        '(--lang, or a "lang" field in JSONL)'
    )
    enough = MIN_SCRIPT_LETTERS if major and major.kind == "script" else MIN_FOREIGN_HITS
    if major is not None and not major.supported and major.hits >= enough:
        shares = f" ({profile.describe()})" if len(profile.shares) > 1 else ""
        raise UnknownLanguageError(
            f"the dispatch appears to be in {major.name}{shares}, which communique does not "
            f"code; it codes {_codes(settings)}",
            where=origin,
            hint=f"leave it out or translate it; {how}",
        )
    if profile.words >= MIN_WORDS_FOR_UNRECOGNISED and profile.coverage < MIN_CANDIDATE_COVERAGE:
        raise UnknownLanguageError(
            f"the dispatch is in no language communique codes: {profile.coverage:.0%} of "
            f"its {profile.words} words are function words of "
            f"{' or '.join(installed_languages())} (news prose has 30-45%)",
            where=origin,
            hint=f"leave it out; {how}",
        )


def _mixed_warnings(profile: LanguageProfile, code: str) -> tuple[str, ...]:
    """One warning when a language other than ``code`` holds a large part of the text."""
    others = [
        s
        for s in profile.shares
        if s.label != code and s.share >= MIXED_MIN_SHARE and s.words >= MIXED_MIN_WORDS
    ]
    if not others:
        return ()
    parts = " and ".join(s.name for s in others)
    return (
        f"mixed languages ({profile.describe()}): coded as {code}, so the {parts} "
        "part may be missed or mis-coded (split the dispatch by language to code each part)",
    )


def article_from_text(
    text: str,
    *,
    id: str | None,
    origin: str | None,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    published_month: str | None = None,
    meta: Mapping[str, str] | None = None,
    vocab: HeaderVocabulary | None = None,
    warnings: Sequence[CommuniqueError] = (),
) -> Article:
    """Build an Article from decoded text: normalise, parse the header, identify the
    language (``lang`` None or "auto" detects), settle the publication date.

    ``id`` None gives ``content_id`` of the normalised text. ``published`` (a caller's
    explicit date) wins over ``published_month`` (metadata), which wins over the
    dateline. Title and source are normalised to one line; a url with a scheme other
    than http(s) is left out. ``warnings`` (the reader's: decoding, markup) go into
    ``Article.warnings`` with those found here (url, impossible dateline date,
    publication date in the future, mixed languages). Raises EmptyInputError,
    OversizedInputError, UnknownLanguageError, RecordError (a bad ``id``) or
    FutureDateError (with ``Settings.future_published`` "refuse").
    """
    # Characters, a lower bound on the bytes: readers have checked the bytes already.
    if len(text) > settings.max_input_bytes:
        raise OversizedInputError(
            f"the text has {len(text):,} characters, more than max_input_bytes "
            f"({settings.max_input_bytes:,})",
            where=origin,
            hint="split it into one dispatch per record, or raise max_input_bytes",
        )
    if id is not None:
        id = checked_id(id, origin)
    normalised = normalize_text(text)
    if not normalised:
        raise EmptyInputError(
            "no text left after normalisation (only blanks or control characters)",
            where=origin,
            hint="give the dispatch some text",
        )
    # metadata values may come from the input (an HTML page's lang attribute, unreadable
    # dates): one line each, without control characters (PostgreSQL's JSON refuses NUL)
    info = {key: one_line(value) or "" for key, value in (meta or {}).items()}
    header = parse_header(normalised, vocab)
    code, language_warnings = _resolve_lang(normalised, lang, origin, settings, info)
    if code not in settings.models:
        # detected or declared in a language the coder has no model for: skip this input,
        # not the run
        raise UnknownLanguageError(
            f"the dispatch is in {code!r}, which has no spaCy model configured",
            where=origin,
            hint=f"models are configured for {', '.join(sorted(settings.models))}; add one "
            "to Settings.models or leave this input out",
        )
    if isinstance(published, datetime):
        published = published.date()
    if published is not None:
        info.setdefault("published_from", "argument")
        published_month = None
    elif header.dateline_date is not None and (
        published_month is None or header.dateline_date.strftime("%Y-%m") == published_month
    ):
        published, published_month = header.dateline_date, None
        info["published_from"] = "dateline"
    elif published_month is None and header.dateline_month is not None:
        published_month = header.dateline_month
        info["published_from"] = "dateline"
    notes = [w.render() for w in warnings]
    safe_url = checked_url(url, notes)
    notes.append(long_text_warning(normalised, header, settings) or "")
    notes.append(impossible_date_warning(header) or "")
    how = info.get("published_from", "metadata")
    notes.append(future_warning(published, published_month, how, origin, settings) or "")
    return Article(
        id=id if id is not None else content_id(normalised),
        text=normalised,
        lang=code,
        published=published,
        published_month=published_month,
        url=safe_url,
        title=one_line(title),
        source=one_line(source),
        origin=origin,
        rubric=header.rubric,
        headline=header.headline,
        dateline=header.dateline,
        body_start=header.body_start,
        meta=info,
        warnings=(*(n for n in notes if n), *language_warnings),
    )


def read_text(
    data: bytes,
    *,
    origin: str,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
) -> Article:
    """One plain-text dispatch. Raises InputError subclasses naming ``origin``."""
    decoded = decode_bytes(data, origin=origin, settings=settings)
    return article_from_text(
        decoded.text,
        id=None,
        origin=origin,
        settings=settings,
        published=published,
        lang=lang,
        meta={"format": "text", "encoding": decoded.encoding},
        warnings=decoded.warnings,
    )


# ---------------------------------------------------------------- HTML

# Elements whose content is never article text.
_DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form",
        "svg", "iframe", "button", "select", "textarea", "head",
    }
)  # fmt: skip
# Elements that start a new line of text.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5",
        "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr",
        "td", "th", "figure", "figcaption", "br", "hr", "address",
    }
)  # fmt: skip
# Outside any <article>, text is taken from these only.
_PAGE_TEXT_TAGS = frozenset({"p", "h1", "h2", "h3"})
_VOID_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr", "param",
    }
)  # fmt: skip
# Where pages state their publication date, most specific first (Open Graph article
# properties, schema.org microdata, Dublin Core).
_DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "pubdate",
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# A page declares its charset near the top; HTML requires it in the first 1024 bytes.
_CHARSET_SCAN_BYTES = 2048
_WHITESPACE = re.compile(r"\s+")
_MARKED_SECTION = re.compile(r"<!\[[^>]*>")
# The roles an open element may take (see _PageParser).
_ROLES = ("drop", "article", "page", "")


class _PageParser(HTMLParser):
    """One pass, no recursion: a stack of open elements and counters. Elements opened
    when ``max_depth`` are already open are counted per tag and role instead of stacked
    (an end tag closes the deepest of its kind first), so memory stays bounded however
    deep the markup, and time linear in its size."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        # Open elements, each with the role it took when it opened: "drop", "article",
        # "page" (a <p>/<h1>-<h3> outside dropped content) or "" (none).
        self._stack: list[tuple[str, str]] = []
        self._max_depth = max_depth
        self._deep: Counter[tuple[str, str]] = Counter()  # open beyond max_depth
        self.flattened = 0  # elements opened beyond max_depth
        self._open: Counter[str] = Counter()
        self._depth: Counter[str] = Counter()  # open elements per role
        self._article_line: list[str] = []
        self._page_line: list[str] = []
        self._title: list[str] | None = None
        self._jsonld: list[str] | None = None
        self.articles: list[list[str]] = []
        self.page_blocks: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.jsonld: list[str] = []
        self.html_lang: str | None = None
        self.canonical: str | None = None

    @staticmethod
    def _flush(parts: list[str], into: list[str]) -> None:
        line = _WHITESPACE.sub(" ", "".join(parts)).strip()
        parts.clear()
        if line:
            into.append(line)

    def _break_line(self) -> None:
        if self._article_line:
            self._flush(self._article_line, self.articles[-1])
        if self._page_line:
            self._flush(self._page_line, self.page_blocks)

    def _note_meta(self, attrs: dict[str, str | None]) -> None:
        content = attrs.get("content")
        if content is None:
            return
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = attrs.get(key)
            if name:
                self.meta.setdefault(name.strip().lower(), content.strip())

    def _role(self, tag: str) -> str:
        if tag in _DROPPED_TAGS:
            return "drop"
        if self._depth["drop"]:
            return ""
        if tag == "article":
            return "article"
        return "page" if tag in _PAGE_TEXT_TAGS else ""

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "meta":
            self._note_meta(attrs)
        elif tag == "link" and (attrs.get("rel") or "").lower() == "canonical":
            self.canonical = self.canonical or attrs.get("href")
        elif tag == "html" and attrs.get("lang"):
            self.html_lang = attrs["lang"]
        elif tag == "body" and self._open["head"]:
            self.handle_endtag("head")  # </head> is optional in HTML
        if tag == "time" and attrs.get("datetime") and not self._depth["drop"]:
            self.times.append(attrs["datetime"] or "")
        if (attrs.get("itemprop") or "").lower() == "datepublished" and tag != "meta":
            value = attrs.get("datetime") or attrs.get("content")
            if value:
                self.meta.setdefault("datepublished", value.strip())
        if tag in _BLOCK_TAGS:
            self._break_line()
        if tag in _VOID_TAGS:
            return
        role = self._role(tag)
        if len(self._stack) < self._max_depth:
            self._stack.append((tag, role))
            self._open[tag] += 1
        else:
            self._deep[tag, role] += 1
            self.flattened += 1
        self._depth[role] += 1
        if role == "article" and self._depth["article"] == 1:
            self.articles.append([])
        if tag == "title" and self._title is None:
            self._title = []
        elif tag == "script" and (attrs.get("type") or "").lower() == "application/ld+json":
            self._jsonld = []

    def handle_endtag(self, tag: str) -> None:
        for role in _ROLES:  # elements beyond max_depth are the innermost
            if self._deep[tag, role]:
                self._deep[tag, role] -= 1
                self._depth[role] -= 1
                self._close(tag)
                return
        if self._open[tag]:  # else a stray end tag: ignore it
            self._pop_until(tag)

    def _pop_until(self, tag: str | None) -> None:
        """Close open elements down to ``tag`` (all of them for None)."""
        while self._stack:
            top, role = self._stack.pop()
            self._open[top] -= 1
            self._depth[role] -= 1
            self._close(top)
            if top == tag:
                return

    def _close(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._break_line()
        if tag == "title" and self._title is not None:
            self.title_parts.append("".join(self._title))
            self._title = None
        elif tag == "script" and self._jsonld is not None:
            self.jsonld.append("".join(self._jsonld))
            self._jsonld = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        if self._jsonld is not None:
            self._jsonld.append(data)
        if self._depth["drop"]:
            return
        if self._depth["article"]:
            self._article_line.append(data)
        if self._depth["page"]:
            self._page_line.append(data)

    def close(self) -> None:
        super().close()
        for (tag, role), count in self._deep.items():
            self._depth[role] -= count
            if count:
                self._close(tag)
        self._deep.clear()
        self._pop_until(None)
        self._break_line()

    def main_text(self) -> str:
        articles = [blocks for blocks in self.articles if blocks]
        if articles:
            return "\n".join(max(articles, key=lambda b: sum(len(line) for line in b)))
        return "\n".join(self.page_blocks)


def _defuse(markup: str) -> str:
    """Remove comments and marked sections, neutralise tags that can never close; in
    linear time.

    html.parser rescans to the end of the page for every "<!--" without "-->" and every
    "<" after the last ">": quadratic time on such pages (minutes for 200 kB). An
    unclosed comment runs to the end of the page, as HTML specifies. Marked sections
    ("<![CDATA[...]]>", "<![if !IE]>") make html.parser raise on unknown keywords; in
    HTML they only occur in foreign content (SVG, MathML) or old conditional markup."""
    parts: list[str] = []
    pos = 0
    while True:
        opening = markup.find("<!--", pos)
        if opening < 0:
            parts.append(markup[pos:])
            break
        parts.append(markup[pos:opening])
        closing = markup.find("-->", opening + 4)
        if closing < 0:
            break
        pos = closing + 3
    markup = "".join(parts)
    last = markup.rfind(">")
    markup = markup[: last + 1] + markup[last + 1 :].replace("<", "&lt;")
    return _MARKED_SECTION.sub("", markup)


def _jsonld_date(raw: str) -> str | None:
    """First "datePublished" string in a JSON-LD block, searched without recursion."""
    try:
        todo: list[Any] = [json.loads(raw)]
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep
        return None
    while todo:
        node = todo.pop(0)
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                return value
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return None


def _page_published(page: _PageParser) -> tuple[tuple[date | None, str | None], list[str]]:
    """Publication date from the page's metadata, and the values that could not be read."""
    candidates = [page.meta[k] for k in _DATE_META_KEYS if page.meta.get(k)]
    candidates += [d for d in map(_jsonld_date, page.jsonld) if d]
    candidates += page.times[:1]
    rejected: list[str] = []
    for value in candidates:
        try:
            return parse_published(value), rejected
        except ValueError:
            pass
        try:  # "Mon, 03 Jun 2024 10:00:00 GMT" (RFC 2822, in some feeds and CMSs)
            return (email.utils.parsedate_to_datetime(value).date(), None), rejected
        except (TypeError, ValueError, IndexError):
            rejected.append(value)
    return (None, None), rejected


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data, 0, _CHARSET_SCAN_BYTES)
    return match.group(1).decode("ascii") if match else None


def read_html(
    data: bytes,
    *,
    origin: str,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
) -> Article:
    """One HTML page: title, metadata dates, canonical URL, and the main text (the largest
    ``<article>``, else the ``<p>`` and ``<h1>``-``<h3>`` blocks). Raises InputError."""
    decoded = decode_bytes(data, origin=origin, settings=settings, declared=_declared_charset(data))
    page = _PageParser(settings.max_html_depth)
    try:
        page.feed(_defuse(decoded.text))
        page.close()
    except (AssertionError, ValueError) as exc:  # html.parser on pathological markup
        raise InputError(
            f"the HTML could not be parsed: {exc}",
            where=origin,
            hint="check that the file is an HTML page, or give its text as .txt",
        ) from None
    text = page.main_text()
    if not text.strip():
        raise EmptyInputError(
            "the page has no article text (no <article>, <p> or <h1>-<h3> content)",
            where=origin,
            hint="save the article page itself, or give its text as .txt",
        )
    meta = {"format": "html", "encoding": decoded.encoding}
    if page.html_lang:
        meta["html_lang"] = page.html_lang
    (page_date, page_month), rejected = _page_published(page)
    if rejected:
        meta["published_unreadable"] = "; ".join(rejected)
    if published is None and (page_date or page_month):
        meta["published_from"] = "metadata"
    title = _WHITESPACE.sub(" ", " ".join(page.title_parts)).strip() or page.meta.get("og:title")
    warnings: list[CommuniqueError] = list(decoded.warnings)
    if page.flattened:
        warnings.append(
            MarkupLimitWarning(
                f"{page.flattened:,} element(s) nested deeper than max_html_depth "
                f"({settings.max_html_depth}) were read without their nesting",
                hint="check that the file is an article page; raise max_html_depth for "
                "pages nested that deep on purpose",
            )
        )
    return article_from_text(
        text,
        id=None,
        origin=origin,
        settings=settings,
        published=published or page_date,
        lang=lang,
        url=page.canonical or page.meta.get("og:url"),
        title=title or None,
        source=page.meta.get("og:site_name"),
        published_month=page_month,
        meta=meta,
        warnings=warnings,
    )


# ---------------------------------------------------------------- JSONL

_JSONL_HINT = 'write one JSON object a line: {"id": "...", "text": "..."}'
_OPTIONAL_FIELDS = ("lang", "published", "url", "title", "source")


def _record_error(message: str, where: str, hint: str) -> InputProblem:
    return InputProblem(where, RecordError(message, where=where, hint=hint))


def _lines_of(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) for every line, reading at most ``limit`` + 1 bytes
    of any one line into memory."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        too_long = len(line) > limit and not line.endswith(b"\n")
        while too_long and not line.endswith(b"\n"):
            line = stream.readline(limit + 1)  # skip the rest of the oversized line
            if not line:
                break
        yield lineno, (b"" if too_long else line), too_long


def _record_article(
    record: dict[str, Any],
    where: str,
    *,
    settings: Settings,
    published: date | None,
    lang: str | None,
) -> Article | InputProblem:
    for name in ("id", "text"):
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            got = "missing" if value is None else f"{type(value).__name__} {value!r:.40}"
            return _record_error(
                f"field {name!r} must be a non-empty string ({got})",
                where,
                f'give every record a "{name}" string',
            )
    for name in _OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return _record_error(
                f"field {name!r} must be a string or null, not {type(value).__name__}",
                where,
                f'write "{name}" as a JSON string, or leave it out',
            )
    record_date = record_month = None
    if record.get("published"):
        try:
            record_date, record_month = parse_published(record["published"])
        except ValueError as exc:
            return _record_error(
                f"field 'published': {exc}",
                where,
                'write "published" as YYYY-MM-DD (or YYYY-MM when the day is unknown)',
            )
    meta = {"format": "jsonl"}
    if published is None and (record_date or record_month):
        meta["published_from"] = "metadata"
    try:
        return article_from_text(
            record["text"],
            id=record["id"],
            origin=where,
            settings=settings,
            published=published or record_date,
            lang=lang or record.get("lang"),
            url=record.get("url"),
            title=record.get("title"),
            source=record.get("source"),
            published_month=None if published else record_month,
            meta=meta,
        )
    except InputError as exc:
        return InputProblem(where, exc)


def _jsonl_record(raw: bytes, where: str) -> dict[str, Any] | InputProblem:
    """One non-blank JSONL line as a JSON object, or its problem."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputProblem(
            where,
            EncodingError(
                f"the line is not valid UTF-8 (byte {exc.start + 1})",
                where=where,
                hint="JSONL files must be UTF-8; convert the file",
            ),
        )
    try:
        record = json.loads(line)
    except ValueError as exc:
        return _record_error(f"invalid JSON: {exc}", where, _JSONL_HINT)
    except RecursionError:  # arrays or objects nested thousands deep
        return _record_error("invalid JSON: nested too deeply", where, _JSONL_HINT)
    if not isinstance(record, dict):
        return _record_error(
            f"expected a JSON object, found {type(record).__name__}", where, _JSONL_HINT
        )
    return record


def _text_digest(text: Any) -> bytes:
    """A short digest of a record's text (b"" when it is not a string), kept per id so
    that a repeated record can be told from a reused id without keeping texts."""
    if not isinstance(text, str):
        return b""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _duplicate(
    record: dict[str, Any], record_id: str, first: tuple[int, bytes], where: str
) -> InputProblem:
    line, digest = first
    if digest and _text_digest(record.get("text")) == digest:
        return _record_error(
            f"duplicate id {record_id!r:.60} (first on line {line}): the same record again, "
            "skipped",
            where,
            "remove the repeated line",
        )
    return _record_error(
        f"duplicate id {record_id!r:.60} (first on line {line}) with another text, skipped",
        where,
        "give every record its own id",
    )


def iter_jsonl(
    path: str | Path,
    *,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
) -> Iterator[Article | InputProblem]:
    """Stream a JSONL file: one Article per good line, one InputProblem ("path:LINE") per
    bad one (invalid JSON, not an object, missing or empty id/text, wrong types, bad
    published value, duplicate id). Lines longer than ``max_input_bytes`` are skipped
    unread. Never holds more than one line in memory, plus the set of ids seen."""
    given_lang = checked_lang_argument(lang)
    name = str(path)
    seen: dict[str, tuple[int, bytes]] = {}  # id -> first line, digest of its text
    records = 0
    try:
        opened = open_regular(path, origin=name)  # a FIFO would block: refused
    except InputError as exc:
        yield InputProblem(name, exc)
        return
    try:
        with opened as stream:
            head = stream.read(_CHARSET_SCAN_BYTES)
            if b"\x00" in head:
                yield InputProblem(
                    name,
                    BinaryInputError(
                        "the file contains NUL bytes: binary, or UTF-16",
                        where=name,
                        hint="JSONL must be UTF-8 text, one JSON object a line",
                    ),
                )
                return
            stream.seek(0)
            for lineno, raw, too_long in _lines_of(stream, settings.max_input_bytes):
                where = f"{name}:{lineno}"
                if too_long:
                    yield InputProblem(
                        where,
                        OversizedInputError(
                            "the line is longer than max_input_bytes "
                            f"({settings.max_input_bytes:,})",
                            where=where,
                            hint="shorten the record's text, or raise max_input_bytes",
                        ),
                    )
                    continue
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                records += 1
                record = _jsonl_record(raw, where)
                if isinstance(record, InputProblem):
                    yield record
                    continue
                record_id = record.get("id")
                if isinstance(record_id, str) and record_id in seen:
                    yield _duplicate(record, record_id, seen[record_id], where)
                    continue
                if isinstance(record_id, str):
                    seen[record_id] = (lineno, _text_digest(record.get("text")))
                yield _record_article(
                    record, where, settings=settings, published=published, lang=given_lang
                )
    except OSError as exc:
        yield InputProblem(
            name,
            InputError(
                f"cannot read the file: {exc.strerror or exc}",
                where=name,
                hint="check that the path exists and is readable",
            ),
        )
        return
    if records == 0:
        yield InputProblem(
            name,
            EmptyInputError(
                "the JSONL file has no records", where=name, hint="add one JSON object a line"
            ),
        )
