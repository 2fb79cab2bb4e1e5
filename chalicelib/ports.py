"""Ports: what the services need from the outside world. Adapters in ``chalicelib/adapters`` implement them with
a named technology (DynamoDB, S3, Step Functions...); tests pass in-memory fakes that subclass the same ports."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .domain.application import ApplicationStatus, ApplicationSummary, Contract, LoanApplication
from .domain.business_date import business_date
from .domain.contract import Agreement
from .domain.credit_line import CreditLine, CreditLineStatus, CreditLineSummary, check_line_move
from .domain.drawdown import Drawdown, DrawdownSummary
from .domain.early_warning import Cause, EarlyWarning, WarningStatus
from .domain.events import DomainEvent
from .domain.external_records import ExternalRecord
from .domain.face import DetectedFace, LivenessResult
from .domain.ledger import LedgerTransaction
from .domain.loan import Instalment, Loan, LoanReview, LoanStatus, RepaymentClaim
from .domain.money import Money
from .domain.ocr import OcrResult
from .domain.one_time_code import OneTimeCode
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
    s3_version: str = ""  # the S3 version that was read: every later read is of exactly these bytes


@dataclass(frozen=True)
class StoredObject:
    """An object that landed in a bucket, as its notification told (the handler reads the notification)."""

    key: str
    size: int
    etag: str
    version_id: str
    stored_at: datetime


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    customer_id: str
    channel: str
    destination_masked: str
    template: str
    text: str
    sent_at: datetime


@dataclass(frozen=True)
class SweptLine:
    """A credit line as the daily sweep reads it (no personal field: the payout account stays sealed)."""

    credit_line_id: str
    customer_id: str
    status: CreditLineStatus
    limit_fen: int
    available_fen: int  # the whole limit available: nothing drawn, reserved or owed on the line
    activated_at: datetime


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
    def application_summaries_of(self, customer_id: str, limit: int = 50,
                                 cursor: str | None = None) -> tuple[list[ApplicationSummary], str | None]:
        """A customer's applications newest first, a page at a time (cursors as for credit_lines_of below);
        one read of the store whatever the page holds."""
    @abc.abstractmethod
    def applications_with_status(self, status: ApplicationStatus, limit: int = 100) -> list[LoanApplication]: ...
    @abc.abstractmethod
    def audit_trail(self, aggregate_id: str) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    def record_staff_action(self, event: DomainEvent) -> None:
        """An officer's act that changes nothing else (a look-up, a view), in the trail of what it was about."""
    @abc.abstractmethod
    def staff_actions(self, day: date) -> list[dict[str, Any]]:
        """Every officer's act of one business day (Beijing), oldest first: the audit search's index."""
    @abc.abstractmethod
    def milestones(self, day: date) -> list[dict[str, Any]]:
        """The funnel's events of one business day (domain/funnel.py says which), oldest first."""

    # documents
    @abc.abstractmethod
    def record_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        """Records an upload as the current one of its type. False when this key was recorded before (a replayed
        presigned POST: its later bytes are never read), when a newer upload of the type is recorded, or when the
        type's document was already READ (it cannot be swapped)."""
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
    # A customer's own lists, newest first, a page at a time: ``cursor`` is the next cursor of the page before,
    # an opaque token the repository issued (a forged one is a ValidationError); it is None on the last page.
    @abc.abstractmethod
    def credit_lines_of(self, customer_id: str, limit: int = 50,
                        cursor: str | None = None) -> tuple[list[CreditLineSummary], str | None]: ...
    @abc.abstractmethod
    def drawdowns_of(self, customer_id: str, limit: int = 50,
                     cursor: str | None = None) -> tuple[list[DrawdownSummary], str | None]: ...
    @abc.abstractmethod
    def loans_of(self, customer_id: str, limit: int = 50,
                 cursor: str | None = None) -> tuple[list[Loan], str | None]: ...

    # drawdowns: the domain moves a drawdown (Drawdown.reserve, .release, .book, ...); these store the move - its
    # status and its pending events - conditioned on the status it started from (Drawdown.moved_from), together
    # with what must change with it in the same transaction. They decide nothing about the drawdown.
    @abc.abstractmethod
    def add_drawdown(self, drawdown: Drawdown, idempotency_key: str) -> Drawdown:
        """Creates the drawdown and its permanent idempotency record in one transaction. When the key was used
        before, returns the drawdown it created (the caller compares request hashes)."""
    @abc.abstractmethod
    def drawdown_for_key(self, customer_id: str, idempotency_key: str) -> Drawdown | None:
        """The drawdown a customer's Idempotency-Key created, if it was used before."""
    @abc.abstractmethod
    def get_drawdown(self, drawdown_id: str) -> Drawdown: ...
    @abc.abstractmethod
    def drawdowns_awaiting_approval(self) -> list[Drawdown]:
        """Drawdowns an ORANGE warning holds for an officer, oldest first."""
    @abc.abstractmethod
    def reserve_limit(self, drawdown: Drawdown) -> None:
        """The move to RESERVED with line.available -= amount, in one transaction, only while the line can reserve
        it (CreditLine.reservation_refusal: ACTIVE, within validity, enough available). Raises that refusal
        (CreditLimitExceededError / CreditLineNotActiveError), or ConcurrentModificationError when the drawdown
        had moved meanwhile."""
    @abc.abstractmethod
    def release_reservation(self, drawdown: Drawdown) -> bool:
        """The move to FAILED with line.available += amount, in one transaction. False if another worker had
        already released it: compensation happens exactly once."""
    @abc.abstractmethod
    def save_drawdown(self, drawdown: Drawdown, ledger: LedgerTransaction | None = None) -> None:
        """Any other move (or a recorded fact), conditioned on the version read. With ``ledger``: the accounting
        entry is written in the same transaction (immutable, once)."""
    @abc.abstractmethod
    def claim_payout(self, drawdown: Drawdown) -> None:
        """Stores that the payout starts (Drawdown.start_payout), only while the line is ACTIVE (one transaction
        with a check of the line): a freeze recorded first stops every payout not yet started. Idempotent for a
        drawdown already claimed. Raises CreditLineNotActiveError when the line is not active."""
    @abc.abstractmethod
    def book_loan(self, drawdown: Drawdown, loan: Loan) -> bool:
        """Puts the loan (once per drawdown) with the move to BOOKED. False if already booked."""
    @abc.abstractmethod
    def get_loan(self, loan_id: str) -> Loan: ...

    # repayments: one transaction moves the loan, the line, the ledger and the permanent idempotency record
    @abc.abstractmethod
    def apply_repayment(self, loan: Loan, repayment: dict[str, Any], ledger: list[LedgerTransaction],
                        event: DomainEvent, loan_status: LoanStatus, instalments_paid: int | None = None,
                        overdue_since: str = "", line_change: LineStatusChange | None = None,
                        schedule: tuple[Instalment, ...] | None = None, interest_paid_to: str = "") -> bool:
        """False when this repayment (by its idempotency record) was already applied, or the loan changed, or the
        line's status is no longer ``line_change.expected``. Without a change the line's status is not written."""
    @abc.abstractmethod
    def close_credit_line(self, line: CreditLine, event: DomainEvent) -> bool:
        """CLOSED, only if nothing is drawn or reserved at that moment (False otherwise)."""
    @abc.abstractmethod
    def claim_repayment(self, loan: Loan, claim: RepaymentClaim) -> bool:
        """Only one repayment of a loan may be between collection and booking: True when the loan held no claim
        and still owes the outstanding principal the caller read (else its quote is stale). A claim is never
        taken over here: a stale one is first settled (booked or released) by the service."""
    @abc.abstractmethod
    def release_repayment_claim(self, loan: Loan, repayment_id: str) -> None:
        """After a collection the core refused (or never made): nothing moved, the loan is free again."""
    @abc.abstractmethod
    def accrue_interest(self, loan: Loan, number: int, txn: LedgerTransaction | None) -> bool:
        """Accrue instalment ``number``'s interest once; False when it was accrued already."""
    @abc.abstractmethod
    def mark_overdue(self, loan: Loan, since: str, line: LineStatusChange) -> bool:
        """The loan late since ``since`` and its line moved as ``line`` says (``status_when_overdue``), with its
        event in both histories, in one write; only if no instalment was collected since the caller read the loan
        and the line's status is still ``line.expected`` (False: nothing is marked)."""
    @abc.abstractmethod
    def active_loans(self) -> list[Loan]: ...

    # ---- the daily sweep and the portfolio view ---------------------------------------------------------
    @abc.abstractmethod
    def lines_in_shard(self, shard: int) -> list[SweptLine]: ...
    @abc.abstractmethod
    def loans_of_line(self, customer_id: str, credit_line_id: str) -> list[Loan]: ...
    @abc.abstractmethod
    def record_review(self, loan: Loan, review: LoanReview, reasons: tuple[str, ...], at: datetime) -> bool:
        """Stores the sweep's review of the loan, only over the review read (False when another run reviewed it
        meanwhile); a change of category adds a classification history entry (when, from, to, why)."""
    @abc.abstractmethod
    def classification_history(self, loan_id: str) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    def save_shard_figures(self, day: date, shard: int, figures: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def shard_figures(self, period: date | str) -> list[dict[str, Any]]:
        """A day's shard figures, or a month's ("YYYY-MM": each shard's last sweep of that month)."""
    @abc.abstractmethod
    def ledger_on(self, day: date) -> list[LedgerTransaction]:
        """Every ledger transaction booked on a business date (Beijing)."""
    @abc.abstractmethod
    def get_repayment(self, scope: str, idempotency_key: str) -> dict[str, Any] | None:
        """A booked repayment by its idempotency scope (``customer_repayment_scope`` or the system's) and key."""
    @abc.abstractmethod
    def ledger_of(self, credit_line_id: str) -> list[LedgerTransaction]: ...
    @abc.abstractmethod
    def all_ledger_transactions(self) -> list[LedgerTransaction]:
        """For reconciliation (a back-office batch job, not a request path)."""

    # one-time codes (phone check, contract signature): separate items, so counting a guess never races a save
    @abc.abstractmethod
    def get_code(self, application_id: str, purpose: str) -> OneTimeCode | None: ...
    @abc.abstractmethod
    def put_code(self, code: OneTimeCode, replaces: OneTimeCode | None) -> bool:
        """Stores a new code, only if the stored one is still ``replaces`` (None: there is none). False when a
        parallel send won (the caller's limits were judged on a stale read)."""
    @abc.abstractmethod
    def count_code_attempt(self, application_id: str, purpose: str, max_attempts: int) -> OneTimeCode | None:
        """One atomic increment of the code's attempts, only while below ``max_attempts``; the code after it, or
        None when there is no code or it is locked."""
    @abc.abstractmethod
    def discard_code(self, application_id: str, purpose: str) -> None: ...

    # the bank's internal risk list, by keyed ID hash
    @abc.abstractmethod
    def is_blacklisted(self, id_number_hash: str) -> bool: ...
    @abc.abstractmethod
    def add_to_blacklist(self, id_number_hash: str, reason: str) -> None:
        """The bank's risk team lists a keyed ID hash (never the number)."""


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


class Workflow(abc.ABC):
    @abc.abstractmethod
    def start_origination(self, application_id: str) -> None: ...
    @abc.abstractmethod
    def start_drawdown(self, drawdown_id: str) -> None: ...
    @abc.abstractmethod
    def start_daily_sweep(self, day: date) -> None:
        """Once per business day (the execution is named by the day)."""
    @abc.abstractmethod
    def resume(self, task_token: str, output: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def fail(self, task_token: str, error: str, cause: str) -> None: ...


@dataclass(frozen=True)
class LineStatusChange:
    """A credit line's status moved in the same transaction as a warning: only from ``expected`` (a freeze does
    not reopen a closed line; an unfreeze does not undo a freeze for overdue), with its event in the line's
    history."""

    credit_line_id: str
    expected: CreditLineStatus
    new: CreditLineStatus
    event: DomainEvent
    reduction_fen: int = 0  # the limit (and the available amount) cut by this much; refused if less is available

    def __post_init__(self) -> None:
        check_line_move(self.expected, self.new)  # the domain's table: no adapter writes a move it does not allow


class WarningStore(abc.ABC):
    """Post-loan early warnings. At most one open warning per line (enforced by the store, not by readers); a
    warning is written with a version check, together with the line status it sets; the causes of a closed
    warning are settled for that line."""

    @abc.abstractmethod
    def open_warning_of_line(self, credit_line_id: str) -> EarlyWarning | None: ...
    @abc.abstractmethod
    def settled_causes(self, credit_line_id: str) -> frozenset[str]: ...
    @abc.abstractmethod
    def get_warning(self, warning_id: str) -> EarlyWarning: ...
    @abc.abstractmethod
    def save_warning(self, warning: EarlyWarning, line_change: LineStatusChange | None = None,
                     settle: tuple[str, ...] = (), audit: DomainEvent | None = None) -> None:
        """Raises ConcurrentModificationError when the warning changed since it was read, another warning is
        already open for the line, or the line is not in the expected status; nothing is written then. ``audit``
        (an officer's disposition) is written to the warning's trail in the same transaction."""
    @abc.abstractmethod
    def warnings(self, status: WarningStatus | None = None) -> list[EarlyWarning]: ...
    @abc.abstractmethod
    def monitoring_state(self, customer_id: str) -> dict[str, Any]:
        """What monitoring remembers of a customer between records: the last bureau snapshot, the rescoring
        runs (PD, grade, reasons, when); empty for a customer never monitored."""
    @abc.abstractmethod
    def save_monitoring_state(self, customer_id: str, state: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def note_subject_record(self, subject_hash: str, cause: Cause, cleared: bool) -> None:
        """Keeps what a record from outside the bank says about a person or business (by the keyed hash of the ID
        or registration number), so that an application made later finds it; a cleared record is forgotten."""
    @abc.abstractmethod
    def subject_records(self, subject_hash: str) -> list[Cause]:
        """The standing records about a person or business, oldest first."""
    @abc.abstractmethod
    def count_grade(self, month: str, population: str, grade: str) -> None:
        """One more score in a grade band this month (an atomic counter), for the model's stability (PSI)."""
    @abc.abstractmethod
    def grade_counts(self, month: str, population: str) -> dict[str, int]: ...


class ExternalRecordFeed(abc.ABC):
    """Records from outside the bank about our borrowers (court lists, the business registry, tax, bureau
    refreshes). The feed's writer delivers each record as it arrives, with the ID or registration number it is
    about; its arrival is an event (the monitoring handler evaluates the subject's lines)."""

    @abc.abstractmethod
    def deliver(self, record: ExternalRecord) -> str:
        """Stores the record and returns its key (a record delivered again is stored again: the same record id
        is the same cause, so it raises nothing twice)."""
    @abc.abstractmethod
    def read(self, key: str) -> ExternalRecord: ...


@dataclass(frozen=True)
class OfficerSession:
    username: str
    groups: tuple[str, ...]
    access_token: str
    expires_in: int  # seconds
    officer_id: str = ""  # the pool's subject: how the audit trail names the officer


class SignIn(abc.ABC):
    """The bank's user pool, for the back-office console's sign-in (the mobile app signs in by itself)."""

    @abc.abstractmethod
    def sign_in(self, username: str, password: str) -> OfficerSession:
        """Raises SignInRefusedError for a wrong username or password."""


class SessionCheck(abc.ABC):
    """Whether the user pool still stands behind an access token. A token's signature says who it was issued to and
    until when; only the pool knows that its user has since signed out everywhere or been disabled."""

    @abc.abstractmethod
    def still_valid(self, access_token: str) -> bool:
        """False when the token's user signed out (globally) or was disabled after it was issued. Raises
        SessionCheckUnavailableError when the pool does not answer (the caller refuses: it fails closed)."""


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
    @abc.abstractmethod
    def collection_outcome(self, repayment_id: str) -> str | None:
        """The core reference of a collection made under this id, or None if none was made."""


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
    """The one source of "now" and of "today" (the Beijing business date of now): every date a loan, a quote,
    a due date or a daily run uses comes from here, so tests can stand at 23:59 or 00:01 Beijing time."""

    @abc.abstractmethod
    def now(self) -> datetime: ...

    def today(self) -> date:
        return business_date(self.now())


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
    def similarity(self, source_face: bytes, target_image: bytes) -> float | None:
        """The best CompareFaces similarity of the source's face in the target image (None: no match at all)."""
    @abc.abstractmethod
    def start_liveness(self, request_token: str) -> str: ...
    @abc.abstractmethod
    def liveness_result(self, session_id: str) -> LivenessResult:
        """Status, confidence (0-100) and the reference image of the live face, of a finished session."""
