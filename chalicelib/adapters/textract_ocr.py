"""Amazon Textract behind the OCR port: DetectDocumentText for images, AnalyzeDocument with FORMS, TABLES and
QUERIES for business documents (bank statements). Textract reads Latin-script text; it cannot read a Chinese
resident ID card (AnalyzeID is US-only) and it is not offered in AWS's China regions - hence the local Chinese
engine for ID cards and licences (rapidocr_ocr.py), chosen per document type by settings."""

from __future__ import annotations

from typing import Any

from ..domain.ocr import Box, KeyValue, OcrLine, OcrResult
from ..ports import OcrEngine


def _box(block: dict[str, Any]) -> Box:
    bb = block["Geometry"]["BoundingBox"]
    return Box(bb["Left"], bb["Top"], bb["Left"] + bb["Width"], bb["Top"] + bb["Height"])


def parse_blocks(blocks: list[dict[str, Any]], pages: int) -> OcrResult:
    by_id = {b["Id"]: b for b in blocks}

    def children_text(block: dict[str, Any]) -> str:
        words = []
        for rel in block.get("Relationships") or []:
            if rel["Type"] == "CHILD":
                for child in (by_id[i] for i in rel["Ids"] if i in by_id):
                    if child["BlockType"] == "WORD":
                        words.append(child["Text"])
                    elif child["BlockType"] == "SELECTION_ELEMENT":
                        words.append("[X]" if child.get("SelectionStatus") == "SELECTED" else "[ ]")
        return " ".join(words)

    lines = tuple(OcrLine(b["Text"], b.get("Confidence", 0.0) / 100, _box(b), b.get("Page", 1))
                  for b in blocks if b["BlockType"] == "LINE")
    key_values = []
    for b in blocks:
        if b["BlockType"] == "KEY_VALUE_SET" and "KEY" in (b.get("EntityTypes") or []):
            value_ids = [i for rel in b.get("Relationships") or [] if rel["Type"] == "VALUE" for i in rel["Ids"]]
            value = " ".join(children_text(by_id[i]) for i in value_ids if i in by_id)
            key_values.append(KeyValue(children_text(b), value, b.get("Confidence", 0.0) / 100, b.get("Page", 1)))
    tables = []
    for b in blocks:
        if b["BlockType"] == "TABLE":
            cells = [by_id[i] for rel in b.get("Relationships") or [] if rel["Type"] == "CHILD"
                     for i in rel["Ids"] if i in by_id and by_id[i]["BlockType"] == "CELL"]
            if cells:
                rows = max(c["RowIndex"] for c in cells)
                cols = max(c["ColumnIndex"] for c in cells)
                grid = [["" for _ in range(cols)] for _ in range(rows)]
                for c in cells:
                    grid[c["RowIndex"] - 1][c["ColumnIndex"] - 1] = children_text(c)
                tables.append(tuple(tuple(r) for r in grid))
    answers = {}
    for b in blocks:
        if b["BlockType"] == "QUERY":
            ids = [i for rel in b.get("Relationships") or [] if rel["Type"] == "ANSWER" for i in rel["Ids"]]
            answers[b["Query"]["Text"]] = " ".join(by_id[i]["Text"] for i in ids if i in by_id)
    return OcrResult("textract", pages, lines, tuple(key_values), tuple(tables), answers)


class TextractOcr(OcrEngine):
    def __init__(self, client: Any) -> None:
        self._textract = client

    def read(self, document: bytes) -> OcrResult:
        response = self._textract.detect_document_text(Document={"Bytes": document})
        return parse_blocks(response["Blocks"], response["DocumentMetadata"]["Pages"])

    def analyze(self, document: bytes, queries: tuple[str, ...] = ()) -> OcrResult:
        kwargs: dict[str, Any] = {"Document": {"Bytes": document}, "FeatureTypes": ["FORMS", "TABLES"]}
        if queries:
            kwargs["FeatureTypes"].append("QUERIES")
            kwargs["QueriesConfig"] = {"Queries": [{"Text": q} for q in queries]}
        response = self._textract.analyze_document(**kwargs)
        return parse_blocks(response["Blocks"], response["DocumentMetadata"]["Pages"])

    def analyze_id(self, front: bytes) -> dict[str, tuple[str, float]]:
        """AnalyzeID: US identity documents only. Kept to show (and test) that it answers UNKNOWN elsewhere."""
        response = self._textract.analyze_id(DocumentPages=[{"Bytes": front}])
        document = response["IdentityDocuments"][0]
        return {f["Type"]["Text"]: (f["ValueDetection"]["Text"], f["ValueDetection"].get("Confidence", 0.0) / 100)
                for f in document["IdentityDocumentFields"]}
