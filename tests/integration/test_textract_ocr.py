"""The Textract adapter over every real response in ../shared/fixtures/textract/, answered through botocore's
Stubber (which validates each response against the service model)."""

import json
import os
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from chalicelib.adapters.textract_ocr import TextractOcr, parse_response

# ../shared beside the repository (where CI lays it); LENDING_SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("LENDING_SHARED_DIR", Path(__file__).resolve().parents[2].parent / "shared"))
FIXTURES = SHARED / "fixtures" / "textract"
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no shared fixtures at {FIXTURES}")


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def without_nulls(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@pytest.fixture
def textract():  # type: ignore[no-untyped-def]
    client = boto3.client("textract", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_every_fixture_is_covered_by_a_test() -> None:
    covered = {"detect_document_text.json", "detect_document_text_bank_statement.json",
               "analyze_document_forms_tables.json", "analyze_document_paystub_forms_tables_layout_signatures.json",
               "analyze_id_us_driver_licence.json", "analyze_id_unknown_document.json"}
    assert {p.name for p in FIXTURES.glob("*.json")} == covered


def test_detect_document_text_lines(textract) -> None:  # type: ignore[no-untyped-def]
    client, stubber = textract
    stubber.add_response("detect_document_text", fixture("detect_document_text.json"),
                         {"Document": {"Bytes": b"img"}})
    result = TextractOcr(client).read(b"img")
    assert result.engine == "textract" and result.pages == 1
    assert len(result.lines) == sum(1 for b in fixture("detect_document_text.json")["Blocks"]
                                    if b["BlockType"] == "LINE")
    assert all(0 < line.confidence <= 1 and 0 <= line.box.left < line.box.right <= 1 for line in result.lines)
    assert result.text.splitlines()[0] == result.reading_order()[0].text


def test_bank_statement_text_detection(textract) -> None:  # type: ignore[no-untyped-def]
    client, stubber = textract
    raw = fixture("detect_document_text_bank_statement.json")
    # This file was saved from an SDK object: absent members are written as null, which the service never sends.
    with pytest.raises(Exception, match="Parameter validation failed"):
        stubber.add_response("detect_document_text", raw, {"Document": ANY})
    stubber.add_response("detect_document_text", {k: v for k, v in without_nulls(raw).items()
                                                  if k in ("Blocks", "DocumentMetadata",
                                                           "DetectDocumentTextModelVersion")},
                         {"Document": ANY})
    result = TextractOcr(client).read(b"statement")
    assert result.lines[0].text == "Bank of Something"
    assert any("Balance" in line.text for line in result.lines)


def test_an_analyzed_document_gives_its_forms_and_tables() -> None:
    result = parse_response(fixture("analyze_document_forms_tables.json"))
    assert result.key_values and result.tables
    assert all(len(row) == len(result.tables[0][0]) for row in result.tables[0])
    assert any(kv.value in ("[X]", "[ ]") or kv.value.endswith(("[X]", "[ ]")) for kv in result.key_values)


def test_an_analyzed_pay_slip_gives_its_lines_forms_and_tables() -> None:
    result = parse_response(fixture("analyze_document_paystub_forms_tables_layout_signatures.json"))
    assert len(result.lines) > 50 and result.key_values and result.tables
    keys = " ".join(kv.key.lower() for kv in result.key_values)
    assert "pay" in keys
    assert result.answers == {}  # the saved response was taken without queries: no answer is made up


def with_net_pay_answered(response: dict) -> dict:
    """The pay slip as AnalyzeDocument returns it when QUERIES are asked: a QUERY block on the page, related by
    ANSWER to a QUERY_RESULT block (two blocks added to the saved response; the rest is Textract's own)."""
    net_pay = next(b for b in response["Blocks"] if b["BlockType"] == "LINE" and b["Text"] == "Net Pay")
    query = {"BlockType": "QUERY", "Id": "q-net-pay", "Query": {"Text": "What is the net pay?"},
             "Relationships": [{"Type": "ANSWER", "Ids": ["a-net-pay"]}]}
    answer = {"BlockType": "QUERY_RESULT", "Id": "a-net-pay", "Text": "$291.90", "Confidence": 97.0,
              "Geometry": net_pay["Geometry"]}
    page = response["Blocks"][0]
    page = {**page, "Relationships": [*page["Relationships"], {"Type": "CHILD", "Ids": ["q-net-pay"]}]}
    return {**response, "Blocks": [page, *response["Blocks"][1:], query, answer]}


def test_query_answers_are_read_from_the_answer_blocks() -> None:
    slip = fixture("analyze_document_paystub_forms_tables_layout_signatures.json")
    result = parse_response(with_net_pay_answered(slip))
    assert result.answers == {"What is the net pay?": "$291.90"}
    assert len(result.lines) == 142  # the answer is not mistaken for a line of the document


def test_every_line_key_and_table_cell_of_each_saved_response(textract) -> None:  # type: ignore[no-untyped-def]
    """What the parser gives, counted against the blocks of each saved response: every LINE, every KEY that has
    words, every CELL of every TABLE in its row and column."""
    from chalicelib.adapters.textract_ocr import parse_response

    for path in sorted(FIXTURES.glob("*.json")):
        response = without_nulls(json.loads(path.read_text(encoding="utf-8")))
        if "Blocks" not in response:
            continue  # AnalyzeID answers fields, not blocks
        blocks = {b["Id"]: b for b in response["Blocks"]}
        result = parse_response(response)
        assert [line.text for line in result.lines] == [b["Text"] for b in response["Blocks"]
                                                        if b["BlockType"] == "LINE"], path.name
        keys_with_words = [b for b in response["Blocks"] if b["BlockType"] == "KEY_VALUE_SET"
                           and "KEY" in b["EntityTypes"]
                           and any(blocks[i]["BlockType"] == "WORD" for r in b.get("Relationships", [])
                                   if r["Type"] == "CHILD" for i in r["Ids"])]
        assert len(result.key_values) == len(keys_with_words), path.name
        tables = [b for b in response["Blocks"] if b["BlockType"] == "TABLE"]
        assert len(result.tables) == len(tables), path.name
        for table, grid in zip(tables, result.tables, strict=True):
            cells = [blocks[i] for r in table["Relationships"] if r["Type"] == "CHILD" for i in r["Ids"]]
            for cell in cells:
                words = [blocks[i]["Text"] for r in cell.get("Relationships", []) if r["Type"] == "CHILD"
                         for i in r["Ids"] if blocks[i]["BlockType"] == "WORD"]
                assert all(w in grid[cell["RowIndex"] - 1][cell["ColumnIndex"] - 1] for w in words), path.name


def test_analyze_id_reads_us_documents_and_answers_unknown_otherwise(textract) -> None:  # type: ignore[no-untyped-def]
    client, stubber = textract
    stubber.add_response("analyze_id", fixture("analyze_id_us_driver_licence.json"),
                         {"DocumentPages": [{"Bytes": b"us"}]})
    stubber.add_response("analyze_id", fixture("analyze_id_unknown_document.json"),
                         {"DocumentPages": [{"Bytes": b"cn"}]})
    us = TextractOcr(client).analyze_id(b"us")
    assert us["ID_TYPE"][0] == "DRIVER LICENSE FRONT" and us["FIRST_NAME"][0]
    unknown = TextractOcr(client).analyze_id(b"cn")
    assert unknown["ID_TYPE"][0] == "UNKNOWN"  # why Chinese ID cards go to the local Chinese OCR engine
