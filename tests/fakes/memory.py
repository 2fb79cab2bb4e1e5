"""In-memory fakes of the ports, with the same guarantees as the real adapters (versions, once-only writes,
conditional reservation), so services can be tested without AWS."""

from __future__ import annotations

import copy
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters import page_cursors
from chalicelib.domain.aml import AmlCase, AmlCaseStatus
from chalicelib.domain.application import ApplicationStatus, ApplicationSummary, LoanApplication
from chalicelib.domain.bureau_reporting import BureauReport
from chalicelib.domain.business_date import business_date
from chalicelib.domain.complaint import Complaint, ComplaintStatus
from chalicelib.domain.contract import Agreement
from chalicelib.domain.credit_dispute import CreditDispute, DisputeStatus
from chalicelib.domain.credit_line import CreditLine, CreditLineStatus, CreditLineSummary, LineChange
from chalicelib.domain.customer_record import CustomerRecord, PreApproval
from chalicelib.domain.drawdown import Drawdown, DrawdownStatus, DrawdownSummary
from chalicelib.domain.early_warning import Cause, EarlyWarning, WarningStatus
from chalicelib.domain.errors import (
    ConcurrentModificationError,
    CreditLineNotActiveError,
    DisbursementRefusedError,
    NotFoundError,
    RepaymentRefusedError,
)
from chalicelib.domain.events import DomainEvent, is_staff_action
from chalicelib.domain.external_records import ExternalRecord
from chalicelib.domain.face import DetectedFace, LivenessResult
from chalicelib.domain.funnel import stage_of
from chalicelib.domain.human_review import HumanReview
from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.domain.loan import Instalment, Loan, LoanReview, LoanStatus, RepaymentClaim
from chalicelib.domain.money import Money
from chalicelib.domain.one_time_code import OneTimeCode
from chalicelib.domain.portfolio import shard_of
from chalicelib.domain.signature import SignatureCheck, SignatureRecord, VerificationReport
from chalicelib.ports import (
    BureauReportFiles,
    Clock,
    ContractSigning,
    CoreBanking,
    CreditBureau,
    CustomerRecords,
    DocumentRecord,
    DocumentStore,
    ExternalRecordFeed,
    FaceService,
    FieldCipher,
    IdentityRegister,
    LendingRepository,
    Notifier,
    OfficerSession,
    OutboxMessage,
    ReportStore,
    Secrets,
    SessionCheck,
    SignIn,
    SweptLine,
    TaxAuthority,
    WarningStore,
    Workflow,
)
from tests.fakes.memory_workout import MemoryLoanWorkout


class MemoryRepository(MemoryLoanWorkout, LendingRepository):
    def __init__(self) -> None:
        self.apps: dict[str, LoanApplication] = {}
        self.events: dict[str, list[DomainEvent]] = {}
        self.codes: dict[tuple[str, str], OneTimeCode] = {}
        self._lock = threading.Lock()
        self.claims: dict[str, RepaymentClaim] = {}  # loan id -> the repayment between collection and booking
        self.documents: dict[tuple[str, str], DocumentRecord] = {}
        self.lines: dict[str, CreditLine] = {}
        self.drawdowns: dict[str, Drawdown] = {}
        self.idempotency: dict[tuple[str, str], str] = {}
        self.loans: dict[str, Loan] = {}
        self.blacklist: set[str] = set()
        self.pre_approvals: dict[str, PreApproval] = {}
        self.complaints: dict[str, Complaint] = {}
        self.bureau_reports_by_date: dict[date, BureauReport] = {}
        self.disputes: dict[str, CreditDispute] = {}
        self.aml_cases: dict[str, AmlCase] = {}
        self.human_reviews: dict[str, HumanReview] = {}
        self.repayments: dict[tuple[str, str], dict[str, Any]] = {}
        self.ledger: dict[str, list[LedgerTransaction]] = {}
        self.classifications: dict[str, list[dict[str, Any]]] = {}
        self.portfolio: dict[str, dict[int, dict[str, Any]]] = {}
        self._init_workout()

    def _append(self, aggregate_id: str, events: list[DomainEvent]) -> None:
        self.events.setdefault(aggregate_id, []).extend(events)

    def add_application(self, app: LoanApplication) -> None:
        assert app.application_id not in self.apps
        app.version = 1
        self._append(app.application_id, list(app.pending_events))
        app.pending_events.clear()
        self.apps[app.application_id] = copy.deepcopy(app)

    def get_application(self, application_id: str) -> LoanApplication:
        if application_id not in self.apps:
            raise NotFoundError("application not found")
        return copy.deepcopy(self.apps[application_id])

    def save_application(self, app: LoanApplication) -> None:
        if self.apps[app.application_id].version != app.version:
            raise ConcurrentModificationError("changed meanwhile")
        app.version += 1
        self._append(app.application_id, list(app.pending_events))
        app.pending_events.clear()
        self.apps[app.application_id] = copy.deepcopy(app)

    def applications_of_customer(self, customer_id: str) -> list[LoanApplication]:
        return [copy.deepcopy(a) for a in self.apps.values() if a.customer_id == customer_id]

    def application_summaries_of(self, customer_id: str, limit: int = 50,
                                 cursor: str | None = None) -> tuple[list[ApplicationSummary], str | None]:
        found, after = self._page("APPLICATION#", [a for a in self.apps.values() if a.customer_id == customer_id],
                                  lambda a: a.application_id, limit, cursor)
        return [a.summary() for a in found], after

    def applications_with_status(self, status: ApplicationStatus, limit: int = 100) -> list[LoanApplication]:
        found = [copy.deepcopy(a) for a in self.apps.values() if a.status is status]
        return found[:limit] if limit else found

    def audit_trail(self, aggregate_id: str) -> list[dict[str, Any]]:
        return [self._entry(e) for e in self.events.get(aggregate_id, [])]

    def record_staff_action(self, event: DomainEvent) -> None:
        self._append(event.aggregate_id, [event])

    def staff_actions(self, day: date) -> list[dict[str, Any]]:
        acts = [e for trail in self.events.values() for e in trail
                if is_staff_action(e) and business_date(e.occurred_at) == day]
        return [self._entry(e) for e in sorted(acts, key=lambda e: (e.occurred_at, e.event_id))]

    def milestones(self, day: date) -> list[dict[str, Any]]:
        found = [e for trail in self.events.values() for e in trail
                 if stage_of(e) and business_date(e.occurred_at) == day]
        return [self._entry(e) for e in sorted(found, key=lambda e: (e.occurred_at, e.event_id))]

    @staticmethod
    def _entry(e: DomainEvent) -> dict[str, Any]:
        return {"event": e.name, "actor": e.actor, "data": e.data, "occurred_at": e.occurred_at.isoformat(),
                "aggregate_id": e.aggregate_id, "event_id": e.event_id}

    def record_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        current = self.documents.get((doc.application_id, doc.doc_type))
        if current and (current.s3_key == doc.s3_key or current.received_at >= doc.received_at
                        or current.status == "READ"):
            return False
        self.documents[(doc.application_id, doc.doc_type)] = doc
        self._append(doc.application_id, [event])
        return True

    def documents_of(self, application_id: str) -> list[DocumentRecord]:
        return [d for (a, _), d in self.documents.items() if a == application_id]

    def update_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        current = self.documents.get((doc.application_id, doc.doc_type))
        if current is None or current.s3_key != doc.s3_key:
            return False
        self.documents[(doc.application_id, doc.doc_type)] = doc
        self._append(doc.application_id, [event])
        return True

    def activate_credit_line(self, app: LoanApplication, line: CreditLine, event: DomainEvent) -> None:
        self.save_application(app)
        line.version = 1
        self.lines[line.credit_line_id] = copy.deepcopy(line)
        self._append(line.credit_line_id, [event])

    def get_credit_line(self, credit_line_id: str) -> CreditLine:
        if credit_line_id not in self.lines:
            raise NotFoundError("credit line not found")
        return copy.deepcopy(self.lines[credit_line_id])

    def credit_lines_of(self, customer_id: str, limit: int = 50,
                        cursor: str | None = None) -> tuple[list[CreditLineSummary], str | None]:
        return self._page("CREDITLINE#", [x.summary() for x in self.lines.values() if x.customer_id == customer_id],
                          lambda x: x.credit_line_id, limit, cursor)

    def drawdowns_of(self, customer_id: str, limit: int = 50,
                     cursor: str | None = None) -> tuple[list[DrawdownSummary], str | None]:
        return self._page("DRAWDOWN#", [x.summary() for x in self.drawdowns.values() if x.customer_id == customer_id],
                          lambda x: x.drawdown_id, limit, cursor)

    def loans_of(self, customer_id: str, limit: int = 50, cursor: str | None = None) -> tuple[list[Loan], str | None]:
        return self._page("LOAN#", [x for x in self.loans.values() if x.customer_id == customer_id],
                          lambda x: x.loan_id, limit, cursor)

    @staticmethod
    def _page(prefix: str, found: list[Any], id_of: Any, limit: int,
              cursor: str | None) -> tuple[list[Any], str | None]:
        """The DynamoDB adapter's order and cursors: newest first by "<KIND>#<created_at>#<id>"."""
        after = page_cursors.position(cursor, prefix)
        keyed = sorted(((f"{prefix}{x.created_at.isoformat()}#{id_of(x)}", x) for x in found),
                       key=lambda kx: kx[0], reverse=True)
        if after is not None:
            keyed = [kx for kx in keyed if prefix <= kx[0] < after]
        shown = keyed[:limit]
        return [copy.deepcopy(x) for _, x in shown], page_cursors.issue(shown[-1][0] if len(keyed) > limit else None)

    def drawdown_for_key(self, customer_id: str, idempotency_key: str) -> Drawdown | None:
        drawdown_id = self.idempotency.get((customer_id, idempotency_key))
        return None if drawdown_id is None else copy.deepcopy(self.drawdowns[drawdown_id])

    def add_drawdown(self, drawdown: Drawdown, idempotency_key: str) -> Drawdown:
        key = (drawdown.customer_id, idempotency_key)
        if key in self.idempotency:
            return copy.deepcopy(self.drawdowns[self.idempotency[key]])
        self.idempotency[key] = drawdown.drawdown_id
        drawdown.version = 1
        self._append(drawdown.drawdown_id, drawdown.pending_events)
        drawdown.pending_events = []
        self.drawdowns[drawdown.drawdown_id] = copy.deepcopy(drawdown)
        return drawdown

    def lines_in_shard(self, shard: int) -> list[SweptLine]:
        return [SweptLine(line.credit_line_id, line.customer_id, line.status, line.limit.fen, line.available.fen,
                          line.created_at, line.valid_until)
                for line in (self.lines[i] for i in self._index()[0].get(shard, []))]

    def loans_of_line(self, customer_id: str, credit_line_id: str) -> list[Loan]:
        return [self.get_loan(loan_id) for loan_id in self._index()[1].get(credit_line_id, [])
                if self.loans[loan_id].customer_id == customer_id]

    def _index(self) -> tuple[dict[int, list[str]], dict[str, list[str]]]:
        """Lines by shard and loans by line, as the table's index and partitions give them (rebuilt when a line
        or a loan was added: the benchmark sweeps 100,000 lines through this fake)."""
        size = (len(self.lines), len(self.loans))
        if getattr(self, "_indexed", None) != size:
            shards: dict[int, list[str]] = {}
            for line_id in sorted(self.lines):
                shards.setdefault(shard_of(line_id), []).append(line_id)
            by_line: dict[str, list[str]] = {}
            for loan in self.loans.values():
                by_line.setdefault(loan.credit_line_id, []).append(loan.loan_id)
            self._indexes, self._indexed = (shards, by_line), size
        return self._indexes

    def record_review(self, loan: Loan, review: LoanReview, reasons: tuple[str, ...], at: datetime) -> bool:
        stored = self.loans[loan.loan_id]
        if stored.review != loan.review:
            return False
        if review.loan_class != stored.review.loan_class:
            self.classifications.setdefault(loan.loan_id, []).append(
                {"from": stored.review.loan_class, "to": review.loan_class, "reasons": list(reasons),
                 "at": at.isoformat()})
        stored.review = review
        return True

    def classification_history(self, loan_id: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.classifications.get(loan_id, []))

    def save_shard_figures(self, day: date, shard: int, figures: dict[str, Any]) -> None:
        for period in (day.isoformat(), day.isoformat()[:7]):
            self.portfolio.setdefault(period, {})[shard] = copy.deepcopy(figures)

    def shard_figures(self, period: date | str) -> list[dict[str, Any]]:
        key = period.isoformat() if isinstance(period, date) else period
        return [copy.deepcopy(f) for _, f in sorted(self.portfolio.get(key, {}).items())]

    def ledger_on(self, day: date) -> list[LedgerTransaction]:
        return [t for book in self.ledger.values() for t in book if business_date(t.booked_at) == day]

    def drawdowns_awaiting_approval(self) -> list[Drawdown]:
        waiting = [copy.deepcopy(d) for d in self.drawdowns.values() if d.status is DrawdownStatus.AWAITING_APPROVAL]
        return sorted(waiting, key=lambda d: d.created_at)

    def get_drawdown(self, drawdown_id: str) -> Drawdown:
        if drawdown_id not in self.drawdowns:
            raise NotFoundError("drawdown not found")
        return copy.deepcopy(self.drawdowns[drawdown_id])

    def _store_move(self, drawdown: Drawdown, line_too: bool = False, **changes: Any) -> bool:
        """As DynamoDB's condition: the move is stored only if the drawdown is still where the move started."""
        stored = self.drawdowns[drawdown.drawdown_id]
        if drawdown.moved_from is None:
            raise ValueError("no move of the drawdown to store")
        if stored.status is not drawdown.moved_from:
            return False
        stored.status, stored.version, stored.updated_at = drawdown.status, stored.version + 1, drawdown.updated_at
        for name, value in changes.items():
            setattr(stored, name, value)
        self._append(drawdown.drawdown_id, drawdown.pending_events)
        if line_too:
            self._append(drawdown.credit_line_id, drawdown.pending_events)
        drawdown.version, drawdown.moved_from, drawdown.pending_events = stored.version, None, []
        return True

    def reserve_limit(self, drawdown: Drawdown) -> None:
        if drawdown.moved_from is None:
            raise ValueError("no move of the drawdown to store")
        line = self.lines[drawdown.credit_line_id]
        refusal = line.reservation_refusal(drawdown.amount, datetime.now(UTC))  # as DynamoDB's condition decides
        if refusal is not None:
            raise refusal
        if self.drawdowns[drawdown.drawdown_id].status is not drawdown.moved_from:
            raise ConcurrentModificationError("not requested")
        line.available = line.available - drawdown.amount
        self._store_move(drawdown, line_too=True)

    def claim_payout(self, drawdown: Drawdown) -> None:
        stored = self.drawdowns[drawdown.drawdown_id]
        if stored.payout_started_at is not None:
            drawdown.payout_started_at, drawdown.pending_events = stored.payout_started_at, []
            return
        if drawdown.payout_started_at is None:
            return
        if self.lines[drawdown.credit_line_id].status is not CreditLineStatus.ACTIVE:
            raise CreditLineNotActiveError("not active")
        if stored.status is not DrawdownStatus.RESERVED:
            raise ConcurrentModificationError("not reserved")
        stored.payout_started_at = drawdown.payout_started_at
        self._append(drawdown.drawdown_id, drawdown.pending_events)
        drawdown.pending_events = []

    def release_reservation(self, drawdown: Drawdown) -> bool:
        if not self._store_move(drawdown, line_too=True, failure_reason=drawdown.failure_reason):
            return False
        line = self.lines[drawdown.credit_line_id]
        line.available = line.available + drawdown.amount
        return True

    def save_drawdown(self, drawdown: Drawdown, ledger: LedgerTransaction | None = None) -> None:
        if self.drawdowns[drawdown.drawdown_id].version != drawdown.version:
            raise ConcurrentModificationError("changed meanwhile")
        drawdown.version += 1
        self._append(drawdown.drawdown_id, drawdown.pending_events)
        drawdown.moved_from, drawdown.pending_events = None, []
        self.drawdowns[drawdown.drawdown_id] = copy.deepcopy(drawdown)
        if ledger is not None:
            self.ledger.setdefault(drawdown.credit_line_id, []).append(ledger)

    def apply_repayment(self, loan: Loan, repayment: dict[str, Any], ledger: list[LedgerTransaction],
                        event: DomainEvent, loan_status: LoanStatus, instalments_paid: int | None = None,
                        overdue_since: str = "", line_change: LineChange | None = None,
                        schedule: tuple[Instalment, ...] | None = None, interest_paid_to: str = "") -> bool:
        key = (repayment["scope"], repayment["idempotency_key"])
        stored = self.loans[loan.loan_id]
        principal = Money(int(repayment["principal_fen"]))
        if key in self.repayments or stored.outstanding_principal != loan.outstanding_principal:
            return False
        line = self.lines[loan.credit_line_id]
        assert line.available + principal <= line.limit
        if line_change is not None and line.status is not line_change.expected:
            return False  # the line moved since the caller read it, as DynamoDB's condition
        self.repayments[key] = dict(repayment)
        stored.outstanding_principal = stored.outstanding_principal - principal  # type: ignore[operator]
        stored.status = loan_status  # as decided by the domain
        line.available = line.available + principal
        if instalments_paid is not None:
            stored.instalments_paid = instalments_paid
        stored.overdue_since = date.fromisoformat(overdue_since) if overdue_since else None
        if schedule is not None:
            stored.schedule = schedule
            stored.interest_paid_to = date.fromisoformat(interest_paid_to) if interest_paid_to else None
        if line_change is not None:
            line.status = line_change.new
        self.ledger.setdefault(loan.credit_line_id, []).extend(ledger)
        self.claims.pop(loan.loan_id, None)
        self._append(loan.loan_id, [event])
        self._append(loan.credit_line_id, [event])
        return True

    def close_credit_line(self, line: CreditLine, event: DomainEvent) -> bool:
        stored = self.lines[line.credit_line_id]
        if stored.available != stored.limit or stored.status is CreditLineStatus.CLOSED:
            return False
        stored.status = CreditLineStatus.CLOSED
        self._append(line.credit_line_id, [event])
        return True

    def claim_repayment(self, loan: Loan, claim: RepaymentClaim) -> bool:
        if loan.loan_id in self.claims:
            return False
        if self.loans[loan.loan_id].outstanding_principal != loan.outstanding_principal:
            return False
        self.claims[loan.loan_id] = copy.deepcopy(claim)
        return True

    def release_repayment_claim(self, loan: Loan, repayment_id: str) -> None:
        held = self.claims.get(loan.loan_id)
        if held is not None and held.repayment_id == repayment_id:
            del self.claims[loan.loan_id]

    def accrue_interest(self, loan: Loan, number: int, txn: LedgerTransaction | None) -> bool:
        stored = self.loans[loan.loan_id]
        if stored.accrued_through != number - 1:
            return False
        stored.accrued_through = number
        if txn is not None:
            self.ledger.setdefault(loan.credit_line_id, []).append(txn)
        return True

    def mark_overdue(self, loan: Loan, since: str, line: LineChange) -> bool:
        stored = self.lines[loan.credit_line_id]
        if self.loans[loan.loan_id].instalments_paid != loan.instalments_paid or stored.status is not line.expected:
            return False  # an instalment was collected, or the line moved, since the caller read them
        event = line.event
        self.loans[loan.loan_id].overdue_since = date.fromisoformat(since)
        stored.status = line.new
        self._append(loan.loan_id, [event])
        self._append(loan.credit_line_id, [event])
        return True

    def active_loans(self) -> list[Loan]:
        return [self.get_loan(loan.loan_id) for loan in self.loans.values() if loan.status is LoanStatus.ACTIVE]

    def get_repayment(self, scope: str, idempotency_key: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.repayments.get((scope, idempotency_key)))

    def ledger_of(self, credit_line_id: str) -> list[LedgerTransaction]:
        return list(self.ledger.get(credit_line_id, []))

    def all_ledger_transactions(self) -> list[LedgerTransaction]:
        return [t for book in self.ledger.values() for t in book]

    def book_loan(self, drawdown: Drawdown, loan: Loan) -> bool:
        if loan.loan_id in self.loans or not self._store_move(drawdown, loan_id=drawdown.loan_id):
            return False
        self.loans[loan.loan_id] = copy.deepcopy(loan)
        return True

    def get_loan(self, loan_id: str) -> Loan:
        if loan_id not in self.loans:
            raise NotFoundError("loan not found")
        loan = copy.deepcopy(self.loans[loan_id])  # like a database read: never the stored object itself
        loan.claim = copy.deepcopy(self.claims.get(loan_id))
        return loan

    def get_code(self, application_id: str, purpose: str) -> OneTimeCode | None:
        return self.codes.get((application_id, purpose))

    def put_code(self, code: OneTimeCode, replaces: OneTimeCode | None) -> bool:
        with self._lock:  # one conditional write, as DynamoDB's
            if self.codes.get((code.application_id, code.purpose)) != replaces:
                return False
            self.codes[(code.application_id, code.purpose)] = code
            return True

    def count_code_attempt(self, application_id: str, purpose: str, max_attempts: int) -> OneTimeCode | None:
        with self._lock:  # one atomic increment, as DynamoDB's ADD with a condition
            code = self.codes.get((application_id, purpose))
            if code is None or code.attempts >= max_attempts:
                return None
            self.codes[(application_id, purpose)] = replace(code, attempts=code.attempts + 1)
            return self.codes[(application_id, purpose)]

    def discard_code(self, application_id: str, purpose: str) -> None:
        self.codes.pop((application_id, purpose), None)

    def is_blacklisted(self, id_number_hash: str) -> bool:
        return id_number_hash in self.blacklist

    def add_to_blacklist(self, id_number_hash: str, reason: str) -> None:
        self.blacklist.add(id_number_hash)

    def add_human_review(self, review: HumanReview) -> bool:
        with self._lock:
            if review.review_id in self.human_reviews:
                return False
            review.version = 1
            self.human_reviews[review.review_id] = copy.deepcopy(replace(review, pending_events=[]))
            self._append(review.application_id, list(review.pending_events))
            review.pending_events.clear()
            return True

    def get_human_review(self, review_id: str) -> HumanReview:
        found = self.human_reviews.get(review_id)
        if found is None:
            raise NotFoundError("review not found", {"review_id": review_id})
        return copy.deepcopy(found)

    def save_human_review(self, review: HumanReview) -> None:
        with self._lock:
            stored = self.human_reviews.get(review.review_id)
            if stored is None or stored.version != review.version:
                raise ConcurrentModificationError("the review changed meanwhile; read it again")
            review.version += 1
            self.human_reviews[review.review_id] = copy.deepcopy(replace(review, pending_events=[]))
            self._append(review.application_id, list(review.pending_events))
            review.pending_events.clear()

    def open_human_reviews(self) -> list[HumanReview]:
        return sorted((copy.deepcopy(r) for r in self.human_reviews.values() if r.open), key=lambda r: r.due_at)

    def add_complaint(self, complaint: Complaint) -> None:
        with self._lock:
            if complaint.complaint_id in self.complaints:
                raise ConcurrentModificationError("the complaint was already received")
            complaint.version = 1
            self.complaints[complaint.complaint_id] = copy.deepcopy(replace(complaint, pending_events=[]))
            self._append(complaint.complaint_id, list(complaint.pending_events))
            complaint.pending_events.clear()

    def get_complaint(self, complaint_id: str) -> Complaint:
        found = self.complaints.get(complaint_id)
        if found is None:
            raise NotFoundError("complaint not found", {"complaint_id": complaint_id})
        return copy.deepcopy(found)

    def save_complaint(self, complaint: Complaint) -> None:
        with self._lock:
            stored = self.complaints.get(complaint.complaint_id)
            if stored is None or stored.version != complaint.version:
                raise ConcurrentModificationError("the complaint changed meanwhile; read it again")
            complaint.version += 1
            self.complaints[complaint.complaint_id] = copy.deepcopy(replace(complaint, pending_events=[]))
            self._append(complaint.complaint_id, list(complaint.pending_events))
            complaint.pending_events.clear()

    def complaints_of(self, customer_id: str) -> list[Complaint]:
        mine = [copy.deepcopy(c) for c in self.complaints.values() if c.customer_id == customer_id]
        return sorted(mine, key=lambda c: c.opened_at, reverse=True)

    def open_complaints(self) -> list[Complaint]:
        return sorted((copy.deepcopy(c) for c in self.complaints.values() if c.status is ComplaintStatus.OPEN),
                      key=lambda c: c.due_at)

    def claim_bureau_report(self, report: BureauReport) -> BureauReport:
        with self._lock:
            stored = self.bureau_reports_by_date.get(report.reporting_date)
            if stored is not None:
                return copy.deepcopy(stored)
            report.version = 1
            self.bureau_reports_by_date[report.reporting_date] = copy.deepcopy(report)
            return report

    def save_bureau_report(self, report: BureauReport) -> None:
        with self._lock:
            stored = self.bureau_reports_by_date.get(report.reporting_date)
            if stored is None or stored.version != report.version:
                raise ConcurrentModificationError("the report changed meanwhile; read it again")
            report.version += 1
            self.bureau_reports_by_date[report.reporting_date] = copy.deepcopy(report)

    def bureau_reports(self, limit: int = 24) -> list[BureauReport]:
        return [copy.deepcopy(r) for _, r in sorted(self.bureau_reports_by_date.items(), reverse=True)][:limit]

    def add_dispute(self, dispute: CreditDispute) -> None:
        with self._lock:
            if dispute.dispute_id in self.disputes:
                raise ConcurrentModificationError("the dispute was already filed")
            dispute.version = 1
            self.disputes[dispute.dispute_id] = copy.deepcopy(replace(dispute, pending_events=[]))
            self._append(dispute.dispute_id, list(dispute.pending_events))
            dispute.pending_events.clear()

    def get_dispute(self, dispute_id: str) -> CreditDispute:
        found = self.disputes.get(dispute_id)
        if found is None:
            raise NotFoundError("dispute not found", {"dispute_id": dispute_id})
        return copy.deepcopy(found)

    def save_dispute(self, dispute: CreditDispute) -> None:
        with self._lock:
            stored = self.disputes.get(dispute.dispute_id)
            if stored is None or stored.version != dispute.version:
                raise ConcurrentModificationError("the dispute changed meanwhile; read it again")
            dispute.version += 1
            self.disputes[dispute.dispute_id] = copy.deepcopy(replace(dispute, pending_events=[]))
            self._append(dispute.dispute_id, list(dispute.pending_events))
            dispute.pending_events.clear()

    def disputes_with_status(self, status: DisputeStatus) -> list[CreditDispute]:
        return sorted((copy.deepcopy(d) for d in self.disputes.values() if d.status is status),
                      key=lambda d: d.due_at)

    def disputes_of(self, customer_id: str) -> list[CreditDispute]:
        mine = [copy.deepcopy(d) for d in self.disputes.values() if d.customer_id == customer_id]
        return sorted(mine, key=lambda d: d.opened_at, reverse=True)

    def add_aml_case(self, case: AmlCase) -> bool:
        with self._lock:
            if case.case_id in self.aml_cases:
                return False
            case.version = 1
            self.aml_cases[case.case_id] = copy.deepcopy(replace(case, pending_events=[]))
            self._append(case.case_id, list(case.pending_events))
            case.pending_events.clear()
            return True

    def get_aml_case(self, case_id: str) -> AmlCase:
        found = self.aml_cases.get(case_id)
        if found is None:
            raise NotFoundError("case not found", {"case_id": case_id})
        return copy.deepcopy(found)

    def save_aml_case(self, case: AmlCase) -> None:
        with self._lock:
            stored = self.aml_cases.get(case.case_id)
            if stored is None or stored.version != case.version:
                raise ConcurrentModificationError("the case changed meanwhile; read it again")
            case.version += 1
            self.aml_cases[case.case_id] = copy.deepcopy(replace(case, pending_events=[]))
            self._append(case.case_id, list(case.pending_events))
            case.pending_events.clear()

    def aml_cases_with_status(self, status: AmlCaseStatus) -> list[AmlCase]:
        return sorted((copy.deepcopy(c) for c in self.aml_cases.values() if c.status is status),
                      key=lambda c: c.opened_at)

    def pre_approval_of(self, customer_number: str) -> PreApproval | None:
        return self.pre_approvals.get(customer_number)

    def save_pre_approval(self, pre_approval: PreApproval) -> None:
        self.pre_approvals[pre_approval.customer_number] = pre_approval

    def withdraw_pre_approval(self, customer_number: str) -> None:
        self.pre_approvals.pop(customer_number, None)


class MemoryDocuments(DocumentStore):
    def __init__(self) -> None:
        self.contracts: dict[str, bytes] = {}
        self.retained_until: dict[str, datetime] = {}
        self.versions: dict[tuple[str, str], bytes] = {}
        self.references: dict[str, bytes] = {}
        self.uploads: dict[str, bytes] = {}  # what a test uploaded under a key (else a small PNG-like stand-in)

    def put_liveness_reference(self, key: str, image: bytes) -> str:
        self.references[key] = image
        return "v1"

    def get_upload(self, key: str, max_bytes: int, version_id: str = "") -> bytes:
        if key in self.references:
            return self.references[key]
        if key in self.uploads:
            return self.uploads[key]
        return b"\x89PNG\r\n\x1a\n image bytes of " + key.encode()

    def presigned_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        return {"url": "https://uploads.example/", "fields": {"key": key, "Content-Type": content_type}}

    def put_contract(self, key: str, body: bytes, retain_until: datetime) -> str:
        """Like the versioned, Object-Locked bucket: a write adds a version; no version is ever replaced."""
        version = f"v{sum(1 for k, _ in self.versions if k == key) + 1}"
        self.versions[(key, version)] = body
        self.contracts[key] = body  # the latest version
        self.retained_until[key] = retain_until
        return version

    def presigned_contract_download(self, key: str, expires_in: int, version_id: str | None = None) -> str:
        return f"https://contracts.example/{key}" + (f"?versionId={version_id}" if version_id else "")

    def get_contract(self, key: str, version_id: str | None = None) -> bytes:
        if key not in self.contracts or (version_id and (key, version_id) not in self.versions):
            raise FileNotFoundError(key)
        return self.versions[(key, version_id)] if version_id else self.contracts[key]

    def put_review_copy(self, key: str, image: bytes) -> None:
        self.references[key] = image

    def presigned_review_copy(self, key: str, expires_in: int) -> str:
        return f"https://uploads.example/{key}?expires={expires_in}"


class FakeContractSigning(ContractSigning):
    """For service tests: the agreement as text instead of a PDF, and a signature that is a marker. The real PDF
    and PAdES signatures are tested in tests/integration/test_pades_contracts.py."""

    def render(self, agreement: Agreement) -> bytes:
        lines = [agreement.title, *(f"{k}: {v}" for k, v in agreement.key_terms), *(t for _, t in agreement.clauses)]
        return "\n".join(lines).encode()

    def sign(self, unsigned: bytes, borrower_name: str, borrower_id_masked: str,
             now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        return unsigned + b"\n[signed]", (SignatureRecord("Borrower", f"{borrower_name} {borrower_id_masked}", "1",
                                                            now, now),
                                          SignatureRecord("BankSeal", "bank", "2", now, now))

    def renew_archive(self, signed: bytes, now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        renewed = signed + f"\n[archive timestamp {now.isoformat()}]\n[signed]".encode()
        return renewed, tuple(SignatureRecord(c.field, c.signer, c.certificate_serial, c.signed_at, c.timestamp_at)
                              for c in self.verify(renewed).signatures)

    def verify(self, pdf: bytes) -> VerificationReport:
        ok = pdf.endswith(b"\n[signed]")
        stamps = tuple(SignatureCheck("ArchiveTimestamp", "tsa", "3", None, datetime.fromisoformat(t.decode()),
                                      True, ok, "ENTIRE_FILE", None)
                       for t in re.findall(rb"\[archive timestamp ([^\]]+)\]", pdf))
        return VerificationReport(ok, ok, "FAKE", stamps, not ok, "valid" if ok else "modified")


class RecordingWorkflow(Workflow):
    def __init__(self) -> None:
        self.started: list[tuple[str, str]] = []
        self.resumed: list[tuple[str, dict[str, Any]]] = []
        self.failed: list[tuple[str, str]] = []

    def start_origination(self, application_id: str) -> None:
        self.started.append(("origination", application_id))

    def start_drawdown(self, drawdown_id: str) -> None:
        self.started.append(("drawdown", drawdown_id))

    def start_daily_sweep(self, day: date) -> None:
        self.started.append(("sweep", day.isoformat()))

    def resume(self, task_token: str, output: dict[str, Any]) -> None:
        self.resumed.append((task_token, output))

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self.failed.append((task_token, error))


class MemoryOutbox(Notifier):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, str]] = []

    def send_sms(self, customer_id: str, phone: str, template: str, text: str) -> None:
        self.sent.append((customer_id, phone, template, text))

    def outbox(self, customer_id: str) -> list[OutboxMessage]:
        return []


class MemoryCoreBanking(CoreBanking):
    def __init__(self, refuse: bool = False) -> None:
        self.payouts: dict[str, tuple[str, Money]] = {}
        self.collections: dict[str, tuple[str, Money]] = {}
        self.refuse = refuse
        self.refuse_collections = False  # the customer's account is empty

    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        if self.refuse:
            raise DisbursementRefusedError("refused")
        self.payouts.setdefault(drawdown_id, (f"REF-{drawdown_id}", amount))
        return self.payouts[drawdown_id][0]

    def outcome(self, drawdown_id: str) -> str | None:
        return self.payouts[drawdown_id][0] if drawdown_id in self.payouts else None

    def statement(self) -> list[dict[str, Any]]:
        return ([{"kind": "PAYOUT", "id": k, "amount_fen": v[1].fen} for k, v in self.payouts.items()] +
                [{"kind": "COLLECTION", "id": k, "amount_fen": v[1].fen} for k, v in self.collections.items()])

    def collect(self, repayment_id: str, account_no: str, amount: Money) -> str:
        if self.refuse_collections and repayment_id not in self.collections:
            raise RepaymentRefusedError("insufficient funds")
        self.collections.setdefault(repayment_id, (f"COL-{repayment_id}", amount))
        return self.collections[repayment_id][0]

    def collection_outcome(self, repayment_id: str) -> str | None:
        return self.collections[repayment_id][0] if repayment_id in self.collections else None


GOOD_HISTORY = {"record": "TEST-1", "LIMIT_BAL": 200_000.0, "PAY_0": -1.0, "PAY_2": -1.0, "PAY_3": -1.0,
                "PAY_4": -1.0, "PAY_5": -1.0, "PAY_6": -1.0,
                **{f"BILL_AMT{i}": 5_000.0 for i in range(1, 7)}, **{f"PAY_AMT{i}": 5_000.0 for i in range(1, 7)}}


# grade D (refer): two months late two months ago, minimum repayments, nothing overdue now
REFER_HISTORY = {**GOOD_HISTORY, "PAY_0": 0.0, "PAY_2": 2.0, **{f"BILL_AMT{i}": 60_000.0 for i in range(1, 7)},
                 **{f"PAY_AMT{i}": 2_400.0 for i in range(1, 7)}}
# grade E (decline)
DECLINE_HISTORY = {**REFER_HISTORY, "PAY_2": 2.0, "PAY_3": 2.0}


class StaticBureau(CreditBureau):
    def __init__(self, history: dict[str, Any] | None = None) -> None:
        self.history = dict(GOOD_HISTORY if history is None else history)
        self.no_record = False

    def report(self, id_number: str) -> dict[str, Any] | None:
        return None if self.no_record else dict(self.history)


class StaticTax(TaxAuthority):
    def monthly_figures(self, registration_no: str, declared_annual_revenue: Money) -> list[dict[str, Any]]:
        return [{"month": f"2025-{m:02d}", "invoiced_sales_fen": declared_annual_revenue.fen // 12,
                 "tax_paid_fen": declared_annual_revenue.fen // 1200} for m in range(1, 13)]


class MemoryReports(ReportStore):
    def __init__(self) -> None:
        self.reports: dict[tuple[str, str], dict[str, Any]] = {}

    def put_report(self, application_id: str, kind: str, report: dict[str, Any]) -> str:
        self.reports[(application_id, kind)] = report
        return f"reports/{application_id}/{kind}.json"

    def get_report(self, application_id: str, kind: str) -> dict[str, Any] | None:
        return self.reports.get((application_id, kind))


class MemoryBureauFiles(BureauReportFiles):
    def __init__(self) -> None:
        self.files: dict[date, bytes] = {}

    def put(self, reporting_date: date, body: bytes) -> str:
        self.files[reporting_date] = body
        return f"bureau-reporting/{reporting_date.isoformat()}/accounts.jsonl"

    def get(self, reporting_date: date) -> bytes | None:
        return self.files.get(reporting_date)


class FixedClock(Clock):
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 1, 31, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


class ReversibleCipher(FieldCipher):
    """Not encryption: a visible stand-in for tests that only need the round trip and the context binding."""

    def encrypt(self, plaintext: str, application_id: str) -> dict[str, str]:
        return {"data": plaintext[::-1], "context": application_id}

    def decrypt(self, sealed: dict[str, str], application_id: str) -> str:
        assert sealed["context"] == application_id, "wrong encryption context"
        return sealed["data"][::-1]

    def keyed_hash(self, value: str) -> str:
        import hashlib

        return hashlib.sha256(b"test-key" + value.encode()).hexdigest()


class ScriptedFaces(FaceService):
    def __init__(self, similarity: float | None = 99.0, liveness: float = 98.0) -> None:
        self.score, self.liveness = similarity, liveness
        self.compared: list[tuple[bytes, bytes]] = []

    def detect(self, image: bytes) -> list[DetectedFace]:
        return [DetectedFace(99.0, 1.0, 1.0, False, 80.0, 60.0)]

    def similarity(self, source_face: bytes, target_image: bytes) -> float | None:
        self.compared.append((source_face, target_image))
        return self.score

    def start_liveness(self, request_token: str) -> str:
        return f"session-{request_token}"

    def liveness_result(self, session_id: str) -> LivenessResult:
        return LivenessResult("SUCCEEDED", self.liveness, b"live face of " + session_id.encode())


class MemorySessions(SessionCheck):
    """Every session stands, except the tokens a test revokes."""

    def __init__(self) -> None:
        self.revoked: set[str] = set()

    def still_valid(self, access_token: str) -> bool:
        return access_token not in self.revoked


class StaticSecrets(Secrets):
    def otp_key(self) -> str:
        return "test-otp-key"


class MemoryIdentityRegister(IdentityRegister):
    def __init__(self) -> None:
        self.holders: dict[str, str] = {}
        self.sightings: dict[tuple[str, str], dict[str, datetime]] = {}
        self.staff: dict[str, str] = {}
        self.payees: dict[tuple[str, str], str] = {}
        self.businesses: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def bind_identity(self, id_number_hash: str, customer_id: str) -> str:
        with self._lock:  # one conditional put
            return self.holders.setdefault(id_number_hash, customer_id)

    def record_sighting(self, kind: str, value_hash: str, application_id: str, at: datetime) -> None:
        self.sightings.setdefault((kind, value_hash), {})[application_id] = at

    def applications_seen(self, kind: str, value_hash: str, since: datetime) -> int:
        return sum(1 for at in self.sightings.get((kind, value_hash), {}).values() if at >= since)

    def account_verified(self, customer_id: str, account_hash: str) -> bool:
        return (customer_id, account_hash) in self.payees

    def record_account_verified(self, customer_id: str, account_hash: str, reference: str, at: datetime) -> None:
        self.payees[(customer_id, account_hash)] = reference

    def staff_identity(self, officer_id: str) -> str | None:
        return self.staff.get(officer_id)

    def register_staff(self, officer_id: str, id_number_hash: str) -> None:
        self.staff[officer_id] = id_number_hash

    def holder_of(self, id_number_hash: str) -> str | None:
        return self.holders.get(id_number_hash)

    def bind_business(self, registration_hash: str, customer_id: str) -> None:
        self.businesses.setdefault(registration_hash, set()).add(customer_id)

    def business_holders(self, registration_hash: str) -> list[str]:
        return sorted(self.businesses.get(registration_hash, set()))


class MemoryWarningStore(WarningStore):
    """The warning store's guarantees in memory: one open warning per line, version checks, and the line status
    moving with the warning or not at all (it shares the repository's lines)."""

    def __init__(self, repo: MemoryRepository) -> None:
        self._repo = repo
        self._warnings: dict[str, EarlyWarning] = {}
        self._open: dict[str, str] = {}
        self._settled: dict[str, set[str]] = {}
        self._monitoring: dict[str, dict[str, Any]] = {}
        self._grades: dict[tuple[str, str], dict[str, int]] = {}
        self._subjects: dict[str, dict[str, Cause]] = {}

    def open_warning_of_line(self, credit_line_id: str) -> EarlyWarning | None:
        warning_id = self._open.get(credit_line_id)
        return None if warning_id is None else self.get_warning(warning_id)

    def open_warnings_of_lines(self, credit_line_ids: list[str]) -> dict[str, EarlyWarning]:
        return {i: self.get_warning(self._open[i]) for i in credit_line_ids if i in self._open}

    def settled_causes(self, credit_line_id: str) -> frozenset[str]:
        return frozenset(self._settled.get(credit_line_id, set()))

    def get_warning(self, warning_id: str) -> EarlyWarning:
        if warning_id not in self._warnings:
            raise NotFoundError("warning not found")
        return copy.deepcopy(self._warnings[warning_id])

    def save_warning(self, warning: EarlyWarning, line_change: LineChange | None = None,
                     settle: tuple[str, ...] = (), audit: DomainEvent | None = None) -> None:
        stored = self._warnings.get(warning.warning_id)
        if warning.version == 0:
            if stored is not None or warning.credit_line_id in self._open:
                raise ConcurrentModificationError("another warning is open for the line")
        elif stored is None or stored.version != warning.version:
            raise ConcurrentModificationError("the warning changed meanwhile")
        if line_change is not None:
            line = self._repo.lines[line_change.credit_line_id]
            if line.status is not line_change.expected:
                raise ConcurrentModificationError("the line's status changed meanwhile")
            if line.available.fen < line_change.reduction_fen:
                raise ConcurrentModificationError("less is available than the reduction")
            line.limit, line.available = (line.limit - Money(line_change.reduction_fen),
                                          line.available - Money(line_change.reduction_fen))
            line.status = line_change.new
            line.version += 1
            self._repo._append(line.credit_line_id, [line_change.event])
        if audit is not None:
            self._repo._append(warning.warning_id, [audit])
        warning.version += 1
        self._warnings[warning.warning_id] = copy.deepcopy(warning)
        if warning.status is WarningStatus.OPEN:
            self._open[warning.credit_line_id] = warning.warning_id
        else:
            self._open.pop(warning.credit_line_id, None)
        self._settled.setdefault(warning.credit_line_id, set()).update(settle)

    def warnings(self, status: WarningStatus | None = None) -> list[EarlyWarning]:
        found = [copy.deepcopy(w) for w in self._warnings.values() if status is None or w.status is status]
        return sorted(found, key=lambda w: (w.level, w.opened_at), reverse=True)

    def note_subject_record(self, subject_hash: str, cause: Cause, cleared: bool) -> None:
        records = self._subjects.setdefault(subject_hash, {})
        if cleared:
            records.pop(cause.cause_key, None)
        else:
            records[cause.cause_key] = cause

    def subject_records(self, subject_hash: str) -> list[Cause]:
        return sorted(self._subjects.get(subject_hash, {}).values(), key=lambda c: c.first_seen)

    def monitoring_state(self, customer_id: str) -> dict[str, Any]:
        return copy.deepcopy(self._monitoring.get(customer_id, {}))

    def save_monitoring_state(self, customer_id: str, state: dict[str, Any]) -> None:
        self._monitoring[customer_id] = copy.deepcopy(state)

    def count_grade(self, month: str, population: str, grade: str) -> None:
        counts = self._grades.setdefault((month, population), {})
        counts[grade] = counts.get(grade, 0) + 1

    def grade_counts(self, month: str, population: str) -> dict[str, int]:
        return dict(self._grades.get((month, population), {}))


class MemoryExternalRecords(ExternalRecordFeed):
    def __init__(self) -> None:
        self.records: dict[str, ExternalRecord] = {}

    def deliver(self, record: ExternalRecord) -> str:
        key = f"external/{record.source.value}/{uuid.uuid4().hex}.json"
        self.records[key] = copy.deepcopy(record)
        return key

    def read(self, key: str) -> ExternalRecord:
        if key not in self.records:
            raise NotFoundError("no such external record")
        return self.records[key]


class MemorySignIn(SignIn):
    def __init__(self) -> None:
        self.accounts: dict[str, tuple[str, tuple[str, ...]]] = {}

    def sign_in(self, username: str, password: str) -> OfficerSession:
        from chalicelib.domain.errors import SignInRefusedError

        if username not in self.accounts or self.accounts[username][0] != password:
            raise SignInRefusedError("the username or the password is wrong")
        return OfficerSession(username, self.accounts[username][1], f"token-of-{username}", 900, f"sub-{username}")


class MemoryCustomerRecords(CustomerRecords):
    """The bank's customer information system as a test sets it up: no record unless one is added."""

    def __init__(self) -> None:
        self.records: dict[str, CustomerRecord] = {}
        self.logins: dict[str, str] = {}
        self.expiry_notes: list[tuple[str, date | None]] = []

    def add(self, login: str, record: CustomerRecord) -> CustomerRecord:
        self.records[record.customer_number] = record
        self.logins[login] = record.customer_number
        return record

    def record_of_login(self, login: str) -> CustomerRecord | None:
        number = self.logins.get(login)
        return self.records.get(number) if number else None

    def record(self, customer_number: str) -> CustomerRecord | None:
        return self.records.get(customer_number)

    def customer_numbers(self, segment: int, segments: int) -> Iterator[str]:
        return iter([n for n in sorted(self.records) if int(n) % segments == segment])

    def note_id_card_expiry(self, customer_number: str, valid_until: date | None) -> None:
        self.expiry_notes.append((customer_number, valid_until))
        self.records[customer_number] = replace(self.records[customer_number], id_card_valid_until=valid_until)
