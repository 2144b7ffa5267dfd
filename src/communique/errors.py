"""Typed, coded errors. Every error says what went wrong, where, and how to fix it.

Codes are stable strings (``C1xx`` input, ``C2xx`` knowledge/language data, ``C3xx``
store, ``C4xx`` settings and models, ``C5xx`` evaluation, ``C6xx`` queries). Never raise a
bare exception across a public boundary: wrap it in one of these.
"""

from __future__ import annotations

from typing import Any


class CommuniqueError(Exception):
    """Base class. ``code`` is stable, ``where`` names the file/record, ``hint`` the fix."""

    code = "C000"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its parts when it crosses a process boundary (worker pools), so the
        # message is not rendered twice
        return (_rebuild, (type(self), self.message, self.where, self.hint))

    def render(self) -> str:
        parts = [f"[{self.code}]"]
        if self.where:
            parts.append(f"{self.where}:")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f" (fix: {self.hint})"
        return text


class InputError(CommuniqueError):
    """A dispatch or input file cannot be read (empty, binary, undecodable, malformed)."""

    code = "C100"


class EmptyInputError(InputError):
    code = "C101"


class BinaryInputError(InputError):
    code = "C102"


class EncodingError(InputError):
    code = "C103"


class OversizedInputError(InputError):
    code = "C104"


class RecordError(InputError):
    """A JSONL record is malformed (bad JSON, wrong types, missing fields)."""

    code = "C105"


class UnsupportedFormatError(InputError):
    code = "C106"


class UnknownLanguageError(InputError):
    code = "C107"


# Warnings about inputs that were read (rendered into Article.warnings with ``render()``,
# printed as "warning WHERE: [C1xx] ... (fix: ...)"), and one refusal (C109).


class RepairedEncodingWarning(InputError):
    """Read, but not as one clean encoding: cp1252 lines inside a UTF-8 file, or invalid
    UTF-8 bytes replaced by U+FFFD. A warning, never raised."""

    code = "C108"


class FutureDateError(InputError):
    """A publication date after today: a warning, or a refusal when
    ``Settings.future_published`` is "refuse"."""

    code = "C109"


class ImpossibleDateWarning(InputError):
    """A dateline date that no calendar has (31 février, 2024-13-45, year 0); it is not used
    as the publication date. A warning, never raised."""

    code = "C110"


class MarkupLimitWarning(InputError):
    """HTML nested deeper than ``Settings.max_html_depth``: the deeper elements were counted,
    not nested. A warning, never raised."""

    code = "C111"


class UnsafeUrlWarning(InputError):
    """A url with a scheme other than http(s) (javascript:, data:...): dropped. A warning,
    never raised."""

    code = "C112"


class DataFileError(CommuniqueError):
    """A knowledge or language-pack data file is invalid."""

    code = "C200"


class StoreError(CommuniqueError):
    code = "C300"


class StoreConnectionError(StoreError):
    """A store's database server cannot be used: unreachable, credentials refused, no
    such database. Messages name the URL with its password masked."""

    code = "C302"


class SettingsError(CommuniqueError):
    code = "C400"


class ModelNotInstalledError(SettingsError):
    code = "C401"


class GoldFileError(CommuniqueError):
    """An evaluation gold or docs file is invalid."""

    code = "C500"


def _rebuild(
    cls: type[CommuniqueError], message: str, where: str | None, hint: str | None
) -> CommuniqueError:
    err = cls.__new__(cls)
    CommuniqueError.__init__(err, message, where=where, hint=hint)
    return err
