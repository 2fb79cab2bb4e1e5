"""A revolving credit line.

Invariant: ``0 <= available <= limit`` and ``available + reserved + outstanding principal == limit``.
The domain states it; the repository enforces it on every write with a DynamoDB condition expression, because
two Lambdas may draw on the same line at the same moment and only the database sees both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from . import events as ev
from .business_date import utcnow
from .errors import (
    CreditLimitExceededError,
    CreditLineInUseError,
    CreditLineNotActiveError,
    DrawdownRuleViolatedError,
    InvalidTransitionError,
    ValidationError,
)
from .masks import mask_account
from .money import Money
from .repayment_method import RepaymentMethod


class CreditLineStatus(StrEnum):
    ACTIVE = "ACTIVE"
    FROZEN = "FROZEN"
    EXPIRED = "EXPIRED"
    CLOSED = "CLOSED"


# What the app offers next for a line in each status (the application, drawdown and loan have the same).
NEXT_ACTION: dict[CreditLineStatus, str] = {
    CreditLineStatus.ACTIVE: "DRAW_FUNDS",
    CreditLineStatus.FROZEN: "READ_NOTICE",  # the line's notice says why and whom to call
    CreditLineStatus.EXPIRED: "APPLY_AGAIN",
    CreditLineStatus.CLOSED: "NONE",
}


# The moves a line's status may make; any other is refused before anything is written (the application and the
# drawdown have tables of their own). A "move" to the same status records its event and changes the limit or
# nothing else (a line created frozen, a limit cut that leaves the status as it was).
LINE_MOVES: dict[CreditLineStatus, frozenset[CreditLineStatus]] = {
    CreditLineStatus.ACTIVE: frozenset({CreditLineStatus.FROZEN, CreditLineStatus.EXPIRED, CreditLineStatus.CLOSED}),
    CreditLineStatus.FROZEN: frozenset({CreditLineStatus.ACTIVE, CreditLineStatus.EXPIRED, CreditLineStatus.CLOSED}),
    CreditLineStatus.EXPIRED: frozenset({CreditLineStatus.CLOSED}),
    CreditLineStatus.CLOSED: frozenset(),
}


def check_line_move(current: CreditLineStatus, new: CreditLineStatus) -> None:
    if new is not current and new not in LINE_MOVES[current]:
        raise InvalidTransitionError(f"a credit line cannot go from {current.value} to {new.value}",
                                     {"from": current.value, "to": new.value})


def status_when_overdue(current: CreditLineStatus) -> CreditLineStatus:
    """A loan falls overdue: an active line is frozen until it is caught up; a frozen, expired or closed one keeps
    its status (an expired line is never frozen back to life)."""
    return CreditLineStatus.FROZEN if current is CreditLineStatus.ACTIVE else current


@dataclass(frozen=True)
class LineChange:
    """What the line decided, for the store to write: the status moves only from ``expected`` (the status it was
    read in: a freeze does not reopen a closed line, an unfreeze does not undo a freeze for overdue) to ``new``,
    the limit and the available amount fall by ``reduction_fen`` (refused by the store if less is available), and
    the event goes into the line's history - all in the transaction of the warning, loan or repayment that caused
    it. Made by the line's methods below; the table above is checked again here, so no adapter can be handed a
    move it does not allow."""

    credit_line_id: str
    expected: CreditLineStatus
    new: CreditLineStatus
    event: ev.DomainEvent
    reduction_fen: int = 0

    def __post_init__(self) -> None:
        check_line_move(self.expected, self.new)
        if self.reduction_fen < 0:
            raise ValueError("a limit reduction is a positive amount")


@dataclass
class CreditLine:
    credit_line_id: str
    customer_id: str
    application_id: str
    limit: Money
    available: Money
    annual_rate: Decimal
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    payout_account_no: str
    valid_until: datetime
    product_code: str  # the catalogue's (domain/products.py): the line's product decides its drawdowns' rules
    status: CreditLineStatus = CreditLineStatus.ACTIVE
    version: int = 0
    created_at: datetime = field(default_factory=utcnow)

    def is_usable(self, now: datetime) -> bool:
        return self.status is CreditLineStatus.ACTIVE and now < self.valid_until

    def covers(self, amount: Money) -> bool:
        return amount <= self.available

    def reservation_refusal(self, amount: Money, now: datetime) -> DrawdownRuleViolatedError | None:
        """Why ``amount`` cannot be reserved on this line now, or None: the one statement of the rule. The drawdown
        rules ask it for a clear answer before anything is written; the repository enforces the same rule
        atomically (DynamoDB's condition ``available_fen >= :amount AND status = ACTIVE AND valid_until > :now``)
        and, when that condition cancels a reservation, asks this method - on the line read again - to say why."""
        if not self.is_usable(now):
            return CreditLineNotActiveError("the credit line is not active", {"status": self.status_at(now).value})
        if not self.covers(amount):
            return CreditLimitExceededError(f"only {self.available} is available",
                                            {"available_fen": self.available.fen})
        return None

    def status_at(self, now: datetime) -> CreditLineStatus:
        return shown_status(self.status, self.valid_until, now)

    @property
    def payout_account_masked(self) -> str:
        return mask_account(self.payout_account_no)

    def summary(self) -> CreditLineSummary:
        return CreditLineSummary(
            self.credit_line_id, self.customer_id, self.limit, self.available, self.annual_rate, self.term_months,
            self.repayment_methods, self.payout_account_masked, self.valid_until, self.product_code, self.status,
            self.created_at)

    @property
    def used(self) -> Money:
        return self.limit - self.available

    # ---- the moves, as the line decides them (each returns what the store writes in the cause's transaction) ----
    def freeze(self, event: ev.DomainEvent) -> LineChange | None:
        """A RED warning stops new drawdowns on an active line; a line in any other status is left as it is."""
        if self.status is not CreditLineStatus.ACTIVE:
            return None
        return LineChange(self.credit_line_id, self.status, CreditLineStatus.FROZEN, event)

    def unfreeze(self, event: ev.DomainEvent) -> LineChange | None:
        """The cause of a freeze is dealt with: a frozen line is given back; a line in any other status is not."""
        if self.status is not CreditLineStatus.FROZEN:
            return None
        return LineChange(self.credit_line_id, self.status, CreditLineStatus.ACTIVE, event)

    def fall_overdue(self, event: ev.DomainEvent) -> LineChange:
        """One of the line's loans is late: the line as a late loan leaves it (status_when_overdue)."""
        return LineChange(self.credit_line_id, self.status, status_when_overdue(self.status), event)

    def note(self, event: ev.DomainEvent) -> LineChange:
        """An event in the line's history that changes nothing else (acceleration proposed), written only while the
        line is still in the status it was read in."""
        return LineChange(self.credit_line_id, self.status, self.status, event)

    def cut_limit(self, new_limit: Money, event: ev.DomainEvent, give_back: bool) -> LineChange:
        """The limit lowered to ``new_limit``: below the present limit and never below what is drawn (the store's
        condition holds the same against a drawdown at that moment). ``give_back`` unfreezes a line frozen by the
        warning the cut settles."""
        if not self.used <= new_limit < self.limit:
            raise ValidationError("the new limit is below the present one and never below what is drawn",
                                  {"field": "new_limit_fen", "limit_fen": self.limit.fen, "drawn_fen": self.used.fen})
        after = CreditLineStatus.ACTIVE if give_back and self.status is CreditLineStatus.FROZEN else self.status
        return LineChange(self.credit_line_id, self.status, after, event, (self.limit - new_limit).fen)

    def check_can_close(self) -> None:
        """The customer may close the line once nothing is drawn, reserved or owed on it (final: a new line
        needs a new application)."""
        if self.status is CreditLineStatus.CLOSED:
            raise InvalidTransitionError("the credit line is already closed")
        if self.available != self.limit:
            raise CreditLineInUseError("repay every loan on the line before closing it",
                                       {"outstanding_fen": self.used.fen})


def opening_status(red_cause_standing: bool) -> CreditLineStatus:
    """A line opens ACTIVE, or FROZEN when a RED cause stands against its borrower at activation (a court record
    that froze her other lines does not let a new one pay out)."""
    return CreditLineStatus.FROZEN if red_cause_standing else CreditLineStatus.ACTIVE


def shown_status(status: CreditLineStatus, valid_until: datetime, now: datetime) -> CreditLineStatus:
    """What the customer is shown: a line past its validity is EXPIRED (no new drawdowns; its loans run on)
    without a write at midnight - the stored status changes only with freezes and closure."""
    if status is not CreditLineStatus.CLOSED and now >= valid_until:
        return CreditLineStatus.EXPIRED
    return status


@dataclass(frozen=True)
class CreditLineSummary:
    """A line as a list shows it: everything but the account number, which it carries only masked. A list of any
    length is then read with no envelope opened (the repository keeps the mask beside the sealed number)."""

    credit_line_id: str
    customer_id: str
    limit: Money
    available: Money
    annual_rate: Decimal
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    payout_account_masked: str
    valid_until: datetime
    product_code: str
    status: CreditLineStatus
    created_at: datetime

    def status_at(self, now: datetime) -> CreditLineStatus:
        return shown_status(self.status, self.valid_until, now)


# How each event in a line's history moves its available amount: (the data field with the amount, the sign).
_AVAILABLE_CHANGE = {ev.LIMIT_RESERVED: ("amount_fen", -1), ev.RESERVATION_RELEASED: ("amount_fen", 1),
                     ev.LOAN_REPAID: ("principal_fen", 1), ev.INSTALMENT_COLLECTED: ("principal_fen", 1),
                     ev.CREDIT_LINE_LIMIT_REDUCED: ("reduction_fen", -1)}


@dataclass(frozen=True)
class LineMovement:
    occurred_at: str
    event: str
    reference: str  # the drawdown or loan that moved the line
    available_change: Money  # signed
    status_after: CreditLineStatus | None  # set when the event changed the line's status


def line_history(events: list[dict[str, object]]) -> list[LineMovement]:
    """The line's history from the events written with each change, oldest first. Every change of the available
    amount is there because the event is written in the same transaction as the change."""
    out = []
    for e in sorted(events, key=lambda e: str(e["occurred_at"])):
        name, data = str(e["event"]), e.get("data") or {}
        assert isinstance(data, dict)
        field_name, sign = _AVAILABLE_CHANGE.get(name, ("", 0))
        change = Money(sign * int(data.get(field_name, 0))) if sign else Money(0)
        status = {ev.CREDIT_LINE_ACTIVATED: CreditLineStatus.ACTIVE, ev.LOAN_OVERDUE: CreditLineStatus.FROZEN,
                  ev.CREDIT_LINE_FROZEN: CreditLineStatus.FROZEN, ev.CREDIT_LINE_UNFROZEN: CreditLineStatus.ACTIVE,
                  ev.CREDIT_LINE_CLOSED: CreditLineStatus.CLOSED}.get(name)
        if data.get("line_unfrozen"):
            status = CreditLineStatus.ACTIVE
        if name == ev.CREDIT_LINE_ACTIVATED and data.get("status"):  # a line can be born FROZEN (known RED risk)
            status = CreditLineStatus(str(data["status"]))
        out.append(LineMovement(str(e["occurred_at"]), name, str(e.get("aggregate_id", "")), change, status))
    return out
