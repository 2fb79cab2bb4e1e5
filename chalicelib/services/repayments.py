"""Early repayment, whole or part: a quote, then a repayment of exactly that amount with an Idempotency-Key.
The core debits the customer's own account once per repayment id (derived from the key, so a retry after a
crash asks the core for the same collection); then one DynamoDB transaction reduces the loan (and, for a part
prepayment, re-amortises the rest of its schedule), restores the line, accrues the broken period's interest and
books the repayment in the ledger, and writes the permanent idempotency record. A loan at zero is closed.
Only one repayment of a loan is between collection and booking at a time (a claim on the loan, released by the
booking transaction): a second device repaying at the same moment gets 409 REPAYMENT_IN_PROGRESS, not a second
debit."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from ..domain import events as ev
from ..domain import ledger
from ..domain.errors import (
    IdempotencyKeyReusedError,
    InvalidTransitionError,
    QuoteChangedError,
    RepaymentInProgressError,
    RepaymentRefusedError,
    ValidationError,
)
from ..domain.events import DomainEvent
from ..domain.loan import Loan, LoanStatus, RepaymentQuote, early_repayment_quote, reschedule
from ..domain.money import Money
from ..observability import metrics
from .deps import Dependencies
from .drawdowns import owned_line, owned_loan

# A claim older than this was left by a crash between collection and booking; a retry with the same key resumes
# it at once (same repayment id, same collection at the core). After this long another repayment may take the
# loan over, and the reconciliation report shows any collection that was never booked.
CLAIM_STALE_AFTER = timedelta(minutes=10)


def repayment_id_for(customer_id: str, idempotency_key: str) -> str:
    """The id the core collects under: derived from the key, so a retry asks for the same collection."""
    return "rp_" + hashlib.sha256(f"{customer_id}:{idempotency_key}".encode()).hexdigest()[:32]


def quote(deps: Dependencies, customer_id: str, loan_id: str,
          principal: Money | None = None) -> tuple[Loan, RepaymentQuote]:
    loan = owned_loan(deps, customer_id, loan_id)
    if loan.status is not LoanStatus.ACTIVE:
        raise InvalidTransitionError("the loan is closed", {"status": loan.status.value})
    return loan, early_repayment_quote(loan, deps.clock.now().date(), principal)


def repay(deps: Dependencies, customer_id: str, loan_id: str, idempotency_key: str,
          quoted_total_fen: int, principal_fen: int | None = None) -> dict[str, Any]:
    """``principal_fen`` None repays the whole loan; otherwise that much principal (a part prepayment)."""
    if not 8 <= len(idempotency_key) <= 64 or not idempotency_key.isascii():
        raise ValidationError("Idempotency-Key must be 8 to 64 ASCII characters (a UUID is ideal)")
    done = deps.repo.get_repayment(customer_id, idempotency_key)
    if done is not None:
        if (done["loan_id"] != loan_id or int(done["quoted_total_fen"]) != quoted_total_fen
                or done.get("requested_principal_fen", -1) != (-1 if principal_fen is None else principal_fen)):
            raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different repayment")
        return done
    loan, current = quote(deps, customer_id, loan_id, None if principal_fen is None else Money(principal_fen))
    if current.total.fen != quoted_total_fen:
        raise QuoteChangedError("the amount due has changed: ask for a new quote",
                                {"total_fen": current.total.fen})
    repayment_id = repayment_id_for(customer_id, idempotency_key)
    line = owned_line(deps, customer_id, loan.credit_line_id)
    # One repayment per loan between collection and booking: without this, two devices repaying at once would
    # both be debited for the same balance and only one could be booked.
    now = deps.clock.now()
    if not deps.repo.claim_repayment(loan, repayment_id, now, now - CLAIM_STALE_AFTER):
        again = deps.repo.get_repayment(customer_id, idempotency_key)
        if again is not None:  # this very repayment was booked meanwhile (a concurrent retry of the same key)
            return again
        if deps.repo.get_loan(loan_id).outstanding_principal != loan.outstanding_principal:
            raise QuoteChangedError("the loan changed meanwhile: ask for a new quote")
        raise RepaymentInProgressError("another repayment of this loan is being processed; try again shortly")
    try:
        reference = deps.core_banking.collect(repayment_id, line.payout_account_no, current.total)
    except RepaymentRefusedError:
        deps.repo.release_repayment_claim(loan, repayment_id)  # nothing was collected
        raise
    assert loan.outstanding_principal is not None
    whole = current.principal == loan.outstanding_principal
    record = {"repayment_id": repayment_id, "loan_id": loan_id, "customer_id": customer_id,
              "idempotency_key": idempotency_key, "quoted_total_fen": quoted_total_fen,
              "requested_principal_fen": -1 if principal_fen is None else principal_fen,
              "principal_fen": current.principal.fen, "interest_fen": current.interest.fen,
              "total_fen": current.total.fen, "core_reference": reference, "as_of": current.as_of.isoformat(),
              "loan_status": "CLOSED" if whole else "ACTIVE"}
    books = [txn for txn in (ledger.interest_accrual(f"acc_{repayment_id}", loan_id, current.interest),
                             ledger.repayment(repayment_id, loan_id, current.principal, current.interest)) if txn]
    event = DomainEvent(ev.LOAN_REPAID, loan_id, f"customer:{customer_id}",
                        {"repayment_id": repayment_id, "principal_fen": current.principal.fen,
                         "interest_fen": current.interest.fen, "part": not whole})
    schedule = None if whole else reschedule(loan, current.as_of, loan.outstanding_principal - current.principal)
    if not deps.repo.apply_repayment(loan, record, books, event, schedule=schedule,
                                     interest_paid_to="" if whole else current.as_of.isoformat()):
        again = deps.repo.get_repayment(customer_id, idempotency_key)
        if again is None:
            raise QuoteChangedError("the loan changed meanwhile: ask for a new quote")
        return again
    metrics.add_metric(name="RepaidPrincipalFen", unit="Count", value=current.principal.fen)
    return record
