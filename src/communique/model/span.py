"""Character spans into an article's text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextSpan:
    """``text == article.text[start:end]`` always holds for spans produced by the pipeline."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> TextSpan:
        return cls(start, end, text[start:end])

    def contains(self, other: TextSpan) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: TextSpan) -> bool:
        return self.start < other.end and other.start < self.end
