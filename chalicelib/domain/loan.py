"""A loan booked from a drawdown, and its repayment schedule.

Convention (documented in the README): the periodic rate is the annual rate / 12; interest of a period is the
outstanding principal times that rate, rounded half up to the fen; the last instalment absorbs every rounding
remainder so that the principal parts sum exactly to the amount lent. Due dates fall on the drawdown's day of
month, or the month's last day when the month is shorter (31 Jan -> 28/29 Feb -> 31 Mar).
Issue 6 refines this (daily accrual at annual / 360, APR, fees); the invariants here stay.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, getcontext
from enum import StrEnum

from .application import RepaymentMethod
from .events import utcnow
from .money import Money

getcontext().prec = 34


class LoanStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    principal: Money
    interest: Money

    @property
    def total(self) -> Money:
        return self.principal + self.interest


@dataclass
class Loan:
    loan_id: str
    drawdown_id: str
    credit_line_id: str
    customer_id: str
    principal: Money
    annual_rate: Decimal
    term_months: int
    repayment_method: RepaymentMethod
    start_date: date
    schedule: tuple[Instalment, ...]
    status: LoanStatus = LoanStatus.ACTIVE
    outstanding_principal: Money | None = None
    created_at: datetime = field(default_factory=utcnow)
    instalments_paid: int = 0  # paid in order, by auto-debit
    overdue_since: date | None = None  # the due date of the oldest unpaid instalment, while one is late

    def next_due(self) -> Instalment | None:
        return self.schedule[self.instalments_paid] if self.instalments_paid < len(self.schedule) else None

    def days_past_due(self, today: date) -> int:
        return max(0, (today - self.overdue_since).days) if self.overdue_since else 0

    def __post_init__(self) -> None:
        if self.outstanding_principal is None:
            self.outstanding_principal = self.principal

    @property
    def total_interest(self) -> Money:
        return sum((i.interest for i in self.schedule), Money.zero())


def add_months(start: date, months: int) -> date:
    """Same day of month, clamped to the month's end (the anchor is always the start date, never the previous
    due date, so 31 Jan -> 29 Feb -> 31 Mar rather than drifting to the 29th)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _round(amount: Decimal) -> Money:
    return Money(int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def build_schedule(principal: Money, annual_rate: Decimal, term_months: int, method: RepaymentMethod,
                   start: date) -> tuple[Instalment, ...]:
    if term_months <= 0 or not principal.is_positive():
        raise ValueError("a schedule needs a positive principal and term")
    r = annual_rate / Decimal(12)
    balance = principal
    rows: list[Instalment] = []
    if method is RepaymentMethod.EQUAL_INSTALMENT and r > 0:
        growth = (1 + r) ** term_months
        payment = _round(Decimal(principal.fen) * r * growth / (growth - 1))
    for n in range(1, term_months + 1):
        interest = _round(balance.times_rate(r))
        last = n == term_months
        if last:
            part = balance
        elif method is RepaymentMethod.EQUAL_INSTALMENT:
            part = payment - interest if r > 0 else _round(Decimal(principal.fen) / term_months)
        elif method is RepaymentMethod.EQUAL_PRINCIPAL:
            part = _round(Decimal(principal.fen) / term_months)
        else:  # INTEREST_FIRST: interest every month, the principal with the last instalment
            part = Money.zero()
        rows.append(Instalment(n, add_months(start, n), part, interest))
        balance = balance - part
    assert balance == Money.zero()
    return tuple(rows)


@dataclass(frozen=True)
class RepaymentQuote:
    loan_id: str
    as_of: date
    principal: Money
    interest: Money
    days: int

    @property
    def total(self) -> Money:
        return self.principal + self.interest


def early_repayment_quote(loan: Loan, today: date) -> RepaymentQuote:
    """Full early repayment: the outstanding principal plus interest accrued since the last due date (or the
    start) at the daily rate annual / 360 (the convention of PBoC's interest rules), rounded half up to the fen.
    Assumes the instalments due so far were paid (scheduled auto-debit is issue 6's next part)."""
    assert loan.outstanding_principal is not None
    passed = [i.due_date for i in loan.schedule if i.due_date <= today]
    since = max(passed) if passed else loan.start_date
    days = max(0, (today - since).days)
    interest = _round(Decimal(loan.outstanding_principal.fen) * loan.annual_rate * days / Decimal(360))
    return RepaymentQuote(loan.loan_id, today, loan.outstanding_principal, interest, days)


def default_interest(instalment: Instalment, annual_rate: Decimal, multiple: Decimal, days_late: int) -> Money:
    """Penalty interest (罚息) on a late instalment's principal: annual rate x multiple / 360 per day late."""
    return _round(Decimal(instalment.principal.fen) * annual_rate * multiple * days_late / Decimal(360))
