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
from typing import Any, Protocol

from ...domain.errors import (
    IdempotencyKeyReusedError,
    InvalidTransitionError,
    QuoteChangedError,
    RepaymentInProgressError,
    RepaymentRefusedError,
)
from ...domain.idempotency import check_key
from ...domain.loan import Loan, LoanStatus, RepaymentClaim
from ...domain.money import Money
from ...domain.repayment import RepaymentQuote, customer_repayment_scope, early_repayment_quote
from ...ports import Clock, CoreBanking, LendingRepository
from .loans import owned_loan
from .repayment_booking import EARLY, book_collected, claim_is_stale, settle_claim


class RepaymentPorts(Protocol):
    """The ports the repayments use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    clock: Clock
    core_banking: CoreBanking
    repo: LendingRepository


# A claim older than this was left by a crash or by a booking that kept conflicting; a retry with the same key
# resumes it at once (same repayment id, same collection at the core). After this long the next repayment or the
# daily run settles it first: books it if the core collected under its id, releases it if not.
CLAIM_STALE_AFTER = timedelta(minutes=10)


def repayment_id_for(customer_id: str, idempotency_key: str) -> str:
    """The id the core collects under: derived from the key, so a retry asks for the same collection."""
    return "rp_" + hashlib.sha256(f"{customer_id}:{idempotency_key}".encode()).hexdigest()[:32]


def quote(deps: RepaymentPorts, customer_id: str, loan_id: str,
          principal: Money | None = None) -> tuple[Loan, RepaymentQuote]:
    return _quote_of(deps, owned_loan(deps, customer_id, loan_id), principal)


def _quote_of(deps: RepaymentPorts, loan: Loan, principal: Money | None) -> tuple[Loan, RepaymentQuote]:
    if loan.status is not LoanStatus.ACTIVE:
        raise InvalidTransitionError("the loan is closed", {"status": loan.status.value})
    return loan, early_repayment_quote(loan, deps.clock.today(), principal)


def repay(deps: RepaymentPorts, customer_id: str, loan_id: str, idempotency_key: str,
          quoted_total_fen: int, principal_fen: int | None = None) -> dict[str, Any]:
    """``principal_fen`` None repays the whole loan; otherwise that much principal (a part prepayment).
    The same request always gets the same answer: a key used before is answered from its record before any rule
    or quote is looked at (even once the loan is closed)."""
    check_key(idempotency_key)
    requested_principal = -1 if principal_fen is None else principal_fen
    done = deps.repo.get_repayment(customer_repayment_scope(customer_id), idempotency_key)
    if done is not None:
        _same_request(done, loan_id, quoted_total_fen, requested_principal)
        return done
    repayment_id = repayment_id_for(customer_id, idempotency_key)
    loan = owned_loan(deps, customer_id, loan_id)
    now = deps.clock.now()
    if loan.claim is not None and loan.claim.repayment_id == repayment_id:
        # this very repayment was interrupted (after collecting, perhaps): finish it with what it fixed then
        _same_request(loan.claim.pending, loan_id, quoted_total_fen, requested_principal)
        return _collect_and_book(deps, loan, loan.claim.pending)
    if loan.claim is not None and claim_is_stale(loan, now, CLAIM_STALE_AFTER.total_seconds()):
        settle_claim(deps, loan)  # an abandoned repayment: booked if the core collected it, else released
        loan = owned_loan(deps, customer_id, loan_id)
    loan, current = _quote_of(deps, loan, None if principal_fen is None else Money(principal_fen))
    if current.total.fen != quoted_total_fen:
        raise QuoteChangedError("the amount due has changed: ask for a new quote",
                                {"total_fen": current.total.fen})
    assert loan.outstanding_principal is not None
    pending = {"kind": EARLY, "scope": customer_repayment_scope(customer_id), "actor": f"customer:{customer_id}",
               "repayment_id": repayment_id, "loan_id": loan_id, "customer_id": customer_id,
               "idempotency_key": idempotency_key, "quoted_total_fen": quoted_total_fen,
               "requested_principal_fen": requested_principal,
               "principal_fen": current.principal.fen, "interest_fen": current.interest.fen,
               "total_fen": current.total.fen, "as_of": current.as_of.isoformat(),
               "loan_status": loan.status_after_repaying(current.principal).value}
    # One repayment per loan between collection and booking: without this, two devices repaying at once would
    # both be debited for the same balance and only one could be booked.
    if not deps.repo.claim_repayment(loan, RepaymentClaim(repayment_id, now, pending)):
        again = deps.repo.get_repayment(customer_repayment_scope(customer_id), idempotency_key)
        if again is not None:  # this very repayment was booked meanwhile (a concurrent retry of the same key)
            return again
        if deps.repo.get_loan(loan_id).outstanding_principal != loan.outstanding_principal:
            raise QuoteChangedError("the loan changed meanwhile: ask for a new quote")
        raise RepaymentInProgressError("another repayment of this loan is being processed; try again shortly")
    return _collect_and_book(deps, loan, pending)


def _same_request(record: dict[str, Any], loan_id: str, quoted_total_fen: int, requested_principal: int) -> None:
    if (record["loan_id"] != loan_id or int(record["quoted_total_fen"]) != quoted_total_fen
            or int(record.get("requested_principal_fen", -1)) != requested_principal):
        raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different repayment")


def _collect_and_book(deps: RepaymentPorts, loan: Loan, pending: dict[str, Any]) -> dict[str, Any]:
    line = deps.repo.get_credit_line(loan.credit_line_id)
    try:
        reference = deps.core_banking.collect(pending["repayment_id"], line.payout_account_no,
                                              Money(int(pending["total_fen"])))
    except RepaymentRefusedError:
        deps.repo.release_repayment_claim(loan, pending["repayment_id"])  # nothing was collected
        raise
    return book_collected(deps, loan.loan_id, {**pending, "core_reference": reference})
