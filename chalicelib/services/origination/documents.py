"""Document uploads arrive as S3 object-created events (through SQS). The event is the only thing trusted:
the key must be one this API issued (applications/{id}/{TYPE}/{uuid}); anything else is ignored and logged.
A duplicate or out-of-order event changes nothing (see DynamoDbLendingRepository.record_document).

Each document is then processed once: its real type is sniffed from its bytes (never the declared one), its
size checked, and ID cards and licences are read by the OCR engine the settings choose for their type. The
outcome is a per-document status - READ, or RETAKE_REQUIRED with a reason the app shows the customer - never a
crash. The ID number leaves this function only encrypted (KMS envelope) and as a keyed hash."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.application import ApplicationStatus
from ...domain.errors import ConcurrentModificationError, NotFoundError
from ...domain.events import DomainEvent
from ...domain.face import FacePolicy, selfie_problems
from ...domain.idcard_parser import parse_back, parse_business_licence, parse_front
from ...domain.identity import mask_id_number, uscc_problems
from ...observability import logger, metrics
from ...ports import (
    DocumentRecord,
    DocumentStore,
    FaceService,
    FieldCipher,
    ImageProbe,
    LendingRepository,
    OcrEngine,
    StoredObject,
)
from ...settings import Settings
from .origination import UPLOAD_CONTENT_TYPES


class DocumentPorts(Protocol):
    """The ports the documents use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    documents: DocumentStore
    faces: FaceService
    images: ImageProbe
    repo: LendingRepository
    settings: Settings

    def ocr_for(self, doc_type: str) -> OcrEngine: ...


_KEY = re.compile(r"^applications/(app_[0-9a-f]{32})/([A-Z_]+)/([0-9a-f]{32})$")
_MAGIC = (("image/jpeg", b"\xff\xd8\xff"), ("image/png", b"\x89PNG\r\n\x1a\n"), ("application/pdf", b"%PDF-"))
RECEIVED, READ, RETAKE = "RECEIVED", "READ", "RETAKE_REQUIRED"


def sniff(data: bytes) -> str | None:
    return next((kind for kind, magic in _MAGIC if data.startswith(magic)), None)


def on_object_created(deps: DocumentPorts, created: StoredObject, delivery: int = 1) -> bool:
    """``delivery``: how many times the queue has handed over this notification (1 the first time). A read that
    failed is logged and raised (the queue delivers it again) until the last attempt the settings allow, which
    asks the customer for a new photo instead: a document is never left waiting for ever."""
    key = created.key
    match = _KEY.match(key)
    if not match or match.group(2) not in UPLOAD_CONTENT_TYPES:
        logger.warning("ignoring an upload with an unexpected key")
        return False
    application_id, doc_type = match.group(1), match.group(2)
    try:
        app = deps.repo.get_application(application_id)
    except NotFoundError:
        logger.warning("upload for an unknown application", extra={"application_id": application_id})
        return False
    if app.status is not ApplicationStatus.DRAFT:  # submitted, withdrawn (a consent too): processing has stopped
        logger.info("upload after submission ignored", extra={"application_id": application_id})
        return False
    doc = DocumentRecord(application_id, doc_type, key, created.size, created.etag, created.stored_at,
                         s3_version=created.version_id)
    event = DomainEvent(ev.DOCUMENT_RECEIVED, application_id, "system:uploads",
                        {"doc_type": doc_type, "size": doc.size})
    if not deps.repo.record_document(doc, event):
        current = _current(deps, doc)
        if not _unfinished(current, doc):
            _flag_if_swap_attempt(deps, doc, current)
            return False
        logger.info("reading a document again after an attempt that did not finish",
                    extra={"application_id": application_id, "doc_type": doc_type, "delivery": delivery})
    processed = process_document(deps, doc, delivery)
    logger.info("document processed", extra={"application_id": application_id, "doc_type": doc_type,
                                              "status": processed.status, "reasons": list(processed.reason_codes)})
    return True


def _current(deps: DocumentPorts, doc: DocumentRecord) -> DocumentRecord | None:
    return next((d for d in deps.repo.documents_of(doc.application_id) if d.doc_type == doc.doc_type), None)


def _unfinished(current: DocumentRecord | None, doc: DocumentRecord) -> bool:
    """This very upload (key and version) was recorded and never read: an earlier attempt failed. A duplicate is
    a notification of an upload whose reading finished, seen again - not any second delivery."""
    return current is not None and current.status == RECEIVED and current.s3_key == doc.s3_key \
        and current.s3_version == doc.s3_version


def _flag_if_swap_attempt(deps: DocumentPorts, doc: DocumentRecord, current: DocumentRecord | None) -> None:
    """A refused upload is a duplicate event, a late older upload - or new bytes sent to a key already read (a
    replayed presigned POST) or to a type already READ. The last two are recorded in the audit trail: the bytes
    that were read stay the ones used, and an officer can see that someone tried."""
    replayed = current is not None and current.s3_key == doc.s3_key and current.s3_version != doc.s3_version
    after_read = current is not None and current.s3_key != doc.s3_key and current.status == READ
    if not (replayed or after_read):
        logger.info("duplicate or stale upload event ignored",
                    extra={"application_id": doc.application_id, "doc_type": doc.doc_type})
        return
    reason = "UPLOAD_REPLAYED" if replayed else "DOCUMENT_ALREADY_READ"
    logger.warning("an upload that would replace a document was refused",
                   extra={"application_id": doc.application_id, "doc_type": doc.doc_type, "reason": reason})
    app = deps.repo.get_application(doc.application_id)
    app.record(ev.DOCUMENT_UPLOAD_REFUSED, "system:uploads", {"doc_type": doc.doc_type, "reason": reason})
    try:
        deps.repo.save_application(app)
    except ConcurrentModificationError:
        logger.info("the refusal was not audited: the application changed meanwhile")


def process_document(deps: DocumentPorts, doc: DocumentRecord, delivery: int = 1) -> DocumentRecord:
    try:
        status, reasons, fields = _examine(deps, doc)
    except Exception as err:  # whatever the cause: logged by its class, never left unread without a word
        last = delivery >= deps.settings.document_read_attempts
        logger.warning("document read failed", extra={"application_id": doc.application_id,
                                                      "doc_type": doc.doc_type, "error": type(err).__name__,
                                                      "delivery": delivery, "retake_asked": last})
        metrics.add_metric(name="DocumentReadFailed", unit="Count", value=1)
        if not last:
            raise
        status, reasons, fields = RETAKE, ["DOCUMENT_NOT_READ"], {}
    done = replace(doc, status=status, reason_codes=tuple(reasons), fields=fields)
    deps.repo.update_document(done, DomainEvent(ev.DOCUMENT_PROCESSED, doc.application_id, "system:uploads",
                                                {"doc_type": doc.doc_type, "status": status, "reasons": reasons}))
    return done


def _examine(deps: DocumentPorts, doc: DocumentRecord) -> tuple[str, list[str], dict[str, Any]]:
    try:
        data = deps.documents.get_upload(doc.s3_key, deps.settings.max_upload_bytes, doc.s3_version)
    except ValueError:
        return RETAKE, ["FILE_TOO_LARGE"], {}
    except FileNotFoundError:  # deleted (lifecycle) or never written: the customer uploads again
        return RETAKE, ["FILE_MISSING"], {}
    kind = sniff(data)
    if kind not in UPLOAD_CONTENT_TYPES[doc.doc_type]:
        return RETAKE, ["WRONG_FILE_TYPE"], {}
    if doc.doc_type == "BANK_STATEMENT" and kind == "application/pdf":
        return READ, [], {}  # a bank statement as PDF: kept as it is
    pixels = deps.images.pixels(data)  # from the header alone: nothing is decoded before the budget is checked
    if pixels is None:
        return RETAKE, ["IMAGE_UNREADABLE"], {}
    if pixels > deps.settings.max_image_pixels:
        return RETAKE, ["IMAGE_TOO_MANY_PIXELS"], {}
    if doc.doc_type == "SELFIE":
        return _selfie(deps, doc, data)
    try:
        result = deps.ocr_for(doc.doc_type).read(data)
    except ValueError:
        return RETAKE, ["IMAGE_UNREADABLE"], {}
    if doc.doc_type == "ID_CARD_FRONT":
        return _id_front(deps, doc, result)
    if doc.doc_type == "ID_CARD_BACK":
        return _id_back(deps, result)
    if doc.doc_type == "BUSINESS_LICENCE":
        licence = parse_business_licence(result)
        if not licence["uscc"]:
            return RETAKE, ["OCR_UNREADABLE"], {}
        return READ, uscc_problems(licence["uscc"]), {**licence, "confidence": _pct(result.min_confidence)}
    return READ, [], {"lines": len(result.lines), "pages": result.pages}


def _pct(confidence: float) -> int:
    return round(confidence * 100)


def _selfie(deps: DocumentPorts, doc: DocumentRecord, data: bytes) -> tuple[str, list[str], dict[str, Any]]:
    """Rekognition DetectFaces as a quality gate; only with the BIOMETRIC consent in force."""
    if not deps.repo.get_application(doc.application_id).has_consent("BIOMETRIC"):
        return RETAKE, ["BIOMETRIC_CONSENT_REQUIRED"], {}
    if not deps.images.decodes(data):
        return RETAKE, ["IMAGE_UNREADABLE"], {}
    problems = selfie_problems(deps.faces.detect(data), FacePolicy())
    return (RETAKE, problems, {}) if problems else (READ, [], {})


def _readable(deps: DocumentPorts, confidence: float, missing: list[str]) -> list[str]:
    if missing:
        return ["OCR_UNREADABLE"]
    return ["OCR_LOW_CONFIDENCE"] if confidence < deps.settings.min_ocr_confidence else []


def _id_front(deps: DocumentPorts, doc: DocumentRecord, result: Any) -> tuple[str, list[str], dict[str, Any]]:
    card = parse_front(result)
    missing = [f for f in ("name", "sex", "birth_date", "id_number") if getattr(card, f) is None]
    problems = _readable(deps, card.min_confidence, missing)
    if problems:
        return RETAKE, problems, {"unread": missing}
    assert card.id_number is not None and card.birth_date is not None
    # Kept: what identity verification, the contract and the credit step use. The birth date and the ID number
    # only sealed; the address and ethnicity are read but not stored - nothing here needs them (PIPL: minimum).
    return READ, [], {
        "name": card.name, "sex": card.sex,
        "birth_date_sealed": deps.cipher.encrypt(card.birth_date.isoformat(), doc.application_id),
        "id_number_masked": mask_id_number(card.id_number),
        "id_number_hash": deps.cipher.keyed_hash(card.id_number),
        "id_number_sealed": deps.cipher.encrypt(card.id_number, doc.application_id),
        "confidence": _pct(card.min_confidence)}


def birth_date_of(repo: LendingRepository, cipher: FieldCipher, application_id: str) -> date | None:
    """The card holder's birth date, opened from the sealed field of the ID card read at upload."""
    front = next((d for d in repo.documents_of(application_id)
                  if d.doc_type == "ID_CARD_FRONT" and d.status == READ), None)
    if front is None or "birth_date_sealed" not in front.fields:
        return None
    return date.fromisoformat(cipher.decrypt(front.fields["birth_date_sealed"], application_id))


def _id_back(deps: DocumentPorts, result: Any) -> tuple[str, list[str], dict[str, Any]]:
    card = parse_back(result)
    missing = [] if card.valid_from and (card.valid_until or card.long_term) else ["validity"]
    problems = _readable(deps, card.min_confidence, missing)
    if problems:
        return RETAKE, problems, {"unread": missing}
    assert card.valid_from is not None
    return READ, [], {"issuing_authority": card.issuing_authority, "valid_from": card.valid_from.isoformat(),
                      "valid_until": card.valid_until.isoformat() if card.valid_until else None,
                      "long_term": card.long_term, "confidence": _pct(card.min_confidence)}
