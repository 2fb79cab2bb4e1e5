"""Amazon Textract behind the OCR port: DetectDocumentText for images, AnalyzeDocument with FORMS, TABLES and
QUERIES for business documents (bank statements). Textract reads Latin-script text; it cannot read a Chinese
resident ID card (AnalyzeID is US-only) and it is not offered in AWS's China regions - hence the local Chinese
engine for ID cards and licences (rapidocr_ocr.py), chosen per document type by settings.

The responses are read with AWS's own parser (amazon-textract-response-parser, module `trp`): it follows the
blocks' relationships (lines to words, keys to values, tables to cells, merged cells, pages) as Textract defines
them, so this adapter only maps its objects onto the port's shape."""

from __future__ import annotations

from typing import Any

import trp

from ..domain.ocr import Box, KeyValue, OcrLine, OcrResult
from ..ports import OcrEngine


def _box(block: Any) -> Box:
    bb = block.geometry.boundingBox
    return Box(bb.left, bb.top, bb.left + bb.width, bb.top + bb.height)


def _text(content: list[Any]) -> str:
    """Words as written, a tick box as [X] or [ ] (trp gives SELECTED / NOT_SELECTED, which a parser could take
    for a word of the document)."""
    parts = []
    for item in content:
        if isinstance(item, trp.SelectionElement):
            parts.append("[X]" if item.selectionStatus == "SELECTED" else "[ ]")
        else:
            parts.append(item.text)
    return " ".join(parts)


def _grid(table: Any) -> tuple[tuple[str, ...], ...]:
    cells = [cell for row in table.rows for cell in row.cells]
    grid = [["" for _ in range(max(c.columnIndex for c in cells))] for _ in range(max(c.rowIndex for c in cells))]
    for cell in cells:
        grid[cell.rowIndex - 1][cell.columnIndex - 1] = _text(cell.content)
    return tuple(tuple(row) for row in grid)


def _answers(response: dict[str, Any]) -> dict[str, str]:
    """QUERIES' answers: only AnalyzeDocument with queries has them; trp's newer document model reads them (it
    needs marshmallow, so it is imported only here)."""
    if not any(b.get("BlockType") == "QUERY" for b in response["Blocks"]):
        return {}
    from trp.trp2 import TDocumentSchema

    document = TDocumentSchema().load(response)
    answers: dict[str, str] = {}
    for page in document.pages:
        for question, _alias, answer in document.get_query_answers(page):
            answers[question] = " ".join(filter(None, (answers.get(question), answer)))
    return answers


def parse_response(response: dict[str, Any]) -> OcrResult:
    document = trp.Document(response)
    lines, key_values, tables = [], [], []
    for number, page in enumerate(document.pages, start=1):
        lines += [OcrLine(line.text, line.confidence / 100, _box(line), number) for line in page.lines]
        key_values += [KeyValue(field.key.text, _text(field.value.content) if field.value else "",
                                field.confidence / 100, number) for field in page.form.fields]
        tables += [_grid(table) for table in page.tables if table.rows]
    return OcrResult("textract", response["DocumentMetadata"]["Pages"], tuple(lines), tuple(key_values),
                     tuple(tables), _answers(response))


class TextractOcr(OcrEngine):
    def __init__(self, client: Any) -> None:
        self._textract = client

    def read(self, document: bytes) -> OcrResult:
        return parse_response(self._textract.detect_document_text(Document={"Bytes": document}))

    def analyze_id(self, front: bytes) -> dict[str, tuple[str, float]]:
        """AnalyzeID: US identity documents only. Kept to show (and test) that it answers UNKNOWN elsewhere."""
        response = self._textract.analyze_id(DocumentPages=[{"Bytes": front}])
        document = response["IdentityDocuments"][0]
        return {f["Type"]["Text"]: (f["ValueDetection"]["Text"], f["ValueDetection"].get("Confidence", 0.0) / 100)
                for f in document["IdentityDocumentFields"]}
