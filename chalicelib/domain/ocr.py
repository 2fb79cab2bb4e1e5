"""What any OCR engine yields, normalised: lines of text with confidence (0..1), box (left, top, right, bottom as
fractions of the page) and page number; for analysed business documents also key-value pairs, tables and
answers to queries. Parsers (ID card, business licence, bank statement) read only this shape, so an engine can
be swapped per document type by settings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: Box
    page: int = 1


@dataclass(frozen=True)
class KeyValue:
    key: str
    value: str
    confidence: float
    page: int = 1


@dataclass(frozen=True)
class OcrResult:
    engine: str
    pages: int
    lines: tuple[OcrLine, ...]
    key_values: tuple[KeyValue, ...] = ()
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()  # table -> rows -> cell texts
    answers: dict[str, str] = field(default_factory=dict)  # query text -> answer text

    @property
    def min_confidence(self) -> float:
        return min((line.confidence for line in self.lines), default=0.0)

    def reading_order(self) -> list[OcrLine]:
        """Top to bottom, then left to right; lines whose centres are within half a line height are one row."""
        ordered = sorted(self.lines, key=lambda line: (line.page, line.box.centre_y, line.box.left))
        rows: list[list[OcrLine]] = []
        for line in ordered:
            if rows and rows[-1][0].page == line.page and abs(rows[-1][0].box.centre_y - line.box.centre_y) < \
                    max(rows[-1][0].box.height, line.box.height) / 2:
                rows[-1].append(line)
            else:
                rows.append([line])
        return [line for row in rows for line in sorted(row, key=lambda x: x.box.left)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.reading_order())
