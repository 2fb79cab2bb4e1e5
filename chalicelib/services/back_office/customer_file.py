"""The back office's file on a customer (客户档案): finding the customer, their applications and lines, and the card
images as an officer may see them. Every look-up by ID number and every opening of card images is an officer's
act in the audit trail; the ID number itself is never kept, only whether it matched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ...domain import events as ev
from ...domain.application import LoanApplication
from ...domain.business_date import beijing_time
from ...domain.credit_line import CreditLine, CreditLineSummary
from ...domain.drawdown import DrawdownSummary
from ...domain.errors import NotFoundError, ValidationError
from ...domain.events import DomainEvent
from ...domain.identity import id_number_problems, normalise_id_number
from ...ports import DocumentStore, FieldCipher, IdentityRegister, ImageStamp, LendingRepository
from ...settings import Settings


class CustomerFilePorts(Protocol):
    """The ports the customer file use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    documents: DocumentStore
    identities: IdentityRegister
    repo: LendingRepository
    settings: Settings
    stamp: ImageStamp


CARD_IMAGES = ("ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE")
WATERMARK = "仅供审核"


@dataclass(frozen=True)
class CustomerFile:
    customer_id: str
    applications: list[LoanApplication]
    lines: list[CreditLineSummary]


@dataclass(frozen=True)
class CardImage:
    doc_type: str
    status: str  # the document's own status (READ, RETAKE_REQUIRED, ...), or GONE once the 30-day expiry took it
    url: str | None
    reason_codes: tuple[str, ...]


def look_up(deps: CustomerFilePorts, officer_id: str, *, id_number: str | None = None,
            application_id: str | None = None, credit_line_id: str | None = None) -> str:
    """The customer an ID number, an application or a line belongs to. NotFoundError when none."""
    if id_number is not None:
        number = normalise_id_number(id_number)
        problems, _ = id_number_problems(number)
        if problems:
            raise ValidationError("this is not a valid ID number", {"field": "id_number", "problems": problems})
        holder = deps.identities.holder_of(deps.cipher.keyed_hash(number))
        deps.repo.record_staff_action(DomainEvent(ev.CUSTOMER_LOOKED_UP, holder or "unmatched",
                                                  ev.officer_actor(officer_id), {"by": "ID_NUMBER",
                                                                                  "found": holder is not None}))
        if holder is None:
            raise NotFoundError("no customer holds this ID number")
        return holder
    try:
        if application_id is not None:
            return deps.repo.get_application(application_id).customer_id
        if credit_line_id is not None:
            return deps.repo.get_credit_line(credit_line_id).customer_id
    except NotFoundError:
        raise NotFoundError("nothing matches what was searched for") from None
    raise ValidationError("search by one of: id_number, application_id, credit_line_id")


def customer_file(deps: CustomerFilePorts, customer_id: str) -> CustomerFile:
    applications = sorted(deps.repo.applications_of_customer(customer_id), key=lambda a: a.created_at, reverse=True)
    lines, _ = deps.repo.credit_lines_of(customer_id, limit=50)
    if not applications and not lines:
        raise NotFoundError("no such customer")
    return CustomerFile(customer_id, applications, lines)


def card_images(deps: CustomerFilePorts, officer_id: str, application_id: str, now: datetime) -> list[CardImage]:
    """Watermarked copies ("仅供审核", the officer, the time) of the application's ID card and selfie, each behind
    a link that lives a minute and tells the browser not to keep the image. The originals are never linked."""
    try:
        deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None
    documents = {d.doc_type: d for d in deps.repo.documents_of(application_id) if d.doc_type in CARD_IMAGES}
    stamp = (WATERMARK, officer_id, beijing_time(now).strftime("%Y-%m-%d %H:%M"))
    shown: list[CardImage] = []
    for doc_type in CARD_IMAGES:
        doc = documents.get(doc_type)
        if doc is None:
            continue
        try:
            original = deps.documents.get_upload(doc.s3_key, deps.settings.max_upload_bytes, doc.s3_version)
            copy = deps.stamp.stamp(original, stamp)
        except FileNotFoundError:
            shown.append(CardImage(doc_type, "GONE", None, doc.reason_codes))
            continue
        except ValueError:
            shown.append(CardImage(doc_type, "UNREADABLE", None, doc.reason_codes))
            continue
        key = f"review-copies/{application_id}/{doc_type}-{now.strftime('%Y%m%dT%H%M%S')}-{officer_id}.jpg"
        deps.documents.put_review_copy(key, copy)
        shown.append(CardImage(doc_type, doc.status, deps.documents.presigned_review_copy(
            key, deps.settings.review_copy_url_seconds), doc.reason_codes))
    deps.repo.record_staff_action(DomainEvent(ev.ID_DOCUMENTS_VIEWED, application_id, ev.officer_actor(officer_id),
                                              {"documents": [c.doc_type for c in shown if c.url]}, occurred_at=now))
    return shown


def drawdowns_of_line(repo: LendingRepository, line: CreditLine, most: int = 200) -> list[DrawdownSummary]:
    """The line's drawdowns, newest first (from the customer's list: a customer has few lines)."""
    found: list[DrawdownSummary] = []
    after: str | None = None
    while len(found) < most:
        page, after = repo.drawdowns_of(line.customer_id, limit=50, cursor=after)
        found.extend(d for d in page if d.credit_line_id == line.credit_line_id)
        if after is None:
            break
    return found[:most]
