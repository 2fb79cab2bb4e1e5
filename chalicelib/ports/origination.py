"""What origination needs from outside: stores for uploads and contracts, images, OCR, faces, the identity
register, account checks, the bureau and the tax authority."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.application import Contract, LoanApplication
from ..domain.contract import Agreement
from ..domain.face import DetectedFace, LivenessResult
from ..domain.money import Money
from ..domain.ocr import OcrResult
from ..domain.signature import SignatureRecord, VerificationReport


@dataclass(frozen=True)
class StoredObject:
    """An object that landed in a bucket, as its notification told (the handler reads the notification)."""

    key: str
    size: int
    etag: str
    version_id: str
    stored_at: datetime

class IdentityRegister(abc.ABC):
    """Who holds which identity, and where phones, devices and ID numbers were seen (domain/fraud.py)."""

    @abc.abstractmethod
    def bind_identity(self, id_number_hash: str, customer_id: str) -> str:
        """Binds the ID number to this customer unless it is bound already; returns the customer it belongs to
        (one conditional write: two accounts racing with one card cannot both win)."""
    @abc.abstractmethod
    def record_sighting(self, kind: str, value_hash: str, application_id: str, at: datetime) -> None:
        """Idempotent per application."""
    @abc.abstractmethod
    def applications_seen(self, kind: str, value_hash: str, since: datetime) -> int: ...
    @abc.abstractmethod
    def account_verified(self, customer_id: str, account_hash: str) -> bool: ...
    @abc.abstractmethod
    def record_account_verified(self, customer_id: str, account_hash: str, reference: str, at: datetime) -> None: ...
    @abc.abstractmethod
    def staff_identity(self, officer_id: str) -> str | None:
        """The keyed hash of an officer's ID number, from the bank's staff register (None if not registered)."""
    @abc.abstractmethod
    def register_staff(self, officer_id: str, id_number_hash: str) -> None: ...
    @abc.abstractmethod
    def holder_of(self, id_number_hash: str) -> str | None:
        """The customer bound to an ID number (its keyed hash), if any."""
    @abc.abstractmethod
    def bind_business(self, registration_hash: str, customer_id: str) -> None:
        """Records that the customer borrows for this business (keyed hash of its registration number)."""
    @abc.abstractmethod
    def business_holders(self, registration_hash: str) -> list[str]: ...

@dataclass(frozen=True)
class AccountCheck:
    outcome: str  # MATCH, or the element that did not match: HOLDER_MISMATCH, PHONE_MISMATCH, ACCOUNT_INVALID
    reference: str  # the check's reference at the verification service

class AccountVerifier(abc.ABC):
    """银行卡四要素: does this card number belong to this name and ID number, with this phone reserved at its bank?
    Raises AccountVerificationUnavailableError when the service does not answer (or is not connected)."""

    @abc.abstractmethod
    def verify(self, name: str, id_number: str, account_no: str, phone: str) -> AccountCheck: ...

class DocumentStore(abc.ABC):
    @abc.abstractmethod
    def get_upload(self, key: str, max_bytes: int, version_id: str = "") -> bytes:
        """The uploaded object (that version, when given); ValueError when larger than max_bytes,
        FileNotFoundError when it is gone."""
    @abc.abstractmethod
    def presigned_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]: ...
    @abc.abstractmethod
    def put_liveness_reference(self, key: str, image: bytes) -> str:
        """Keeps the live face's reference image beside the uploads (same encryption and 30-day expiry); returns
        its S3 version id, which identity verification reads back."""
    @abc.abstractmethod
    def put_contract(self, key: str, body: bytes, retain_until: datetime) -> str:
        """Write-once (Object Lock). Returns the S3 version id."""
    @abc.abstractmethod
    def presigned_contract_download(self, key: str, expires_in: int, version_id: str | None = None) -> str:
        """A download link to exactly that version when given (the signed contract on record), else the latest."""
    @abc.abstractmethod
    def get_contract(self, key: str, version_id: str | None = None) -> bytes:
        """A stored contract (a given version when known). FileNotFoundError when it is not there."""
    @abc.abstractmethod
    def put_review_copy(self, key: str, image: bytes) -> None:
        """A watermarked copy of a card image for an officer, beside the uploads; expires within a day."""
    @abc.abstractmethod
    def presigned_review_copy(self, key: str, expires_in: int) -> str:
        """A short-lived link to a review copy that tells the browser not to keep it (no-store)."""

class ImageProbe(abc.ABC):
    """What an uploaded picture is before anyone decodes it: a picture of 14,000 x 14,000 pixels is 51 KB as a PNG
    and 588 MB once decoded, so its size is read from its header and judged first."""

    @abc.abstractmethod
    def pixels(self, image: bytes) -> int | None:
        """Width x height from the header alone (nothing decoded); None when the bytes are no picture it knows."""
    @abc.abstractmethod
    def decodes(self, image: bytes) -> bool:
        """The whole picture decodes (a truncated or corrupt file does not)."""

class ImageStamp(abc.ABC):
    """Burns a watermark into an image, so that a copy that leaves the console still says where it came from."""

    @abc.abstractmethod
    def stamp(self, image: bytes, lines: tuple[str, ...]) -> bytes:
        """A JPEG of the image with the lines across it; ValueError when the bytes are not an image."""

class ContractSealer(abc.ABC):
    """Has a reviewed contract signed and sealed where the bank's seal key may be used: a function of its own, so
    that the API (which faces the internet) can never sign with the seal."""

    @abc.abstractmethod
    def seal(self, app: LoanApplication, now: datetime) -> Contract:
        """The signed contract's record; the domain error of the signing, if it failed, raised as such."""

class ContractSigning(abc.ABC):
    """Renders, signs and verifies contracts. Its heavy libraries load on first use, not at a cold start."""

    @abc.abstractmethod
    def render(self, agreement: Agreement) -> bytes: ...
    @abc.abstractmethod
    def sign(self, unsigned: bytes, borrower_name: str, borrower_id_masked: str,
             now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        """The borrower's signature (a one-time event certificate), then the bank's seal; PAdES B-LTA."""
    @abc.abstractmethod
    def verify(self, pdf: bytes) -> VerificationReport: ...
    @abc.abstractmethod
    def renew_archive(self, signed: bytes, now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        """A new archive timestamp over a signed contract (PAdES-LTA renewal), as a new revision; validated, with
        the signatures and timestamps it now holds."""

class CreditBureau(abc.ABC):
    """征信. Raises CreditDataUnavailableError when the bureau does not answer (the workflow retries)."""

    @abc.abstractmethod
    def report(self, id_number: str) -> dict[str, Any] | None:
        """The applicant's repayment history (the model's raw fields), or None when the bureau has no record.
        The bureau is queried by the ID number itself: the caller decrypts it for this call only."""

class TaxAuthority(abc.ABC):
    """税务. Raises CreditDataUnavailableError when the source does not answer."""

    @abc.abstractmethod
    def monthly_figures(self, registration_no: str, declared_annual_revenue: Money) -> list[dict[str, Any]]:
        """Last 12 months: {"month": "YYYY-MM", "invoiced_sales_fen": int, "tax_paid_fen": int}."""

class ReportStore(abc.ABC):
    @abc.abstractmethod
    def put_report(self, application_id: str, kind: str, report: dict[str, Any]) -> str: ...
    @abc.abstractmethod
    def get_report(self, application_id: str, kind: str) -> dict[str, Any] | None: ...

class OcrEngine(abc.ABC):
    @abc.abstractmethod
    def read(self, document: bytes) -> OcrResult:
        """Raises ValueError when the bytes are not a readable image."""

class FaceService(abc.ABC):
    @abc.abstractmethod
    def detect(self, image: bytes) -> list[DetectedFace]: ...
    @abc.abstractmethod
    def similarity(self, source_face: bytes, target_image: bytes) -> float | None:
        """The best CompareFaces similarity of the source's face in the target image (None: no match at all)."""
    @abc.abstractmethod
    def start_liveness(self, request_token: str) -> str: ...
    @abc.abstractmethod
    def liveness_result(self, session_id: str) -> LivenessResult:
        """Status, confidence (0-100) and the reference image of the live face, of a finished session."""
