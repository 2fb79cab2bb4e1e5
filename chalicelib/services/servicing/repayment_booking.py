"""Collected means booked. Once the core has collected a repayment, this module books it - the loan reduced, the
line restored, the ledger written, the permanent record stored, in one transaction - and keeps trying until it
has, whoever started it.

A repayment is fixed before any money moves: its record (kind, amounts, date) rides on the loan's claim
(``RepaymentClaim``). After the core collects, the booking is attempted a few times, each time on a fresh read
of the loan (a conflict is usually a drawdown or a daily job touching the same line or loan at that moment). If
it still has not landed, the claim stays, with its record: the customer's retry with the same Idempotency-Key,
another device, or the next daily run finds the claim, asks the core whether it collected under that id, and
books exactly that record - or releases the claim when the core collected nothing. So the answer to a customer
whose account was debited is never "the quote changed"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from ...domain import events as ev
from ...domain import ledger
from ...domain.credit_line import LineChange
from ...domain.errors import RepaymentBeingBookedError
from ...domain.events import DomainEvent
from ...domain.ledger import LedgerTransaction
from ...domain.loan import Instalment, Loan, reschedule
from ...domain.money import Money
from ...observability import logger, metrics
from ...ports import CoreBanking, LendingRepository


class RepaymentBookingPorts(Protocol):
    """The ports the repayment booking use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    core_banking: CoreBanking
    repo: LendingRepository


EARLY, INSTALMENT = "EARLY_REPAYMENT", "INSTALMENT"
BOOKING_ATTEMPTS = 3


@dataclass(frozen=True)
class Booking:
    """What one repayment changes, computed from its record and the loan as it is now."""

    books: list[LedgerTransaction]
    event: DomainEvent
    instalments_paid: int | None = None
    overdue_since: str = ""
    line_change: LineChange | None = None
    schedule: tuple[Instalment, ...] | None = None
    interest_paid_to: str = ""


def book_collected(deps: RepaymentBookingPorts, loan_id: str, record: dict[str, Any]) -> dict[str, Any]:
    """Books a collected repayment (``record`` carries the core's reference). Returns the stored record; raises
    RepaymentBeingBookedError when it could not be booked now (the claim keeps it for the next attempt)."""
    for _ in range(BOOKING_ATTEMPTS):
        done = deps.repo.get_repayment(record["scope"], record["idempotency_key"])
        if done is not None:
            return done
        loan = deps.repo.get_loan(loan_id)
        booking = _booking(deps, loan, record)
        if deps.repo.apply_repayment(loan, record, booking.books, booking.event,
                                     loan.status_after_repaying(Money(int(record["principal_fen"]))),
                                     instalments_paid=booking.instalments_paid, overdue_since=booking.overdue_since,
                                     line_change=booking.line_change, schedule=booking.schedule,
                                     interest_paid_to=booking.interest_paid_to):
            metrics.add_metric(name="RepaidPrincipalFen", unit="Count", value=int(record["principal_fen"]))
            return record
    logger.warning("a collected repayment could not be booked yet; its claim keeps it",
                   extra={"loan_id": loan_id, "repayment_id": record["repayment_id"]})
    metrics.add_metric(name="RepaymentBookingPending", unit="Count", value=1)
    raise RepaymentBeingBookedError(
        "your payment was received and is being recorded: retry with the same Idempotency-Key to see it",
        {"repayment_id": record["repayment_id"]})


def settle_claim(deps: RepaymentBookingPorts, loan: Loan) -> str:
    """A claim left behind (a crash, or a booking that kept conflicting): booked if the core collected under its
    id, released if it did not. Returns "booked", "released" or "pending" (the booking still conflicts)."""
    claim = loan.claim
    assert claim is not None
    reference = deps.core_banking.collection_outcome(claim.repayment_id)
    if reference is None:
        deps.repo.release_repayment_claim(loan, claim.repayment_id)
        logger.info("a claim without a collection was released", extra={"loan_id": loan.loan_id})
        return "released"
    try:
        book_collected(deps, loan.loan_id, {**claim.pending, "core_reference": reference})
    except RepaymentBeingBookedError:
        return "pending"
    logger.info("a collected repayment left unbooked was booked", extra={"loan_id": loan.loan_id})
    return "booked"


def _booking(deps: RepaymentBookingPorts, loan: Loan, record: dict[str, Any]) -> Booking:
    if record["kind"] == INSTALMENT:
        return _instalment(deps, loan, record)
    return _early(loan, record)


def _early(loan: Loan, record: dict[str, Any]) -> Booking:
    assert loan.outstanding_principal is not None
    repayment_id = record["repayment_id"]
    principal, interest = Money(int(record["principal_fen"])), Money(int(record["interest_fen"]))
    as_of = date.fromisoformat(record["as_of"])
    whole = principal == loan.outstanding_principal
    books = [txn for txn in (ledger.interest_accrual(f"acc_{repayment_id}", loan.loan_id, interest),
                             ledger.repayment(repayment_id, loan.loan_id, principal, interest,
                                              loan.principal_account)) if txn]
    event = DomainEvent(ev.LOAN_REPAID, loan.loan_id, record["actor"],
                        {"repayment_id": repayment_id, "principal_fen": principal.fen,
                         "interest_fen": interest.fen, "part": not whole})
    if whole:
        return Booking(books, event)
    return Booking(books, event, schedule=reschedule(loan, as_of, loan.outstanding_principal - principal),
                   interest_paid_to=as_of.isoformat())


def _instalment(deps: RepaymentBookingPorts, loan: Loan, record: dict[str, Any]) -> Booking:
    collection_id = record["repayment_id"]
    today = date.fromisoformat(record["as_of"])
    principal, interest = Money(int(record["principal_fen"])), Money(int(record["interest_fen"]))
    penalty = Money(int(record["default_interest_fen"]))
    paid = int(record["instalment"])
    caught_up = paid >= len(loan.schedule) or loan.schedule[paid].due_date > today
    # Only a loan that is catching up may unfreeze its line, and only if no other loan on the line is late:
    # the (scanning) look-up at the other loans runs in that rare case, not for every instalment collected.
    unfreeze = caught_up and loan.overdue_since is not None and not any(
        other.overdue_since for other in deps.repo.active_loans()
        if other.credit_line_id == loan.credit_line_id and other.loan_id != loan.loan_id)
    books = [txn for txn in (ledger.interest_accrual(f"acc_{collection_id}", loan.loan_id, Money.zero(), penalty),
                             ledger.repayment(collection_id, loan.loan_id, principal, interest,
                                              loan.principal_account)) if txn]
    event = DomainEvent(ev.INSTALMENT_COLLECTED, loan.loan_id, record["actor"],
                        {"instalment": paid, "days_late": int(record["days_late"]),
                         "default_interest_fen": penalty.fen, "principal_fen": principal.fen,
                         "line_unfrozen": unfreeze})
    line = deps.repo.get_credit_line(loan.credit_line_id) if unfreeze else None
    change = None if line is None else line.unfreeze(event)  # from the status read
    return Booking(books, event, instalments_paid=paid,
                   overdue_since="" if caught_up else (loan.overdue_since.isoformat() if loan.overdue_since else ""),
                   line_change=change)


def claim_is_stale(loan: Loan, now: datetime, stale_after_seconds: float) -> bool:
    return loan.claim is not None and (now - loan.claim.claimed_at).total_seconds() >= stale_after_seconds
