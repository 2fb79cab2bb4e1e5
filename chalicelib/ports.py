"""Ports: what the services need from the outside world. Adapters in ``chalicelib/adapters`` implement them with
a named technology (DynamoDB, S3, Step Functions...); tests pass in-memory fakes that subclass the same ports."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .domain.application import ApplicationStatus, LoanApplication
from .domain.contract import Agreement
from .domain.credit_line import CreditLine
from .domain.drawdown import Drawdown
from .domain.events import DomainEvent
from .domain.face import DetectedFace
from .domain.ledger import LedgerTransaction
from .domain.loan import Instalment, Loan
from .domain.money import Money
from .domain.ocr import OcrResult
from .domain.signature import SignatureRecord, VerificationReport


@dataclass(frozen=True)
class DocumentRecord:
    application_id: str
    doc_type: str
    s3_key: str
    size: int
    etag: str
    received_at: datetime
    status: str = "RECEIVED"  # RECEIVED -> READ | RETAKE_REQUIRED
    reason_codes: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)  # what was read; the ID number only encrypted + hashed


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    customer_id: str
    channel: str
    destination_masked: str
    template: str
    text: str
    sent_at: datetime


class LendingRepository(abc.ABC):
    """Every write is conditional (optimistic concurrency on ``version``) and appends its domain events to the
    audit trail in the same transaction."""

    # applications
    @abc.abstractmethod
    def add_application(self, app: LoanApplication) -> None: ...
    @abc.abstractmethod
    def get_application(self, application_id: str) -> LoanApplication: ...
    @abc.abstractmethod
    def save_application(self, app: LoanApplication) -> None: ...
    @abc.abstractmethod
    def applications_of_customer(self, customer_id: str) -> list[LoanApplication]: ...
    @abc.abstractmethod
    def applications_with_status(self, status: ApplicationStatus, limit: int = 100) -> list[LoanApplication]: ...
    @abc.abstractmethod
    def audit_trail(self, aggregate_id: str) -> list[dict[str, Any]]: ...

    # documents
    @abc.abstractmethod
    def record_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        """Returns False when this exact upload (same key and etag) was already recorded."""
    @abc.abstractmethod
    def documents_of(self, application_id: str) -> list[DocumentRecord]: ...
    @abc.abstractmethod
    def update_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        """Stores the outcome of processing, only if this upload is still the current one of its type."""

    # credit lines: activation together with the application, atomically
    @abc.abstractmethod
    def activate_credit_line(self, app: LoanApplication, line: CreditLine, event: DomainEvent) -> None: ...
    @abc.abstractmethod
    def get_credit_line(self, credit_line_id: str) -> CreditLine: ...

    # drawdowns
    @abc.abstractmethod
    def add_drawdown(self, drawdown: Drawdown, idempotency_key: str, event: DomainEvent) -> Drawdown:
        """Creates the drawdown and its permanent idempotency record in one transaction. When the key was used
        before, returns the drawdown it created (the caller compares request hashes)."""
    @abc.abstractmethod
    def get_drawdown(self, drawdown_id: str) -> Drawdown: ...
    @abc.abstractmethod
    def reserve_limit(self, drawdown: Drawdown, event: DomainEvent) -> None:
        """One transaction: line.available -= amount only if available >= amount and the line is ACTIVE, and the
        drawdown REQUESTED -> RESERVED. Raises CreditLimitExceededError / CreditLineNotActiveError."""
    @abc.abstractmethod
    def release_reservation(self, drawdown: Drawdown, reason: str, event: DomainEvent) -> bool:
        """One transaction: RESERVED -> FAILED and line.available += amount. False if already released."""
    @abc.abstractmethod
    def save_drawdown(self, drawdown: Drawdown, event: DomainEvent, ledger: LedgerTransaction | None = None,
                      credit_line_id: str | None = None) -> None:
        """With ``ledger``: the accounting entry is written in the same transaction (immutable, once)."""
    @abc.abstractmethod
    def book_loan(self, drawdown: Drawdown, loan: Loan, event: DomainEvent) -> bool:
        """Puts the loan (once per drawdown) and moves the drawdown DISBURSED -> BOOKED. False if already booked."""
    @abc.abstractmethod
    def get_loan(self, loan_id: str) -> Loan: ...

    # repayments: one transaction moves the loan, the line, the ledger and the permanent idempotency record
    @abc.abstractmethod
    def apply_repayment(self, loan: Loan, repayment: dict[str, Any], ledger: list[LedgerTransaction],
                        event: DomainEvent, instalments_paid: int | None = None, overdue_since: str = "",
                        line_status: str | None = None, schedule: tuple[Instalment, ...] | None = None,
                        interest_paid_to: str = "") -> bool:
        """False when this repayment (by its idempotency record) was already applied, or the loan changed."""
    @abc.abstractmethod
    def close_credit_line(self, line: CreditLine, event: DomainEvent) -> bool:
        """CLOSED, only if nothing is drawn or reserved at that moment (False otherwise)."""
    @abc.abstractmethod
    def claim_repayment(self, loan: Loan, repayment_id: str, now: datetime, stale_before: datetime) -> bool:
        """Only one repayment of a loan may be between collection and booking: True when this one holds the
        loan (again, for a retry of the same id; or taking over a claim older than ``stale_before``), and the
        loan still owes the outstanding principal the caller read (else its quote is stale)."""
    @abc.abstractmethod
    def release_repayment_claim(self, loan: Loan, repayment_id: str) -> None:
        """After a collection the core refused: nothing moved, the loan is free again."""
    @abc.abstractmethod
    def accrue_interest(self, loan: Loan, number: int, txn: LedgerTransaction | None) -> bool:
        """Accrue instalment ``number``'s interest once; False when it was accrued already."""
    @abc.abstractmethod
    def mark_overdue(self, loan: Loan, since: str, event: DomainEvent) -> None: ...
    @abc.abstractmethod
    def active_loans(self) -> list[Loan]: ...
    @abc.abstractmethod
    def get_repayment(self, customer_id: str, idempotency_key: str) -> dict[str, Any] | None: ...
    @abc.abstractmethod
    def ledger_of(self, credit_line_id: str) -> list[LedgerTransaction]: ...
    @abc.abstractmethod
    def all_ledger_transactions(self) -> list[LedgerTransaction]:
        """For reconciliation (a back-office batch job, not a request path)."""

    # the bank's internal risk list, by keyed ID hash
    @abc.abstractmethod
    def is_blacklisted(self, id_number_hash: str) -> bool: ...


class DocumentStore(abc.ABC):
    @abc.abstractmethod
    def get_upload(self, key: str, max_bytes: int) -> bytes:
        """The uploaded object; ValueError when larger than max_bytes, FileNotFoundError when it is gone."""
    @abc.abstractmethod
    def presigned_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]: ...
    @abc.abstractmethod
    def put_contract(self, key: str, body: bytes, retain_until: datetime) -> str:
        """Write-once (Object Lock). Returns the S3 version id."""
    @abc.abstractmethod
    def presigned_contract_download(self, key: str, expires_in: int) -> str: ...
    @abc.abstractmethod
    def get_contract(self, key: str, version_id: str | None = None) -> bytes:
        """A stored contract (a given version when known). FileNotFoundError when it is not there."""


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


class Workflow(abc.ABC):
    @abc.abstractmethod
    def start_origination(self, application_id: str) -> None: ...
    @abc.abstractmethod
    def start_drawdown(self, drawdown_id: str) -> None: ...
    @abc.abstractmethod
    def resume(self, task_token: str, output: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def fail(self, task_token: str, error: str, cause: str) -> None: ...


class Notifier(abc.ABC):
    @abc.abstractmethod
    def send_sms(self, customer_id: str, phone: str, template: str, text: str) -> None: ...
    @abc.abstractmethod
    def outbox(self, customer_id: str) -> list[OutboxMessage]: ...


class CoreBanking(abc.ABC):
    """The bank's core system. ``drawdown_id`` is the payment's idempotency reference on the core side."""

    @abc.abstractmethod
    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        """Returns the core reference. Raises DisbursementRefusedError or DisbursementOutcomeUnknownError."""
    @abc.abstractmethod
    def outcome(self, drawdown_id: str) -> str | None:
        """The core reference of a completed payment for this drawdown, or None if none was made."""
    @abc.abstractmethod
    def statement(self) -> list[dict[str, Any]]:
        """Every payout and collection the core made: {"kind": PAYOUT|COLLECTION, "id", "amount_fen"}."""
    @abc.abstractmethod
    def collect(self, repayment_id: str, account_no: str, amount: Money) -> str:
        """Debits the customer's account once per repayment id; a repeat returns the first reference.
        Raises DisbursementRefusedError-like RepaymentRefusedError when the account cannot pay."""


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


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...


class Secrets(abc.ABC):
    @abc.abstractmethod
    def otp_key(self) -> str:
        """The key that makes OTP hashes useless to anyone who reads the table."""


class OcrEngine(abc.ABC):
    @abc.abstractmethod
    def read(self, document: bytes) -> OcrResult:
        """Raises ValueError when the bytes are not a readable image."""


class FieldCipher(abc.ABC):
    """Field-level protection of the ID number: envelope encryption bound to the application (encryption
    context), and a keyed hash for duplicate and blacklist look-ups that reveals nothing without the key."""

    @abc.abstractmethod
    def encrypt(self, plaintext: str, application_id: str) -> dict[str, str]: ...
    @abc.abstractmethod
    def decrypt(self, sealed: dict[str, str], application_id: str) -> str: ...
    @abc.abstractmethod
    def keyed_hash(self, value: str) -> str: ...


class FaceService(abc.ABC):
    @abc.abstractmethod
    def detect(self, image: bytes) -> list[DetectedFace]: ...
    @abc.abstractmethod
    def similarity(self, selfie: bytes, id_card_front: bytes) -> float | None: ...
    @abc.abstractmethod
    def start_liveness(self, request_token: str) -> str: ...
    @abc.abstractmethod
    def liveness_confidence(self, session_id: str) -> tuple[str, float]:
        """(status, confidence 0-100) of a finished liveness session."""
