"""A drawdown: money taken from a credit line, paid to the customer's own account, booked as a loan.

Its id is chosen before anything happens and travels to the core banking system with the payment, so that after
a timeout the outcome can be asked for by that id instead of paying again.

Invariant: a drawdown only ever moves along an edge of ``ALLOWED_TRANSITIONS``, by one of its methods, and every
move records the event that says so. The repository stores what a method decided - the new status and its event,
conditioned on the status the move started from - and nothing else: two workers moving the same drawdown cannot
both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from . import events as ev
from .business_date import utcnow
from .errors import InvalidTransitionError
from .events import DomainEvent
from .masks import mask_account
from .money import Money
from .repayment_method import RepaymentMethod


class DrawdownStatus(StrEnum):
    AWAITING_APPROVAL = "AWAITING_APPROVAL"  # the line has an ORANGE early warning: an officer decides first
    REQUESTED = "REQUESTED"  # accepted by the API, workflow started
    RESERVED = "RESERVED"  # limit reserved atomically
    DISBURSED = "DISBURSED"  # core banking paid the customer
    BOOKED = "BOOKED"  # loan and schedule booked (the workflow's next step tells the customer)
    REJECTED = "REJECTED"  # a rule refused it before any reservation
    FAILED = "FAILED"  # payout refused; the reservation was released


D = DrawdownStatus

# The one table of allowed moves; anything else is refused with InvalidTransitionError.
ALLOWED_TRANSITIONS: dict[DrawdownStatus, frozenset[DrawdownStatus]] = {
    D.AWAITING_APPROVAL: frozenset({D.REQUESTED, D.REJECTED}),  # an officer approves or declines
    D.REQUESTED: frozenset({D.RESERVED, D.REJECTED}),  # the limit is reserved, or a rule refuses it
    D.RESERVED: frozenset({D.DISBURSED, D.FAILED}),  # paid, or refused by the core and the reservation released
    D.DISBURSED: frozenset({D.BOOKED}),  # money moved: the loan is booked, whatever happens next
    D.BOOKED: frozenset(),
    D.REJECTED: frozenset(),
    D.FAILED: frozenset(),
}
TERMINAL = frozenset(s for s, nxt in ALLOWED_TRANSITIONS.items() if not nxt)

DECLINED_BY_OFFICER = "DECLINED_BY_OFFICER"
# what the app offers next, and the words beside it: domain/drawdown_outcomes.py


@dataclass(frozen=True)
class DrawdownSummary:
    """A drawdown as a list shows it: the account only masked, so that a list opens no envelope."""

    drawdown_id: str
    credit_line_id: str
    customer_id: str
    amount: Money
    term_months: int
    repayment_method: RepaymentMethod
    account_masked: str
    status: DrawdownStatus
    loan_id: str | None
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass
class Drawdown:
    drawdown_id: str
    credit_line_id: str
    customer_id: str
    amount: Money
    term_months: int
    repayment_method: RepaymentMethod
    account_no: str
    request_hash: str
    status: DrawdownStatus = DrawdownStatus.REQUESTED
    loan_id: str | None = None
    core_reference: str | None = None
    failure_reason: str | None = None
    payout_started_at: datetime | None = None  # the payout was claimed while the line was ACTIVE (see disburse)
    version: int = 0
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    # not stored: the events of the moves not yet saved, and the status the last move started from (the
    # repository's condition)
    pending_events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)
    moved_from: DrawdownStatus | None = field(default=None, repr=False, compare=False)

    @property
    def account_masked(self) -> str:
        return mask_account(self.account_no)

    def summary(self) -> DrawdownSummary:
        return DrawdownSummary(self.drawdown_id, self.credit_line_id, self.customer_id, self.amount, self.term_months,
                               self.repayment_method, self.account_masked, self.status, self.loan_id,
                               self.failure_reason, self.created_at, self.updated_at)

    # ---- construction --------------------------------------------------------------------------------
    @classmethod
    def request(cls, *, drawdown_id: str, customer_id: str, credit_line_id: str, amount: Money, term_months: int,
                repayment_method: RepaymentMethod, account_no: str, request_hash: str,
                held_by_warning: str | None = None) -> Drawdown:
        """A customer's request, accepted by the rules. Held for an officer when an ORANGE (or worse) warning is
        open on the line: no money moves until one approves."""
        status = D.AWAITING_APPROVAL if held_by_warning else D.REQUESTED
        dd = cls(drawdown_id=drawdown_id, credit_line_id=credit_line_id, customer_id=customer_id, amount=amount,
                 term_months=term_months, repayment_method=repayment_method, account_no=account_no,
                 request_hash=request_hash, status=status)
        details: dict[str, Any] = {"credit_line_id": credit_line_id, "amount_fen": amount.fen,
                                   "term_months": term_months}
        if held_by_warning:
            details["awaits_approval_for_warning"] = held_by_warning
        dd._record(ev.DRAWDOWN_AWAITS_APPROVAL if held_by_warning else ev.DRAWDOWN_REQUESTED,
                   f"customer:{customer_id}", details)
        return dd

    # ---- the moves -----------------------------------------------------------------------------------
    def approve(self, officer_id: str, comment: str) -> None:
        self._move(D.REQUESTED, ev.DRAWDOWN_APPROVED, f"officer:{officer_id}", {"by": officer_id, "comment": comment},
                   only_from=D.AWAITING_APPROVAL)

    def decline(self, officer_id: str, comment: str) -> None:
        self._move(D.REJECTED, ev.DRAWDOWN_DECLINED, f"officer:{officer_id}", {"by": officer_id, "comment": comment},
                   only_from=D.AWAITING_APPROVAL)
        self.failure_reason = DECLINED_BY_OFFICER

    def reserve(self, actor: str) -> None:
        self._move(D.RESERVED, ev.LIMIT_RESERVED, actor, {"amount_fen": self.amount.fen})

    def reject(self, reason: str, actor: str) -> None:
        """A rule refused it before anything was reserved."""
        self._move(D.REJECTED, ev.DRAWDOWN_REJECTED, actor, {"reason": reason}, only_from=D.REQUESTED)
        self.failure_reason = reason

    def start_payout(self, actor: str, at: datetime) -> bool:
        """The payout begins (the repository stores it only while the line is ACTIVE, so a freeze recorded first
        stops it). False when an earlier attempt had begun it: nothing to record again."""
        if self.payout_started_at is not None:
            return False
        if self.status is not D.RESERVED:
            raise InvalidTransitionError(f"drawdown is {self.status}, not reserved", {"status": self.status.value})
        self.payout_started_at = at
        self._record(ev.PAYOUT_STARTED, actor, {})
        return True

    def disbursed(self, core_reference: str, actor: str) -> None:
        self._move(D.DISBURSED, ev.FUNDS_DISBURSED, actor,
                   {"amount_fen": self.amount.fen, "core_reference": core_reference})
        self.core_reference = core_reference

    def release(self, reason: str, actor: str) -> None:
        """The core refused the payout for good: the reservation goes back to the line."""
        self._move(D.FAILED, ev.RESERVATION_RELEASED, actor, {"amount_fen": self.amount.fen, "reason": reason})
        self.failure_reason = reason

    def book(self, loan_id: str, actor: str, data: dict[str, Any] | None = None) -> None:
        self._move(D.BOOKED, ev.LOAN_BOOKED, actor, {"loan_id": loan_id, **(data or {})})
        self.loan_id = loan_id

    def needs_attention(self, reason: str, actor: str) -> None:
        """A workflow step failed for good. The status stays (money may have moved); operations look at it."""
        self.failure_reason = reason
        self.updated_at = utcnow()
        self._record(ev.DRAWDOWN_NEEDS_ATTENTION, actor, {"reason": reason})

    def can_move_to(self, target: DrawdownStatus) -> bool:
        return target in ALLOWED_TRANSITIONS[self.status]

    def _move(self, target: DrawdownStatus, event_name: str, actor: str, data: dict[str, Any],
              only_from: DrawdownStatus | None = None) -> None:
        """``only_from``: where two moves reach the same status, each from its own (an officer declines a held
        drawdown; a rule rejects a requested one)."""
        if not self.can_move_to(target) or only_from not in (None, self.status):
            raise InvalidTransitionError(f"drawdown is {self.status}, it cannot become {target}",
                                         {"status": self.status.value, "requested": target.value})
        self.moved_from, self.status = self.status, target
        self.updated_at = utcnow()
        self._record(event_name, actor, data)

    def _record(self, name: str, actor: str, data: dict[str, Any]) -> None:
        self.pending_events.append(DomainEvent(name=name, aggregate_id=self.drawdown_id, actor=actor, data=data))
