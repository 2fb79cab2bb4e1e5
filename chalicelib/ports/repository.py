"""The repositories, one per aggregate, and the records they store and return."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..domain.aml import AmlCase, AmlCaseStatus
from ..domain.application import ApplicationStatus, ApplicationSummary, LoanApplication
from ..domain.bureau_reporting import BureauReport
from ..domain.collections import CollectionCase
from ..domain.complaint import Complaint
from ..domain.credit_dispute import CreditDispute, DisputeStatus
from ..domain.credit_line import CreditLine, CreditLineStatus, CreditLineSummary, LineChange
from ..domain.customer_record import PreApproval
from ..domain.drawdown import Drawdown, DrawdownSummary
from ..domain.events import DomainEvent
from ..domain.human_review import HumanReview
from ..domain.ledger import LedgerTransaction
from ..domain.loan import Instalment, Loan, LoanReview, LoanStatus, RepaymentClaim
from ..domain.one_time_code import OneTimeCode
from ..domain.restructuring import LoanRestructuring, RestructuringRequest
from ..domain.write_off import LoanWriteOff, Recovery, WriteOffProposal


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
    valid_until: datetime | None = None

class ApplicationRepository(abc.ABC):
    """An application and its documents."""

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


class CreditLineRepository(abc.ABC):
    """Credit lines (activation together with the application, atomically) and a customer's own lists."""

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


class DrawdownRepository(abc.ABC):
    """Drawdowns: stores the moves the domain made, with what changes with them in one transaction."""

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


class LoanRepository(abc.ABC):
    """Loans, repayments and lateness: one transaction moves the loan, the line and the ledger."""

    # repayments: one transaction moves the loan, the line, the ledger and the permanent idempotency record
    @abc.abstractmethod
    def apply_repayment(self, loan: Loan, repayment: dict[str, Any], ledger: list[LedgerTransaction],
                        event: DomainEvent, loan_status: LoanStatus, instalments_paid: int | None = None,
                        overdue_since: str = "", line_change: LineChange | None = None,
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
    def mark_overdue(self, loan: Loan, since: str, line: LineChange) -> bool:
        """The loan late since ``since`` and its line moved as ``line`` says (``status_when_overdue``), with its
        event in both histories, in one write; only if no instalment was collected since the caller read the loan
        and the line's status is still ``line.expected`` (False: nothing is marked)."""
    @abc.abstractmethod
    def active_loans(self) -> list[Loan]: ...


class SweepRepository(abc.ABC):
    """The daily sweep, the portfolio view and the books."""

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


class OneTimeCodeRepository(abc.ABC):
    """One-time codes (phone check, contract signature)."""

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


class RiskListRepository(abc.ABC):
    """The bank's internal risk list, by keyed ID hash."""

    # the bank's internal risk list, by keyed ID hash
    @abc.abstractmethod
    def is_blacklisted(self, id_number_hash: str) -> bool: ...
    @abc.abstractmethod
    def add_to_blacklist(self, id_number_hash: str, reason: str) -> None:
        """The bank's risk team lists a keyed ID hash (never the number)."""


class PreApprovalRepository(abc.ABC):
    """The lines the pre-approval batch computed, one per customer of the bank (the latest run's)."""

    @abc.abstractmethod
    def pre_approval_of(self, customer_number: str) -> PreApproval | None:
        """The customer's pre-approval, or None (none computed, or it lapsed)."""
    @abc.abstractmethod
    def save_pre_approval(self, pre_approval: PreApproval) -> None:
        """Replaces the customer's (a later run's figures win)."""
    @abc.abstractmethod
    def withdraw_pre_approval(self, customer_number: str) -> None:
        """A run that finds her no longer eligible removes the one an earlier run left."""


class ComplaintRepository(abc.ABC):
    """Customers' complaints, each with its events in the audit trail."""

    @abc.abstractmethod
    def add_complaint(self, complaint: Complaint) -> None: ...
    @abc.abstractmethod
    def get_complaint(self, complaint_id: str) -> Complaint: ...
    @abc.abstractmethod
    def save_complaint(self, complaint: Complaint) -> None:
        """Conditioned on the version read (two officers answering at once: one wins, the other is refused)."""
    @abc.abstractmethod
    def complaints_of(self, customer_id: str) -> list[Complaint]:
        """Hers, newest first."""
    @abc.abstractmethod
    def open_complaints(self) -> list[Complaint]:
        """Every complaint not yet answered, the earliest due first."""


class HumanReviewRepository(abc.ABC):
    """Customers' requests for a person to review an automated decision (one per application)."""

    @abc.abstractmethod
    def add_human_review(self, review: HumanReview) -> bool:
        """False when one was already asked for this application (nothing is written then)."""
    @abc.abstractmethod
    def get_human_review(self, review_id: str) -> HumanReview: ...
    @abc.abstractmethod
    def save_human_review(self, review: HumanReview) -> None:
        """Conditioned on the version read."""
    @abc.abstractmethod
    def open_human_reviews(self) -> list[HumanReview]:
        """Not yet decided, the earliest due first."""


class CreditReportingRepository(abc.ABC):
    """The monthly credit-bureau reports (one per reporting date) and the disputes about what they said."""

    @abc.abstractmethod
    def claim_bureau_report(self, report: BureauReport) -> BureauReport:
        """The reporting date's report: ``report`` when this call claimed the date, else the one claimed before
        (two requests for one date at once: one generates, the other is answered with it)."""
    @abc.abstractmethod
    def save_bureau_report(self, report: BureauReport) -> None:
        """Conditioned on the version read."""
    @abc.abstractmethod
    def bureau_reports(self, limit: int = 24) -> list[BureauReport]:
        """The newest reporting dates first."""
    @abc.abstractmethod
    def add_dispute(self, dispute: CreditDispute) -> None: ...
    @abc.abstractmethod
    def get_dispute(self, dispute_id: str) -> CreditDispute: ...
    @abc.abstractmethod
    def save_dispute(self, dispute: CreditDispute) -> None:
        """Conditioned on the version read."""
    @abc.abstractmethod
    def disputes_with_status(self, status: DisputeStatus) -> list[CreditDispute]:
        """The earliest due first."""
    @abc.abstractmethod
    def disputes_of(self, customer_id: str) -> list[CreditDispute]:
        """Hers, newest first."""


class AmlRepository(abc.ABC):
    """The anti-money-laundering worklist's cases."""

    @abc.abstractmethod
    def add_aml_case(self, case: AmlCase) -> bool:
        """False when a case of that id (the same kind and cause) is already open or decided: nothing is written."""
    @abc.abstractmethod
    def get_aml_case(self, case_id: str) -> AmlCase: ...
    @abc.abstractmethod
    def save_aml_case(self, case: AmlCase) -> None:
        """Conditioned on the version read."""
    @abc.abstractmethod
    def aml_cases_with_status(self, status: AmlCaseStatus) -> list[AmlCase]:
        """The oldest first."""


class LoanWorkoutRepository(abc.ABC):
    """A loan's life after payout beyond repayment: restructuring requests and their booking, write-off proposals
    and their booking, recoveries, borrowers' collection cases and the messages the app shows her."""

    @abc.abstractmethod
    def add_restructuring_request(self, request: RestructuringRequest) -> None:
        """Raises ConcurrentModificationError while another request of the same loan is open."""
    @abc.abstractmethod
    def get_restructuring_request(self, request_id: str) -> RestructuringRequest: ...
    @abc.abstractmethod
    def save_restructuring_request(self, request: RestructuringRequest) -> None:
        """Conditioned on the version read; a decided request frees the loan for another."""
    @abc.abstractmethod
    def restructure_loan(self, loan: Loan, request: RestructuringRequest, change: LoanRestructuring) -> bool:
        """One transaction: the approved request, the loan's new schedule, term and class (conditioned on the
        loan's outstanding principal, paid instalments and no repayment being booked), the old schedule kept,
        the ledger's reclassification, the classification history and the event. False when the loan moved."""
    @abc.abstractmethod
    def open_restructuring_requests(self) -> list[RestructuringRequest]:
        """Awaiting a decision, oldest first."""
    @abc.abstractmethod
    def restructuring_requests_of(self, customer_id: str) -> list[RestructuringRequest]:
        """Hers, newest first."""
    @abc.abstractmethod
    def closed_schedules(self, loan_id: str) -> list[dict[str, Any]]:
        """The schedules a restructuring replaced, oldest first (each with when and why)."""
    @abc.abstractmethod
    def propose_write_off(self, proposal: WriteOffProposal) -> None:
        """Raises ConcurrentModificationError while a proposal of the loan is open."""
    @abc.abstractmethod
    def get_write_off(self, loan_id: str) -> WriteOffProposal | None: ...
    @abc.abstractmethod
    def save_write_off(self, proposal: WriteOffProposal) -> None:
        """Conditioned on the version read (a decline)."""
    @abc.abstractmethod
    def write_off_loan(self, loan: Loan, proposal: WriteOffProposal, change: LoanWriteOff,
                       line: LineChange | None) -> bool:
        """One transaction: the confirmed proposal, the loan WRITTEN_OFF (only from ACTIVE, its principal as read,
        no repayment being booked), the ledger, the line's move and the event. False when the loan moved."""
    @abc.abstractmethod
    def open_write_offs(self) -> list[WriteOffProposal]:
        """Proposed and not yet decided, oldest first."""
    @abc.abstractmethod
    def record_recovery(self, loan: Loan, recovery: Recovery, record: dict[str, Any]) -> bool:
        """The recovery once (by its id), the loan's recovered amount (conditioned on the amount read), the ledger
        and the event. False when either was already written."""
    @abc.abstractmethod
    def get_collection_case(self, customer_id: str) -> CollectionCase | None: ...
    @abc.abstractmethod
    def save_collection_case(self, case: CollectionCase) -> bool:
        """Created at version 0, then conditioned on the version read. False when it changed meanwhile."""
    @abc.abstractmethod
    def collection_cases(self, limit: int = 200) -> list[CollectionCase]:
        """Borrowers with something late, the most days past due first."""
    @abc.abstractmethod
    def add_customer_message(self, customer_id: str, message: CustomerMessage) -> None:
        """What the app's messages show her (a reminder, a decision on her request)."""
    @abc.abstractmethod
    def customer_messages(self, customer_id: str, limit: int = 50) -> list[CustomerMessage]:
        """Hers, newest first."""


@dataclass(frozen=True)
class CustomerMessage:
    message_id: str
    kind: str  # the template: REMINDER_DUE_TODAY, RESTRUCTURING_APPROVED, ...
    title: str
    text: str
    at: datetime
    subject_id: str = ""  # the loan or request it is about


class AuditTrail(abc.ABC):
    """What happened to an aggregate, and every officer's act, kept with it (written in the same transaction as
    the change)."""

    @abc.abstractmethod
    def audit_trail(self, aggregate_id: str) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    def record_staff_action(self, event: DomainEvent) -> None:
        """An officer's act that changes nothing else (a look-up, a view), in the trail of what it was about."""
    @abc.abstractmethod
    def staff_actions(self, day: date) -> list[dict[str, Any]]:
        """Every officer's act of one business day (Beijing), oldest first: the audit search's index."""


class LendingRepository(AuditTrail, ApplicationRepository, CreditLineRepository, DrawdownRepository, LoanRepository,
                        SweepRepository, OneTimeCodeRepository, RiskListRepository, PreApprovalRepository,
                        ComplaintRepository, HumanReviewRepository, CreditReportingRepository, AmlRepository,
                        LoanWorkoutRepository):
    """Every write is conditional (optimistic concurrency on ``version``) and appends its domain events to the
    audit trail in the same transaction. One repository per aggregate above (a use case may name the one it
    uses); DynamoDB keeps them in one table, so one adapter implements them all and a commit that spans
    aggregates is one transaction."""
