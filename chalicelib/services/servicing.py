"""Scheduled auto-debit and overdue handling (issue 6). Run daily by the EventBridge schedule (deployed) or, on
the local stage, by POST /v1/dev/auto-debit for a given date - the same function either way.

For every active loan, each instalment due on or before the run date first has its interest accrued in the
ledger (once, collected or not: interest is earned when it falls due), then is collected from the customer's own
account (once per loan and instalment: the collection id is derived from them). A collected instalment reduces
the loan, restores the line by its principal, and is booked in the ledger; a late one also pays default interest
(annual rate x DEFAULT_INTEREST_MULTIPLE / 360 per day late). A refused collection makes the loan overdue (days
past due count from the instalment's due date) and freezes the line until the customer is up to date."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain import events as ev
from ..domain import ledger
from ..domain.errors import RepaymentRefusedError
from ..domain.events import DomainEvent
from ..domain.loan import Loan, default_interest
from ..domain.money import Money
from ..observability import logger, metrics
from .deps import Dependencies
from .repayments import CLAIM_STALE_AFTER

SYSTEM = "system:auto-debit"


def run_auto_debit(deps: Dependencies, today: date) -> dict[str, Any]:
    summary = {"collected": 0, "overdue": 0, "deferred": 0, "loans": 0}
    for loan in deps.repo.active_loans():
        summary["loans"] += 1
        _accrue_due_interest(deps, loan, today)
        while True:
            loan = deps.repo.get_loan(loan.loan_id)
            due = loan.next_due()
            if due is None or due.due_date > today:
                break
            outcome = _collect(deps, loan, today)
            summary[outcome] += 1
            if outcome != "collected":
                break
    logger.info("auto-debit run", extra={"date": today.isoformat(), **summary})
    return summary


def _accrue_due_interest(deps: Dependencies, loan: Loan, today: date) -> None:
    for instalment in loan.schedule[loan.accrued_through:]:
        if instalment.due_date > today:
            return
        txn = ledger.interest_accrual(f"acc_{loan.loan_id.removeprefix('loan_')}_{instalment.number:03d}",
                                      loan.loan_id, instalment.interest)
        if not deps.repo.accrue_interest(loan, instalment.number, txn):
            return  # another run accrued it meanwhile


def _collect(deps: Dependencies, loan: Loan, today: date) -> str:
    """collected; overdue (the core refused); deferred (a repayment of the loan is in progress: next run)."""
    due = loan.next_due()
    assert due is not None
    days_late = max(0, (today - due.due_date).days)
    penalty = default_interest(due, loan.annual_rate, deps.settings.default_interest_multiple, days_late)
    interest = due.interest + penalty
    collection_id = f"ad_{loan.loan_id.removeprefix('loan_')}_{due.number:03d}"
    line = deps.repo.get_credit_line(loan.credit_line_id)
    now = deps.clock.now()
    if not deps.repo.claim_repayment(loan, collection_id, now, now - CLAIM_STALE_AFTER):
        logger.info("a repayment of this loan is in progress; collected on the next run",
                    extra={"loan_id": loan.loan_id})
        return "deferred"
    try:
        reference = deps.core_banking.collect(collection_id, line.payout_account_no, due.principal + interest)
    except RepaymentRefusedError:
        deps.repo.release_repayment_claim(loan, collection_id)
        if loan.overdue_since is None:
            deps.repo.mark_overdue(loan, due.due_date.isoformat(), DomainEvent(
                ev.LOAN_OVERDUE, loan.loan_id, SYSTEM,
                {"instalment": due.number, "due_date": due.due_date.isoformat()}))
            metrics.add_metric(name="LoansOverdue", unit="Count", value=1)
        return "overdue"
    following = loan.instalments_paid + 1
    caught_up = following >= len(loan.schedule) or loan.schedule[following].due_date > today
    record = {"repayment_id": collection_id, "loan_id": loan.loan_id, "customer_id": loan.customer_id,
              "idempotency_key": collection_id, "quoted_total_fen": (due.principal + interest).fen,
              "principal_fen": due.principal.fen, "interest_fen": interest.fen, "default_interest_fen": penalty.fen,
              "total_fen": (due.principal + interest).fen, "core_reference": reference, "as_of": today.isoformat(),
              "loan_status": "CLOSED" if due.principal == loan.outstanding_principal else "ACTIVE"}
    # Only a loan that is catching up may unfreeze its line, and only if no other loan on the line is late:
    # the (scanning) look-up at the other loans runs in that rare case, not for every instalment collected.
    unfreeze = caught_up and loan.overdue_since is not None and not any(
        other.overdue_since for other in deps.repo.active_loans()
        if other.credit_line_id == loan.credit_line_id and other.loan_id != loan.loan_id)
    books = [txn for txn in (ledger.interest_accrual(f"acc_{collection_id}", loan.loan_id, Money.zero(), penalty),
                             ledger.repayment(collection_id, loan.loan_id, due.principal, interest)) if txn]
    deps.repo.apply_repayment(
        loan, record, books,
        DomainEvent(ev.INSTALMENT_COLLECTED, loan.loan_id, SYSTEM,
                    {"instalment": due.number, "days_late": days_late, "default_interest_fen": penalty.fen,
                     "principal_fen": due.principal.fen, "line_unfrozen": unfreeze}),
        instalments_paid=loan.instalments_paid + 1,
        overdue_since="" if caught_up else (loan.overdue_since.isoformat() if loan.overdue_since else ""),
        line_status="ACTIVE" if unfreeze else None)
    return "collected"
