"""Scheduled auto-debit and overdue handling. Run daily by the EventBridge schedule (deployed) or, on
the local stage, by POST /v1/dev/auto-debit for a given date - the same function either way.

For every active loan, each instalment due on or before the run date first has its interest accrued in the
ledger (once, collected or not: interest is earned when it falls due), then is collected from the customer's own
account (once per loan and instalment: the collection id is derived from them). A collected instalment reduces
the loan, restores the line by its principal, and is booked in the ledger; a late one also pays default interest
(annual rate x DEFAULT_INTEREST_MULTIPLE / 360 per day late). A refused collection makes the loan overdue (days
past due count from the instalment's due date) and freezes the line until the customer is up to date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from ...domain import events as ev
from ...domain import ledger
from ...domain.credit_line import CreditLine
from ...domain.errors import RepaymentBeingBookedError, RepaymentRefusedError
from ...domain.events import DomainEvent
from ...domain.loan import Loan, RepaymentClaim
from ...domain.money import Money
from ...domain.repayment import SYSTEM_REPAYMENT_SCOPE, default_interest
from ...observability import logger, metrics
from ...ports import Clock, CoreBanking, LendingRepository
from ...settings import Settings
from .repayment_booking import INSTALMENT, book_collected, claim_is_stale, settle_claim
from .repayments import CLAIM_STALE_AFTER


class AutoDebitPorts(Protocol):
    """The ports the auto debit use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    clock: Clock
    core_banking: CoreBanking
    repo: LendingRepository
    settings: Settings


SYSTEM = "system:auto-debit"


def run_auto_debit(deps: AutoDebitPorts, today: date | None = None,
                   loans: Iterable[Loan] | None = None) -> dict[str, Any]:
    """``today`` is the business date (Beijing) of the injected clock unless a date is given (the dev route).
    ``loans``: the daily sweep's shard passes its own lines' loans; otherwise every active loan."""
    today = today or deps.clock.today()
    summary: dict[str, Any] = {"date": today.isoformat(), "collected": 0, "overdue": 0, "deferred": 0,
                               "booking_pending": 0, "claims_settled": 0, "loans": 0}
    now = deps.clock.now()
    for loan in deps.repo.active_loans() if loans is None else loans:
        summary["loans"] += 1
        if loan.claim is not None and claim_is_stale(loan, now, CLAIM_STALE_AFTER.total_seconds()):
            summary["claims_settled"] += settle_claim(deps, loan) != "pending"  # left by a crash: book or release
        _accrue_due_interest(deps, loan, today)
        for _ in range(len(loan.schedule)):  # bounded: at most one collection per instalment, never a loop
            loan = deps.repo.get_loan(loan.loan_id)
            due = loan.next_due()
            if due is None or due.due_date > today or loan.status.value != "ACTIVE":
                break
            outcome = _collect(deps, loan, today)
            summary[outcome] += 1
            if outcome != "collected":
                break
    logger.info("auto-debit run", extra=summary)
    return summary


def _accrue_due_interest(deps: AutoDebitPorts, loan: Loan, today: date) -> None:
    for instalment in loan.schedule[loan.accrued_through:]:
        if instalment.due_date > today:
            return
        txn = ledger.interest_accrual(f"acc_{loan.loan_id.removeprefix('loan_')}_{instalment.number:03d}",
                                      loan.loan_id, instalment.interest)
        if not deps.repo.accrue_interest(loan, instalment.number, txn):
            return  # another run accrued it meanwhile


def collection_id_for(loan: Loan, number: int) -> str:
    """The core's id of an instalment's collection: once per loan and instalment. It lives in the system's
    idempotency scope, apart from every customer's keys."""
    return f"ad_{loan.loan_id.removeprefix('loan_')}_{number:03d}"


def _collect(deps: AutoDebitPorts, loan: Loan, today: date) -> str:
    """collected; overdue (the core refused); deferred (another repayment of the loan is in progress: next
    run); booking_pending (collected, but the booking conflicted: the claim keeps it for the next run)."""
    due = loan.next_due()
    assert due is not None
    collection_id = collection_id_for(loan, due.number)
    if loan.claim is not None and loan.claim.repayment_id == collection_id:
        pending = loan.claim.pending  # this instalment's collection was interrupted: finish it as it was fixed
    elif loan.claim is not None:
        logger.info("a repayment of this loan is in progress; collected on the next run",
                    extra={"loan_id": loan.loan_id})
        return "deferred"
    else:
        days_late = max(0, (today - due.due_date).days)
        penalty = default_interest(due, loan.annual_rate, deps.settings.default_interest_multiple, days_late)
        interest = due.interest + penalty
        pending = {"kind": INSTALMENT, "scope": SYSTEM_REPAYMENT_SCOPE, "actor": SYSTEM,
                   "repayment_id": collection_id, "loan_id": loan.loan_id, "customer_id": loan.customer_id,
                   "idempotency_key": collection_id, "instalment": due.number, "days_late": days_late,
                   "quoted_total_fen": (due.principal + interest).fen, "principal_fen": due.principal.fen,
                   "interest_fen": interest.fen, "default_interest_fen": penalty.fen,
                   "total_fen": (due.principal + interest).fen, "as_of": today.isoformat(),
                   "loan_status": loan.status_after_repaying(due.principal).value}
        if not deps.repo.claim_repayment(loan, RepaymentClaim(collection_id, deps.clock.now(), pending)):
            return "deferred"
    line = deps.repo.get_credit_line(loan.credit_line_id)
    try:
        reference = deps.core_banking.collect(collection_id, line.payout_account_no,
                                              Money(int(pending["total_fen"])))
    except RepaymentRefusedError:
        deps.repo.release_repayment_claim(loan, collection_id)
        if loan.overdue_since is None:
            _mark_overdue(deps, loan, line, due.number, due.due_date)
        return "overdue"
    try:
        book_collected(deps, loan.loan_id, {**pending, "core_reference": reference})
    except RepaymentBeingBookedError:
        return "booking_pending"
    return "collected"


def _mark_overdue(deps: AutoDebitPorts, loan: Loan, line: CreditLine, instalment: int, due_date: date) -> None:
    """The loan late and its line as the domain says a late loan leaves it (an active line frozen), from the
    status read: if the line moved meanwhile (a warning froze it) it is read again once."""
    event = DomainEvent(ev.LOAN_OVERDUE, loan.loan_id, SYSTEM, {"instalment": instalment,
                                                                 "due_date": due_date.isoformat()})
    for _ in range(2):
        if deps.repo.mark_overdue(loan, due_date.isoformat(), line.fall_overdue(event)):
            metrics.add_metric(name="LoansOverdue", unit="Count", value=1)
            return
        line = deps.repo.get_credit_line(line.credit_line_id)
