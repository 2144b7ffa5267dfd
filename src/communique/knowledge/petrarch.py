"""TABARI/PETRARCH actor and agent dictionaries: parsing, CAMEO actor codes, conversion.

The input format (TABARI 0.8 / PETRARCH, e.g. ``Phoenix.Countries.actors.txt``):

* ``#`` starts a comment anywhere on a line; a line starting with ``<`` is a comment, and
  ``<!-- ... -->`` may span lines.
* An actor entry is a head phrase, then optional ``+SYNONYM`` lines, then its codes, on the
  head line or on indented continuation lines. Words are joined by ``_`` or spaces; a
  trailing ``_`` (TABARI's "do not stem") is dropped: PETRARCH does not stem either.
* A code is ``[CODE]``, or dated: ``[CODE >D]`` (from D on, D included), ``[CODE <D]``
  (before D, D excluded), ``[CODE D1-D2]`` (D1 to D2, both included). Dates are YYMMDD or
  YYYYMMDD; a two-digit year YY <= TWO_DIGIT_YEAR_PIVOT is 20YY, otherwise 19YY (the
  Phoenix files, made in 2014, use two-digit years 00-14 and 31-99 only). Several codes may
  follow one another; ``[A/B]`` gives two codes. PETRARCH uses the first dated code whose
  dates hold, else the undated (default) code.
* An agent entry is ``PHRASE {PLURAL} [~CODE]`` (``~`` before the code: the agent code is
  appended to the actor's; after it, ``[NGO~]``, prefixed). ``{}`` means "no plural";
  without braces the regular English plural is generated. ``!NAME! = A, B`` defines a
  macro; ``!NAME!`` in a phrase expands to each of A and B.

Problems a reader can safely skip (a bad date in one code, an entry with no code) are
counted warnings; a file whose structure is broken (an unterminated comment or bracket, a
synonym before any entry, an undefined macro) raises DataFileError naming file and line.
``strict=True`` turns every warning into an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from communique.errors import DataFileError

# Two-digit years up to this value are 20YY, later ones 19YY. The Phoenix dictionaries
# (generated January 2014) use 00-14 for 2000-2014 and 31-99 for 1931-1999; 30 splits the
# gap and keeps the rule valid for dictionaries written until 2030.
TWO_DIGIT_YEAR_PIVOT = 30

# CAMEO actor-code prefixes that begin an international or transnational body; the
# identifying part of such a code is the prefix and the next three letters (IGOUNO).
ORG_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "UIS"})

# CAMEO role codes (the three-letter chunks after the country) -> the project's sectors
# (CODING.md: police and intelligence are GOV; any non-state armed group is REB).
CAMEO_SECTORS: dict[str, str] = {
    "GOV": "GOV",
    "COP": "GOV",
    "SPY": "GOV",
    "MIL": "MIL",
    "LEG": "LEG",
    "JUD": "JUD",
    "REB": "REB",
    "INS": "REB",
    "SEP": "REB",
    "UAF": "REB",
    "IMG": "REB",
    "OPP": "OPP",
    "BUS": "BUS",
    "MNC": "BUS",
    "NGO": "NGO",
    "NGM": "NGO",
    "HRI": "NGO",
    "IGO": "IGO",
    "MED": "MED",
    "CVL": "CVL",
    "CIV": "CVL",
    "EDU": "CVL",
    "LAB": "CVL",
    "AGR": "CVL",
    "REF": "CVL",
    "HLH": "CVL",
    "DEV": "CVL",
    "ENV": "CVL",
    "REL": "CVL",
    "MUS": "CVL",
    "CHR": "CVL",
    "JEW": "CVL",
    "BUD": "CVL",
    "HIN": "CVL",
    "ELI": "OTH",
    "CRM": "OTH",
    "PTY": "OTH",
    "MOD": "OTH",
    "RAD": "OTH",
}
# Of the chunks of one code, the first in this set decides the sector ("MOSREB" is REB,
# "GOVMED" GOV); otherwise the first chunk with any mapping does.
_PRIMARY = frozenset({"GOV", "MIL", "LEG", "JUD", "REB", "INS", "SEP", "UAF", "OPP", "COP"})

_CODE_BODY = re.compile(r"^[A-Z0-9-]{1,}$")
_DATE_RANGE = re.compile(r"^(\d{6,8})\s*-\s*(\d{6,8})$")
_DATE_ONE = re.compile(r"^([<>])\s*(\d{6,8})$")
_MACRO_DEF = re.compile(r"^!([A-Z0-9_-]+)!\s*=\s*(.+)$")
_MACRO_USE = re.compile(r"!([A-Z0-9_-]+)!")


@dataclass(frozen=True, slots=True)
class DatedCode:
    """One code of an entry; ``start``/``end`` are inclusive, None when open."""

    code: str
    start: date | None = None
    end: date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(slots=True)
class ActorEntry:
    line: int
    forms: list[str]  # upper-case phrases, words separated by one space
    codes: list[DatedCode] = field(default_factory=list)
    note: str = ""  # the head line's comment ("CountryInfo.txt")


@dataclass(frozen=True, slots=True)
class AgentEntry:
    line: int
    forms: tuple[str, ...]
    plurals: tuple[str, ...]
    code: str
    prefix: bool  # [NGO~]: the agent code goes before the actor's


@dataclass(frozen=True, slots=True)
class ImportWarning:
    line: int
    message: str


@dataclass
class ParsedDictionary:
    path: Path
    kind: str  # actors | agents
    actors: list[ActorEntry] = field(default_factory=list)
    agents: list[AgentEntry] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)


def _fail(path: Path, line: int | None, message: str, hint: str) -> DataFileError:
    return DataFileError(message, where=f"{path}:{line}" if line else str(path), hint=hint)


class _Reader:
    """Line reader that removes comments and records warnings."""

    def __init__(self, path: Path, strict: bool):
        self.path = path
        self.strict = strict
        self.warnings: list[ImportWarning] = []
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise _fail(path, None, "dictionary file not found", "check the path") from None
        except UnicodeDecodeError:
            text = path.read_text(encoding="latin-1")
        except OSError as exc:
            raise _fail(path, None, f"cannot read the file: {exc}", "check the path") from None
        if "\x00" in text:
            raise _fail(path, None, "binary file", "pass a TABARI/PETRARCH .txt dictionary")
        self.text = text

    def warn(self, line: int, message: str, hint: str) -> None:
        if self.strict:
            raise _fail(self.path, line, message, hint)
        self.warnings.append(ImportWarning(line, message))

    def lines(self) -> Iterable[tuple[int, str, str, bool]]:
        """(line number, content without comments, comment text, indented)."""
        in_comment = 0
        for n, raw in enumerate(self.text.splitlines(), start=1):
            if in_comment:
                if "-->" in raw:
                    in_comment = 0
                continue
            stripped = raw.strip()
            if stripped.startswith("<"):
                if stripped.startswith("<!--") and "-->" not in stripped:
                    in_comment = n
                continue
            content, _, comment = raw.partition("#")
            if not content.strip():
                continue
            yield n, content.rstrip(), comment.strip(), raw[:1] in (" ", "\t")
        if in_comment:
            raise _fail(self.path, in_comment, "unterminated <!-- comment", "close it with -->")


def parse_date(text: str) -> date:
    """YYMMDD (pivot TWO_DIGIT_YEAR_PIVOT) or YYYYMMDD; raises ValueError."""
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= TWO_DIGIT_YEAR_PIVOT else 1900 + yy
        return date(year, int(text[2:4]), int(text[4:6]))
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    raise ValueError(f"{text!r} has {len(text)} digits")


def _phrase(text: str) -> str:
    """TABARI phrase -> upper-case words separated by single spaces."""
    words = text.replace("_", " ").split()
    return " ".join(words).upper()


def _code_blocks(content: str, reader: _Reader, line: int) -> tuple[str, list[str]]:
    """Split a line into the text before its first '[' and the bracketed blocks."""
    head, _, rest = content.partition("[")
    blocks: list[str] = []
    if not _:
        return content, blocks
    rest = "[" + rest
    while rest.strip():
        rest = rest.strip()
        if not rest.startswith("["):
            reader.warn(line, f"text {rest!r} after a code ignored", "move it into a # comment")
            break
        close = rest.find("]")
        if close < 0:
            reader.warn(line, f"'[' without ']' in {content.strip()!r}; line skipped", "close it")
            return head, []
        blocks.append(rest[1:close].strip())
        rest = rest[close + 1 :]
    return head, blocks


def _dated_codes(block: str, reader: _Reader, line: int) -> list[DatedCode]:
    parts = block.split(None, 1)
    if not parts:
        reader.warn(line, "empty code []", "write a CAMEO code inside the brackets")
        return []
    code = parts[0]
    restriction = parts[1].strip() if len(parts) > 1 else ""
    # "[HOB < 950601]" and "[HOB<950601]" both occur
    for sign in "<>":
        if sign in code:
            code, _, tail = code.partition(sign)
            restriction = f"{sign}{tail} {restriction}".strip()
    if code != code.upper():
        reader.warn(line, f"lower-case code {code!r} read as {code.upper()!r}", "upper-case it")
        code = code.upper()
    codes = [c for c in code.split("/") if c]
    for c in codes:
        if not _CODE_BODY.match(c) and c not in ("+++", "###"):
            reader.warn(line, f"bad code {c!r} skipped", "use letters, digits and '-'")
            return []
    start = end = None
    if restriction:
        try:
            m1 = _DATE_ONE.match(restriction)
            m2 = _DATE_RANGE.match(restriction)
            if m1:
                d = parse_date(m1.group(2))
                if m1.group(1) == ">":
                    start = d
                else:
                    end = d - timedelta(days=1)
            elif m2:
                start, end = parse_date(m2.group(1)), parse_date(m2.group(2))
            else:
                raise ValueError(f"{restriction!r} is not >D, <D or D-D")
        except ValueError as exc:
            reader.warn(
                line,
                f"bad date restriction in [{block}] ({exc}); code skipped",
                "write YYMMDD or YYYYMMDD after <, > or around '-'",
            )
            return []
        if start and end and start > end:
            reader.warn(line, f"[{block}] starts after it ends; code skipped", "swap the dates")
            return []
    return [DatedCode(c, start, end) for c in codes]


def parse_actors(path: Path, *, strict: bool = False) -> ParsedDictionary:
    """Parse a TABARI/PETRARCH actor dictionary."""
    reader = _Reader(path, strict)
    out = ParsedDictionary(path, "actors")
    current: ActorEntry | None = None

    def close(entry: ActorEntry | None) -> None:
        if entry is None:
            return
        if not entry.codes:
            reader.warn(entry.line, f"entry {entry.forms[0]!r} has no code; skipped", "add [CODE]")
            return
        out.actors.append(entry)

    for n, content, comment, indented in reader.lines():
        text = content.strip()
        if text.startswith("+"):
            if current is None:
                raise _fail(path, n, "synonym before any entry", "put a head phrase first")
            head, blocks = _code_blocks(text[1:], reader, n)
            for piece in head.split("+"):
                if _phrase(piece):
                    current.forms.append(_phrase(piece))
            for b in blocks:
                current.codes.extend(_dated_codes(b, reader, n))
            continue
        if text.startswith("["):
            if current is None:
                raise _fail(path, n, "code before any entry", "put a head phrase first")
            _, blocks = _code_blocks(text, reader, n)
            for b in blocks:
                current.codes.extend(_dated_codes(b, reader, n))
            continue
        if indented and current is not None and "[" not in text:
            reader.warn(n, f"indented text {text!r} ignored", "indent only code lines")
            continue
        close(current)
        head, blocks = _code_blocks(text, reader, n)
        phrase = _phrase(head)
        if not phrase:
            raise _fail(path, n, "entry without a phrase", "write the actor's name first")
        current = ActorEntry(n, [phrase], note=comment)
        for b in blocks:
            current.codes.extend(_dated_codes(b, reader, n))
    close(current)
    out.warnings = reader.warnings
    return out


def regular_plural(phrase: str) -> str:
    """English regular plural of a phrase's last word (PETRARCH's rule, simplified)."""
    words = phrase.split(" ")
    w = words[-1]
    if re.search(r"(S|SH|CH|X|Z)$", w):
        w += "ES"
    elif re.search(r"[^AEIOU]Y$", w):
        w = w[:-1] + "IES"
    else:
        w += "S"
    return " ".join([*words[:-1], w])


def parse_agents(path: Path, *, strict: bool = False) -> ParsedDictionary:
    """Parse a PETRARCH agent dictionary (with ``!MACRO!`` definitions)."""
    reader = _Reader(path, strict)
    out = ParsedDictionary(path, "agents")
    macros: dict[str, list[str]] = {}
    for n, content, _comment, _indented in reader.lines():
        text = content.strip()
        m = _MACRO_DEF.match(text)
        if m:
            macros[m.group(1)] = [v.strip() for v in m.group(2).split(",") if v.strip()]
            continue
        head, blocks = _code_blocks(text, reader, n)
        if not blocks:
            if "[" not in text:
                reader.warn(n, f"agent {text!r} has no [~CODE]; skipped", "add [~CODE]")
            continue
        if len(blocks) > 1:
            reader.warn(n, "several codes on an agent line; the first is used", "keep one")
        raw = blocks[0].replace(" ", "")
        prefix = raw.endswith("~") and not raw.startswith("~")
        code = raw.strip("~").upper()
        if not code or not _CODE_BODY.match(code) or "~" not in raw:
            reader.warn(n, f"bad agent code [{blocks[0]}]; skipped", "write [~CODE] or [CODE~]")
            continue
        plural_text: str | None = None
        if "{" in head:
            before, _, after = head.partition("{")
            inside, closed, tail = after.partition("}")
            if not closed:
                raise _fail(path, n, "'{' without '}'", "close the plural with }")
            head = before + " " + tail
            plural_text = inside
        for name in _MACRO_USE.findall(head + (plural_text or "")):
            if name not in macros:
                raise _fail(
                    path, n, f"undefined macro !{name}!", f"define it first: !{name}! = A, B"
                )
        forms = _expand(head, macros)
        if plural_text is None:
            # a macro's values already list the plural forms (MAN, MEN)
            plurals = [] if _MACRO_USE.search(head) else [regular_plural(f) for f in forms]
        else:
            plurals = _expand(plural_text, macros) if plural_text.strip() else []
        if not forms:
            reader.warn(n, "agent without a phrase; skipped", "write the noun before [~CODE]")
            continue
        out.agents.append(AgentEntry(n, tuple(forms), tuple(plurals), code, prefix))
    out.warnings = reader.warnings
    return out


def _expand(text: str, macros: dict[str, list[str]]) -> list[str]:
    """Expand ``!NAME!`` macros (each use yields one phrase per value), then normalise."""
    phrases = [text]
    while any(_MACRO_USE.search(p) for p in phrases):
        nxt = []
        for p in phrases:
            m = _MACRO_USE.search(p)
            if m is None:
                nxt.append(p)
                continue
            for value in macros[m.group(1)]:
                nxt.append(p[: m.start()] + value + p[m.end() :])
        phrases = nxt
    out = []
    for p in phrases:
        ph = _phrase(p)
        if ph and ph not in out:
            out.append(ph)
    return out


def detect_kind(path: Path) -> str:
    """'agents' when the file has ``[~CODE]`` codes or macros, else 'actors'."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise _fail(path, None, f"cannot read the file: {exc}", "check the path") from None
    if re.search(r"\[\s*~|~\s*\]", text) or re.search(r"^!\w+!\s*=", text, re.M):
        return "agents"
    return "actors"


# --- CAMEO actor codes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO actor code split into its root and role chunks.

    ``root`` is the country (three letters) or the identifying part of an international
    body (prefix + three letters, IGOUNO); None for the null code "---". ``roles`` are the
    following three-letter chunks; ``sector`` the project sector they denote (None if no
    chunk is a known role).
    """

    code: str
    root: str | None
    roles: tuple[str, ...]
    sector: str | None

    @property
    def is_org(self) -> bool:
        return self.root is not None and self.root[:3] in ORG_PREFIXES


def sector_of(chunks: Sequence[str]) -> str | None:
    for c in chunks:
        if c in _PRIMARY:
            return CAMEO_SECTORS[c]
    for c in chunks:
        if c in CAMEO_SECTORS:
            return CAMEO_SECTORS[c]
    return None


def split_cameo(code: str) -> CameoCode:
    """Split a CAMEO actor code: "AZEGOVMIL" -> root AZE, roles (GOV, MIL), sector GOV."""
    code = code.strip().upper()
    if code.startswith("---"):
        rest = code[3:]
        root = None
    elif code[:3] in ORG_PREFIXES and len(code) >= 6 and code[3:6] not in CAMEO_SECTORS:
        root, rest = code[:6], code[6:]
    else:
        root, rest = code[:3], code[3:]
    chunks = tuple(rest[i : i + 3] for i in range(0, len(rest), 3))
    sector = sector_of(chunks)
    if root is not None and root[:3] in ORG_PREFIXES and not (set(chunks) & _PRIMARY):
        sector = CAMEO_SECTORS.get(root[:3])
    return CameoCode(code, root, chunks, sector)


def agent_sector(code: str) -> str | None:
    """Sector of an agent code ("GOVFRM" -> GOV, "MOSREB" -> REB, "COP" -> GOV)."""
    code = code.strip("~").upper()
    return sector_of([code[i : i + 3] for i in range(0, len(code), 3)])
