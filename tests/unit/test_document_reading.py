"""The document pipeline when a read goes wrong, over in-memory fakes: a picture too large to decode, an engine
that fails, the queue delivering the same notification again. Each test is the failure it guards against."""

from __future__ import annotations

import io
import logging
import struct
import zlib
from datetime import UTC, datetime

import pytest

from chalicelib.domain.ocr import OcrResult
from chalicelib.ports import OcrEngine, StoredObject
from chalicelib.services.deps import Dependencies
from chalicelib.services.origination import documents
from tests.unit.test_services import new_application


def png(width: int, height: int) -> bytes:
    """A real PNG of one bit per pixel, compressed row by row (never held decoded here): 14,000 x 14,000 pixels
    are ~25 KB on the wire and 588 MB once an engine decodes them to colour."""
    compressor, row = zlib.compressobj(9), b"\x00" + b"\x00" * ((width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def small_photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


class CountingOcr(OcrEngine):
    """Fails the first ``failures`` reads (as an engine does when it runs out of memory), then reads nothing."""

    def __init__(self, failures: int = 0) -> None:
        self.reads, self.failures = 0, failures

    def read(self, document: bytes) -> OcrResult:
        self.reads += 1
        if self.reads <= self.failures:
            raise MemoryError("the engine ran out of memory")
        return OcrResult("counting", 1, ())


def uploaded(deps: Dependencies, doc_type: str, data: bytes) -> StoredObject:
    app_id = new_application(deps)
    key = f"applications/{app_id}/{doc_type}/{'c' * 32}"
    deps.documents.uploads[key] = data  # type: ignore[attr-defined]
    return StoredObject(key, len(data), "etag-1", "v1", datetime(2026, 11, 29, 1, tzinfo=UTC))


def document(deps: Dependencies, created: StoredObject) -> documents.DocumentRecord:
    app_id = created.key.split("/")[1]
    return next(d for d in deps.repo.documents_of(app_id) if d.s3_key == created.key)


@pytest.mark.parametrize("doc_type", ["ID_CARD_FRONT", "SELFIE"])
def test_a_picture_beyond_the_pixel_budget_is_refused_before_it_is_decoded(
        memory_deps: Dependencies, doc_type: str) -> None:
    engine = CountingOcr()
    memory_deps.ocr_engines["rapidocr"] = engine
    bomb = png(14_000, 14_000)
    assert len(bomb) < 60_000  # small on the wire, 196 million pixels
    created = uploaded(memory_deps, doc_type, bomb)
    assert documents.on_object_created(memory_deps, created)
    doc = document(memory_deps, created)
    assert (doc.status, doc.reason_codes) == ("RETAKE_REQUIRED", ("IMAGE_TOO_MANY_PIXELS",))
    assert engine.reads == 0  # never handed to the engine


def test_the_budget_is_a_setting_and_a_picture_within_it_goes_on(memory_deps: Dependencies) -> None:
    from dataclasses import replace

    engine = CountingOcr()
    memory_deps.ocr_engines["rapidocr"] = engine
    memory_deps.settings = memory_deps.settings.model_copy(update={"max_image_pixels": 64 * 40})
    created = uploaded(memory_deps, "ID_CARD_FRONT", small_photo())
    documents.on_object_created(memory_deps, created)
    assert engine.reads == 1 and document(memory_deps, created).reason_codes == ("OCR_UNREADABLE",)
    tighter = replace(memory_deps, settings=memory_deps.settings.model_copy(update={"max_image_pixels": 64 * 40 - 1}))
    created = uploaded(tighter, "ID_CARD_FRONT", small_photo())
    documents.on_object_created(tighter, created)
    assert document(tighter, created).reason_codes == ("IMAGE_TOO_MANY_PIXELS",)


def test_a_failed_read_is_logged_by_its_class_and_the_next_delivery_reads_it_again(
        memory_deps: Dependencies, caplog: pytest.LogCaptureFixture) -> None:
    engine = CountingOcr(failures=1)
    memory_deps.ocr_engines["rapidocr"] = engine
    created = uploaded(memory_deps, "ID_CARD_FRONT", small_photo())
    with caplog.at_level(logging.WARNING, logger="lending"), pytest.raises(MemoryError):
        documents.on_object_created(memory_deps, created, delivery=1)
    failure = next(r for r in caplog.records if r.getMessage() == "document read failed")
    assert failure.error == "MemoryError" and failure.doc_type == "ID_CARD_FRONT"  # type: ignore[attr-defined]
    assert "ran out of memory" not in caplog.text  # the class, never the text (it may carry what was sent)
    assert document(memory_deps, created).status == "RECEIVED"
    assert documents.on_object_created(memory_deps, created, delivery=2)  # the retry is not taken for a duplicate
    assert engine.reads == 2 and document(memory_deps, created).status == "RETAKE_REQUIRED"  # read this time


def test_a_read_that_fails_on_the_last_delivery_asks_for_a_new_photo_instead_of_waiting_for_ever(
        memory_deps: Dependencies) -> None:
    memory_deps.ocr_engines["rapidocr"] = CountingOcr(failures=99)
    created = uploaded(memory_deps, "ID_CARD_FRONT", small_photo())
    for delivery in range(1, memory_deps.settings.document_read_attempts):
        with pytest.raises(MemoryError):
            documents.on_object_created(memory_deps, created, delivery=delivery)
    assert documents.on_object_created(memory_deps, created, delivery=memory_deps.settings.document_read_attempts)
    doc = document(memory_deps, created)
    assert (doc.status, doc.reason_codes) == ("RETAKE_REQUIRED", ("DOCUMENT_NOT_READ",))


def test_a_notification_of_a_finished_read_seen_again_is_a_duplicate(memory_deps: Dependencies) -> None:
    engine = CountingOcr()
    memory_deps.ocr_engines["rapidocr"] = engine
    created = uploaded(memory_deps, "ID_CARD_FRONT", small_photo())
    assert documents.on_object_created(memory_deps, created)
    assert not documents.on_object_created(memory_deps, created, delivery=2)
    assert engine.reads == 1
