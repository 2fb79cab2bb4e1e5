"""A loan booked from a drawdown, its repayment schedule (and the schedule after a part prepayment) and its APR.

Interest convention (the PBoC's 《人民币利率管理规定》, documented in the README): the daily rate is the annual
rate / 360 and the monthly rate the annual rate / 12, i.e. a whole month counts as 30 days whatever its length.
A whole-month period accrues outstanding x annual / 12; a broken period (an early repayment, a period shortened
by a part prepayment, days late) accrues outstanding x annual / 360 x actual days. Every figure is rounded half
up to the fen; the last instalment absorbs every rounding remainder so that the principal parts sum exactly to
the amount lent. Due dates fall on the drawdown's day of month, or the month's last day when the month is
shorter (31 Jan -> 28/29 Feb -> 31 Mar).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, getcontext
from enum import StrEnum
from typing import Any

from .business_date import utcnow
from .errors import InvalidTransitionError, ValidationError
from .money import Money
from .pricing import Fee, PriceDisclosure, disclose, irr_annual
from .repayment_method import RepaymentMethod

getcontext().prec = 34


class LoanStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


# A loan's one move: ACTIVE -> CLOSED when its last fen of principal is repaid (Loan.status_after_repaying). Lateness
# is not a status (overdue_since, days past due, the five-category review say it); a closed loan takes nothing.
ALLOWED_TRANSITIONS: dict[LoanStatus, frozenset[LoanStatus]] = {
    LoanStatus.ACTIVE: frozenset({LoanStatus.CLOSED}),
    LoanStatus.CLOSED: frozenset(),
}


def loan_next_action(status: LoanStatus, days_past_due: int) -> str:
    if status is LoanStatus.CLOSED:
        return "NONE"
    return "REPAY_OVERDUE" if days_past_due > 0 else "PAY_NEXT_INSTALMENT"


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    principal: Money
    interest: Money

    @property
    def total(self) -> Money:
        return self.principal + self.interest


@dataclass(frozen=True)
class RepaymentClaim:
    """One repayment of a loan at a time between the core's collection and its booking. The claim carries the
    repayment record fixed before collecting (amounts, kind), so whoever finds it - the retry, another device,
    the daily run - books exactly what the core collected under ``repayment_id``, or releases the claim when the
    core collected nothing."""

    repayment_id: str
    claimed_at: datetime
    pending: dict[str, Any]


@dataclass(frozen=True)
class LoanReview:
    """The daily sweep's view of a loan: its five-category classification (domain/classification.py), its
    delinquency bucket, the worst days past due it ever reached (vintage curves count loans ever 30+), and the
    bucket it started the month in (roll rates compare it with today's)."""

    loan_class: str = "NORMAL"
    bucket: str = "CURRENT"
    worst_dpd: int = 0
    roll_month: str = ""  # YYYY-MM of the last review
    roll_start_bucket: str = "CURRENT"  # the bucket at the end of the month before roll_month


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
    interest_paid_to: date | None = None  # set by a part prepayment: interest is settled up to that day
    accrued_through: int = 0  # instalments whose interest has been accrued in the ledger (once each, in order)
    claim: RepaymentClaim | None = None  # a repayment between collection and booking (see RepaymentClaim)
    review: LoanReview = field(default_factory=lambda: LoanReview())  # what the daily sweep last concluded

    def status_after_repaying(self, principal: Money) -> LoanStatus:
        """What a repayment of ``principal`` leaves the loan: CLOSED exactly when it repays all that is owed. The
        repository stores this status with the repayment, conditioned on the outstanding principal read."""
        assert self.outstanding_principal is not None
        if self.status is LoanStatus.CLOSED:
            raise InvalidTransitionError("the loan is closed", {"status": self.status.value})
        if not Money.zero() < principal <= self.outstanding_principal:
            raise ValidationError("a repayment repays between one fen and what is owed",
                                  {"outstanding_fen": self.outstanding_principal.fen})
        return LoanStatus.CLOSED if principal == self.outstanding_principal else LoanStatus.ACTIVE

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

    def interest_settled_to(self) -> date:
        """The day up to which interest has been paid: the last collected due date, or a later part prepayment."""
        paid = self.schedule[self.instalments_paid - 1].due_date if self.instalments_paid else self.start_date
        return max(paid, self.interest_paid_to) if self.interest_paid_to else paid

    def due_unpaid(self, today: date) -> list[Instalment]:
        return [i for i in self.schedule[self.instalments_paid:] if i.due_date <= today]


def add_months(start: date, months: int) -> date:
    """Same day of month, clamped to the month's end (the anchor is always the start date, never the previous
    due date, so 31 Jan -> 29 Feb -> 31 Mar rather than drifting to the 29th)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _round(amount: Decimal) -> Money:
    return Money(int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


DAYS_PER_YEAR = Decimal(360)
MONTHS_PER_YEAR = Decimal(12)


def build_schedule(principal: Money, annual_rate: Decimal, term_months: int, method: RepaymentMethod,
                   start: date) -> tuple[Instalment, ...]:
    if term_months <= 0 or not principal.is_positive():
        raise ValueError("a schedule needs a positive principal and term")
    return _amortise(principal, annual_rate, method, [add_months(start, n) for n in range(1, term_months + 1)])


def _amortise(principal: Money, annual_rate: Decimal, method: RepaymentMethod, due_dates: list[date],
              first_period_days: int | None = None, first_number: int = 1) -> tuple[Instalment, ...]:
    """Instalments over ``due_dates``. The first period is a whole month unless ``first_period_days`` says it is
    a broken one (after a part prepayment), which accrues at the daily rate for those days."""
    r = annual_rate / MONTHS_PER_YEAR
    term = len(due_dates)
    balance = principal
    rows: list[Instalment] = []
    if method is RepaymentMethod.EQUAL_INSTALMENT and r > 0:
        growth = (1 + r) ** term
        payment = _round(Decimal(principal.fen) * r * growth / (growth - 1))
    for n, due in enumerate(due_dates, start=1):
        if n == 1 and first_period_days is not None:
            interest = _round(Decimal(balance.fen) * annual_rate * first_period_days / DAYS_PER_YEAR)
        else:
            interest = _round(balance.times_rate(r))
        if n == term:
            part = balance
        elif method is RepaymentMethod.EQUAL_INSTALMENT:
            part = payment - interest if r > 0 else _round(Decimal(principal.fen) / term)
        elif method is RepaymentMethod.EQUAL_PRINCIPAL:
            part = _round(Decimal(principal.fen) / term)
        else:  # INTEREST_FIRST: interest every month, the principal with the last instalment
            part = Money.zero()
        part = min(part, balance)  # a short first period never makes a part larger than what is owed
        rows.append(Instalment(first_number + n - 1, due, part, interest))
        balance = balance - part
    assert balance == Money.zero()
    return tuple(rows)


def reschedule(loan: Loan, today: date, balance: Money) -> tuple[Instalment, ...]:
    """The schedule after a part prepayment on ``today``: paid instalments unchanged; the remaining ones keep
    their due dates and method and are re-amortised on the lower balance (lower instalments, same end date).
    The first remaining period accrues only from today, as the prepayment settled the interest up to today."""
    remaining = [i.due_date for i in loan.schedule[loan.instalments_paid:]]
    kept = loan.schedule[:loan.instalments_paid]
    return kept + _amortise(balance, loan.annual_rate, loan.repayment_method, remaining,
                            first_period_days=(remaining[0] - today).days, first_number=loan.instalments_paid + 1)


def apr(loan: Loan) -> Decimal:
    """Annual percentage rate by IRR over the schedule's monthly cash flows (the PBoC's 2021 notice on showing
    the annualised rate), without fees: monthly IRR x 12, to 4 decimal places. The price with the product's fees
    is domain/pricing.py's ``disclose``."""
    return irr_annual(loan.principal.fen, [i.total.fen for i in loan.schedule])


def price_of(loan: Loan, fees: tuple[Fee, ...]) -> PriceDisclosure:
    """The loan's 年化利率 and 综合融资成本 under these fees (its product's)."""
    return disclose(loan.principal, loan.annual_rate, [i.total for i in loan.schedule], fees)
