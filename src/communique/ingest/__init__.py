"""Reading input into Articles: decoding, normalisation, header structure, language.

Entry points: ``read_paths`` (files and folders), ``read_text``, ``read_html``,
``iter_jsonl`` and ``article_from_text``. Readers stream; bad inputs become
``InputProblem`` items (where + typed error) instead of stopping the run.
"""

from communique.ingest.decode import Decoded, decode_bytes
from communique.ingest.langid import detect_language, installed_languages
from communique.ingest.normalize import normalize_text
from communique.ingest.paths import read_paths
from communique.ingest.readers import (
    InputProblem,
    article_from_text,
    iter_jsonl,
    parse_published,
    read_html,
    read_text,
)
from communique.ingest.structure import (
    Header,
    HeaderVocabulary,
    load_header_vocabulary,
    parse_header,
)

__all__ = [
    "Decoded",
    "Header",
    "HeaderVocabulary",
    "InputProblem",
    "article_from_text",
    "decode_bytes",
    "detect_language",
    "installed_languages",
    "iter_jsonl",
    "load_header_vocabulary",
    "normalize_text",
    "parse_header",
    "parse_published",
    "read_html",
    "read_paths",
    "read_text",
]
