"""Uploads that go wrong, on the local stack (presigned POST -> S3 -> SQS -> the document function): a picture too
large to decode is refused with a reason the customer can act on, and a read that fails is delivered again by
the queue and read - never left RECEIVED."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib import bootstrap
from chalicelib.domain.ocr import OcrResult
from chalicelib.ports import OcrEngine
from local import lambda_runtime
from local.journey import Journey, document_file
from tests.unit.test_document_reading import png


class FailsFirst(OcrEngine):
    """The real engine, after one failure (a container that ran out of memory on its first read)."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine, self.calls = engine, 0

    def read(self, document: bytes) -> OcrResult:
        self.calls += 1
        if self.calls == 1:
            raise MemoryError("first read fails")
        return self.engine.read(document)


def _documents(person: Journey, application_id: str) -> dict[str, Any]:
    return {d["type"]: d for d in person.call("GET", f"/v1/applications/{application_id}")["documents"]}


def test_a_picture_of_196_million_pixels_is_asked_again_with_a_reason(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    bob.upload_documents(app_id, types=("ID_CARD_FRONT",), files={"ID_CARD_FRONT": (png(14_000, 14_000), "image/png")})
    front = _documents(bob, app_id)["ID_CARD_FRONT"]
    assert front["status"] == "RETAKE_REQUIRED" and front["reason_codes"] == ["IMAGE_TOO_MANY_PIXELS"]
    assert "5000万像素" in front["reasons"][0]["zh"]  # words the customer can act on


def test_a_read_that_failed_is_delivered_again_and_read(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    engine = FailsFirst(bootstrap.deps().ocr_for("ID_CARD_FRONT"))
    bootstrap.override(ocr_engines={"rapidocr": engine, "textract": engine})
    before = len(lambda_runtime.invocations())
    bob.upload_documents(app_id, types=("ID_CARD_FRONT",), files={"ID_CARD_FRONT": document_file(
        "ID_CARD_FRONT", "valid_zhang")})
    assert _documents(bob, app_id)["ID_CARD_FRONT"]["status"] == "READ"
    deliveries = [e for n, e in lambda_runtime.invocations()[before:] if n.endswith("on_document_uploaded")]
    counts = [r["attributes"]["ApproximateReceiveCount"] for e in deliveries for r in e["Records"]]
    assert engine.calls == 2 and counts == ["1", "2"]  # the queue's second delivery, not a stand-in
