"""Text normalisation. Its output is ``Article.text``: every offset in the project indexes it.

Decisions:
* line breaks: ``\\r\\n`` and ``\\r`` become ``\\n``; so do the other characters that
  ``str.splitlines`` treats as line breaks (vertical tab, form feed, NEL, U+2028/U+2029),
  so that "one line" means the same thing everywhere;
* the other C0/C1 control characters (NUL included) are dropped, tab is kept; so are lone
  surrogates (a JSON "\\ud800" escape), which no encoder would accept downstream;
* invisible format characters that carry no text (zero-width space, word joiner, stray
  byte-order marks, soft hyphens) are dropped, so "coopé\\u00adration" matches "coopération";
  joiners that some scripts need (U+200C, U+200D) are kept;
* every Unicode space separator (no-break space, narrow no-break space before French
  ":;?!" and inside guillemets, thin and figure spaces...) becomes an ordinary space: one
  character for one, so rules and patterns only ever see " ";
* trailing spaces and tabs are stripped from every line, leading blank lines and trailing
  whitespace from the whole text;
* NFC, last, so that the result is composed whatever came before;
* everything else (curly quotes and apostrophes, dashes, guillemets, missing spaces such as
  "saluées.Le") is kept as written.

``normalize_text`` is idempotent: normalising its output changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff\ud800-\udfff]"
)
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def normalize_text(text: str) -> str:
    """Return the normalised form of ``text`` (see the module docstring)."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _DROPPED.sub("", text)
    text = _SPACES.sub(" ", text)
    # Line by line, not with a regex: "[ \t]+$" takes quadratic time on long blank runs.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    text = text.lstrip("\n").rstrip()
    return unicodedata.normalize("NFC", text)
