"""Files and folders -> a stream of Articles and InputProblems.

Folders are walked depth-first, entries sorted by name (code-point order), so a corpus
always reads in the same order on every machine. Hidden entries (names starting with
".") and files of other formats are skipped silently in folders; a file named explicitly
must be of a supported format. Symbolic links to folders are not followed (no cycles).
Only regular files are read: a named pipe, a device or a loop of symbolic links named
explicitly is an InputProblem, and never blocks (ingest/files.py).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType

from communique.errors import InputError, UnknownLanguageError, UnsupportedFormatError
from communique.ingest.decode import check_size
from communique.ingest.files import open_regular, unreadable
from communique.ingest.readers import (
    InputProblem,
    checked_lang_argument,
    iter_jsonl,
    read_html,
    read_text,
)
from communique.model import Article
from communique.settings import Settings

# Input formats by file suffix (compared in lower case).
FORMATS = MappingProxyType({".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"})


def input_format(path: Path) -> str | None:
    """ "text", "html", "jsonl", or None for a suffix we do not read."""
    return FORMATS.get(path.suffix.lower())


def _listing(path: str) -> Iterator[os.DirEntry[str]]:
    with os.scandir(path) as entries:
        return iter(sorted(entries, key=lambda e: e.name))


def walk(folder: Path) -> Iterator[Path | InputProblem]:
    """Files under ``folder`` in a fixed order, without recursion (deep trees are fine);
    a sub-folder that cannot be listed gives an InputProblem and the walk goes on."""
    stack: list[Iterator[os.DirEntry[str]]] = []
    to_list: str | None = str(folder)
    while to_list is not None or stack:
        if to_list is not None:
            try:
                stack.append(_listing(to_list))
            except OSError as exc:
                yield InputProblem(to_list, _unreadable(Path(to_list), exc))
            to_list = None
            continue
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry.name.startswith("."):
            continue
        elif entry.is_dir(follow_symlinks=False):
            to_list = entry.path
        else:
            try:
                is_file = entry.is_file()  # follows a link: a loop of links raises
            except OSError as exc:
                yield InputProblem(entry.path, _unreadable(Path(entry.path), exc))
                continue
            if is_file:
                yield Path(entry.path)


def _read_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of a regular file, refusing before reading when it is too large."""
    with open_regular(path, origin=str(path)) as stream:
        check_size(os.fstat(stream.fileno()).st_size, origin=str(path), settings=settings)
        data = stream.read(settings.max_input_bytes + 1)
    check_size(len(data), origin=str(path), settings=settings)  # it may have grown
    return data


def _read_one(
    path: Path, fmt: str, *, settings: Settings, published: date | None, lang: str | None
) -> Iterator[Article | InputProblem]:
    if fmt == "jsonl":
        yield from iter_jsonl(path, settings=settings, published=published, lang=lang)
        return
    reader: Callable[..., Article] = read_html if fmt == "html" else read_text
    try:
        data = _read_bytes(path, settings)
        yield reader(data, origin=str(path), settings=settings, published=published, lang=lang)
    except InputError as exc:
        yield InputProblem(exc.where or str(path), exc)
    except OSError as exc:
        yield InputProblem(str(path), _unreadable(path, exc))


def _unreadable(path: Path, exc: OSError) -> InputError:
    return unreadable(str(path), exc)


def _missing(path: Path) -> InputError:
    if path.is_symlink():
        return InputError(
            "a symbolic link to a missing file",
            where=str(path),
            hint="point the link at an existing file",
        )
    return InputError(
        "no such file or folder",
        where=str(path),
        hint="check the path (and the current directory)",
    )


def read_paths(
    paths: Sequence[str | Path],
    *,
    settings: Settings,
    published: date | None = None,
    lang: str | None = None,
) -> Iterator[Article | InputProblem]:
    """Read files (.txt, .html/.htm, .jsonl) and folders (recursively), in order.

    Streams: one file (one JSONL line) at a time. A file that cannot be read, a bad JSONL
    line, or an explicitly named file of another format gives an InputProblem and reading
    goes on. ``published`` and ``lang`` (None or "auto" to detect) apply to every input;
    an unknown ``lang`` raises UnknownLanguageError before anything is read.
    """
    lang = checked_lang_argument(lang)
    if lang is not None and lang not in settings.models:
        raise UnknownLanguageError(
            f"no spaCy model is configured for language {lang!r}",
            where="--lang",
            hint=f"models are configured for {', '.join(sorted(settings.models))}",
        )
    for given in paths:
        path = Path(given)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError:
            yield InputProblem(str(path), _missing(path))
            continue
        except OSError as exc:  # a loop of symbolic links, a path through a file...
            yield InputProblem(str(path), _unreadable(path, exc))
            continue
        if not is_dir:
            fmt = input_format(path)
            if fmt is None:
                yield InputProblem(
                    str(path),
                    UnsupportedFormatError(
                        f"unsupported file type {path.suffix or '(no suffix)'!r}",
                        where=str(path),
                        hint=f"give {', '.join(FORMATS)} files, or a folder of them",
                    ),
                )
                continue
            yield from _read_one(path, fmt, settings=settings, published=published, lang=lang)
            continue
        for file in walk(path):
            if isinstance(file, InputProblem):
                yield file
                continue
            fmt = input_format(file)
            if fmt is not None:
                yield from _read_one(file, fmt, settings=settings, published=published, lang=lang)
