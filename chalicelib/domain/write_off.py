"""Writing off a loan (核销): one officer proposes, a second, different one confirms; only a loan the bank has
classified 损失 (LOSS: more than 360 days past due under the 2023 Measures, or stricter settings) qualifies.

A setting (``write_off_single_officer_max_fen``) may let one officer write off a small loss alone; its default is
0, so every write-off needs two officers. Confirmed, the loan becomes WRITTEN_OFF: its principal and the interest
accrued on it leave the balance sheet against the loss allowance and enter the off-balance memorandum of
written-off claims. The claim on the borrower stands (核销不等于免除债务): later recoveries are credited to the
loan, replenish the allowance and reduce the memorandum. Her line is frozen (nothing new is lent), never
reopened by the write-off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from . import events as ev
from . import ledger
from .errors import InvalidTransitionError, SecondOfficerRequiredError, ValidationError
from .ledger import LedgerTransaction
from .loan import Loan, LoanStatus, check_loan_move
from .money import Money

WRITE_OFF_NOT_ELIGIBLE = "WRITE_OFF_NOT_ELIGIBLE"


class WriteOffStatus(StrEnum):
    PROPOSED = "PROPOSED"  # one officer proposed; a second confirms or declines
    CONFIRMED = "CONFIRMED"  # written off
    DECLINED = "DECLINED"


def check_eligible(loan: Loan) -> None:
    """Only a loss is written off: a current or merely late loan is refused before anything is written."""
    if loan.status is not LoanStatus.ACTIVE:
        raise InvalidTransitionError(f"the loan is {loan.status.value}", {"status": loan.status.value})
    if loan.review.loan_class != "LOSS":
        raise InvalidTransitionError("only a loan classified 损失 (loss) is written off",
                                     {"loan_class": loan.review.loan_class}, code=WRITE_OFF_NOT_ELIGIBLE)


@dataclass
class WriteOffProposal:
    loan_id: str
    customer_id: str
    credit_line_id: str
    reason: str
    amount_fen: int  # principal outstanding when proposed
    proposed_by: str
    proposed_at: datetime
    status: WriteOffStatus = WriteOffStatus.PROPOSED
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def propose(cls, loan: Loan, officer_id: str, reason: str, now: datetime) -> WriteOffProposal:
        reason = reason.strip()
        if len(reason) < 10:
            raise ValidationError("a write-off says why the loan is lost (the collection done, what is left)",
                                  {"field": "reason"})
        check_eligible(loan)
        assert loan.outstanding_principal is not None
        proposal = cls(loan.loan_id, loan.customer_id, loan.credit_line_id, reason, loan.outstanding_principal.fen,
                       officer_id, now)
        proposal.pending_events.append(ev.DomainEvent(
            ev.WRITE_OFF_PROPOSED, loan.loan_id, ev.officer_actor(officer_id),
            {"amount_fen": proposal.amount_fen, "reason": reason}, occurred_at=now))
        return proposal

    def needs_second_officer(self, single_officer_max_fen: int) -> bool:
        return self.amount_fen > single_officer_max_fen

    def confirm(self, officer_id: str, comment: str, now: datetime, single_officer_max_fen: int) -> None:
        """The second officer confirms (or, below the setting's amount, the proposer's own proposal stands)."""
        self._decide(officer_id, comment, now, single_officer_max_fen)
        self.status = WriteOffStatus.CONFIRMED

    def decline(self, officer_id: str, comment: str, now: datetime) -> None:
        self._decide(officer_id, comment, now, 0)
        self.status = WriteOffStatus.DECLINED
        self.pending_events.append(ev.DomainEvent(
            ev.WRITE_OFF_DECLINED, self.loan_id, ev.officer_actor(officer_id), {"comment": self.comment},
            occurred_at=now))

    def _decide(self, officer_id: str, comment: str, now: datetime, single_officer_max_fen: int) -> None:
        if self.status is not WriteOffStatus.PROPOSED:
            raise InvalidTransitionError("this write-off is decided already", {"status": self.status.value})
        if officer_id == self.proposed_by and self.needs_second_officer(single_officer_max_fen):
            raise SecondOfficerRequiredError("a second, different officer confirms a write-off",
                                             {"proposed_by_you": True})
        comment = comment.strip()
        if len(comment) < 4:
            raise ValidationError("a decision needs a comment that says why", {"field": "comment"})
        self.decided_by, self.decided_at, self.comment = officer_id, now, comment


@dataclass(frozen=True)
class LoanWriteOff:
    """What the confirmation writes with the loan's move to WRITTEN_OFF, in one transaction."""

    loan_id: str
    written_off_on: date
    written_off_fen: int
    ledger: tuple[LedgerTransaction, ...]
    event: ev.DomainEvent


def write_off(loan: Loan, proposal: WriteOffProposal, interest_receivable: Money, today: date,
              now: datetime) -> LoanWriteOff:
    """The loan off the balance sheet: ``interest_receivable`` is what the ledger holds accrued and unpaid on it."""
    if proposal.status is not WriteOffStatus.CONFIRMED:
        raise InvalidTransitionError("a write-off is booked once it is confirmed")
    check_eligible(loan)
    check_loan_move(loan.status, LoanStatus.WRITTEN_OFF)
    if loan.claim is not None:
        raise InvalidTransitionError("a repayment of this loan is being booked: try again in a minute",
                                     code="REPAYMENT_BEING_BOOKED")
    assert loan.outstanding_principal is not None
    principal = loan.outstanding_principal
    books = ledger.write_off(f"wo_{loan.loan_id.removeprefix('loan_')}", loan.loan_id, loan.principal_account,
                             principal, interest_receivable)
    total = principal + interest_receivable
    event = ev.DomainEvent(ev.LOAN_WRITTEN_OFF, loan.loan_id, ev.officer_actor(proposal.decided_by), {
        "principal_fen": principal.fen, "interest_fen": interest_receivable.fen, "proposed_by": proposal.proposed_by,
        "confirmed_by": proposal.decided_by}, occurred_at=now)
    return LoanWriteOff(loan.loan_id, today, total.fen, books, event)


@dataclass(frozen=True)
class Recovery:
    recovery_id: str
    amount: Money
    ledger: tuple[LedgerTransaction, ...]
    event: ev.DomainEvent


def recover(loan: Loan, recovery_id: str, amount: Money, actor: str, now: datetime) -> Recovery:
    """Money collected on a written-off loan, never more than is still owed on it."""
    if loan.status is not LoanStatus.WRITTEN_OFF:
        raise InvalidTransitionError("recoveries are recorded on a written-off loan", {"status": loan.status.value})
    if not Money.zero() < amount <= loan.written_off_balance:
        raise ValidationError("a recovery is between one fen and what is still owed",
                              {"field": "amount_fen", "owed_fen": loan.written_off_balance.fen})
    event = ev.DomainEvent(ev.WRITTEN_OFF_LOAN_RECOVERED, loan.loan_id, actor,
                           {"recovery_id": recovery_id, "amount_fen": amount.fen,
                            "owed_after_fen": loan.written_off_balance.fen - amount.fen}, occurred_at=now)
    return Recovery(recovery_id, amount, ledger.recovery(recovery_id, loan.loan_id, amount), event)
