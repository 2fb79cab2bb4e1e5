"""A loan booked from a drawdown, its repayment schedule (and the schedule after a part prepayment) and its APR.

The shapes of schedules and the interest convention (30/360, rounded half up to the fen, the last instalment
absorbing the remainders) are domain/schedules.py's; a loan keeps its method and grace months so that a part
prepayment or a restructuring re-amortises it in the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, getcontext
from enum import StrEnum
from typing import Any

from .business_date import utcnow
from .errors import InvalidTransitionError, ValidationError
from .ledger import loan_principal, restructured_loan_principal
from .money import Money
from .pricing import Fee, PriceDisclosure, disclose, irr_annual, monthly_flows
from .repayment_method import RepaymentMethod
from .schedules import Instalment, Period, amortise, month_offsets, months_between, schedule_periods

getcontext().prec = 34


class LoanStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"
    WRITTEN_OFF = "WRITTEN_OFF"  # 核销: off the balance sheet; the claim on the borrower stands, recoveries credited


# A loan's moves: ACTIVE -> CLOSED when its last fen of principal is repaid (Loan.status_after_repaying); ACTIVE ->
# WRITTEN_OFF when two officers confirm a loss (domain/write_off.py). Lateness is not a status (overdue_since, days
# past due, the five-category review say it), nor is a restructuring (a new schedule on an ACTIVE loan, observed for
# a year). A closed loan takes nothing; a written-off one takes only recoveries.
ALLOWED_TRANSITIONS: dict[LoanStatus, frozenset[LoanStatus]] = {
    LoanStatus.ACTIVE: frozenset({LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF}),
    LoanStatus.CLOSED: frozenset(),
    LoanStatus.WRITTEN_OFF: frozenset(),
}


def check_loan_move(current: LoanStatus, new: LoanStatus) -> None:
    if new not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransitionError(f"a loan cannot go from {current.value} to {new.value}",
                                     {"from": current.value, "to": new.value})


def loan_next_action(status: LoanStatus, days_past_due: int) -> str:
    if status is not LoanStatus.ACTIVE:
        return "NONE"
    return "REPAY_OVERDUE" if days_past_due > 0 else "PAY_NEXT_INSTALMENT"


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
    grace_months: int = 0  # the first months that repay no principal (the product's grace period)
    extended_months: int = 0  # months all its extensions added (term_months includes them)
    restructured_on: date | None = None  # the last restructuring (domain/restructuring.py)
    observed_until: date | None = None  # at least 关注 until then (12 months after the last restructuring)
    written_off_on: date | None = None
    written_off_fen: int = 0  # principal and accrued interest taken off the balance sheet
    recovered_fen: int = 0  # collected after the write-off

    @property
    def original_term(self) -> int:
        return self.term_months - self.extended_months

    @property
    def principal_account(self) -> str:
        """Where its principal is booked: a restructured loan's apart from performing ones (重组贷款)."""
        return restructured_loan_principal(self.loan_id) if self.restructured_on else loan_principal(self.loan_id)

    def under_observation(self, day: date) -> bool:
        return self.observed_until is not None and day < self.observed_until

    @property
    def written_off_balance(self) -> Money:
        return Money(self.written_off_fen - self.recovered_fen)

    def status_after_repaying(self, principal: Money) -> LoanStatus:
        """What a repayment of ``principal`` leaves the loan: CLOSED exactly when it repays all that is owed. The
        repository stores this status with the repayment, conditioned on the outstanding principal read."""
        assert self.outstanding_principal is not None
        if self.status is not LoanStatus.ACTIVE:
            raise InvalidTransitionError(f"the loan is {self.status.value.lower().replace('_', ' ')}",
                                         {"status": self.status.value})
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


def build_schedule(principal: Money, annual_rate: Decimal, term_months: int, method: RepaymentMethod,
                   start: date, grace_months: int = 0) -> tuple[Instalment, ...]:
    if term_months <= 0 or not principal.is_positive():
        raise ValueError("a schedule needs a positive principal and term")
    return amortise(principal, annual_rate, method, schedule_periods(method, start, term_months, grace_months),
                    interest_only=grace_months)


def new_loan(loan_id: str, drawdown_id: str, credit_line_id: str, customer_id: str, principal: Money,
             annual_rate: Decimal, term_months: int, method: RepaymentMethod, start: date,
             grace_months: int = 0) -> Loan:
    """A loan as a drawdown books it (or a quote shows it): its schedule in its product's shape."""
    return Loan(loan_id=loan_id, drawdown_id=drawdown_id, credit_line_id=credit_line_id, customer_id=customer_id,
                principal=principal, annual_rate=annual_rate, term_months=term_months, repayment_method=method,
                start_date=start, schedule=build_schedule(principal, annual_rate, term_months, method, start,
                                                          grace_months), grace_months=grace_months)


def remaining_periods(loan: Loan, rows: tuple[Instalment, ...]) -> list[Period]:
    """The periods of ``rows`` (the loan's remaining instalments), each as long as the schedule made it."""
    previous = loan.schedule[rows[0].number - 2].due_date if rows[0].number > 1 else loan.start_date
    out = []
    for row in rows:
        out.append(Period(row.due_date, max(1, months_between(previous, row.due_date))))
        previous = row.due_date
    return out


def reschedule(loan: Loan, today: date, balance: Money) -> tuple[Instalment, ...]:
    """The schedule after a part prepayment on ``today``: paid instalments unchanged; the remaining ones keep
    their due dates and method and are re-amortised on the lower balance (lower instalments, same end date; a
    grace month still to come stays interest-only). The first remaining period accrues only from today, as the
    prepayment settled the interest up to today."""
    rest = loan.schedule[loan.instalments_paid:]
    kept = loan.schedule[:loan.instalments_paid]
    return kept + amortise(balance, loan.annual_rate, loan.repayment_method, remaining_periods(loan, rest),
                           interest_only=max(0, loan.grace_months - loan.instalments_paid),
                           first_period_days=(rest[0].due_date - today).days, first_number=loan.instalments_paid + 1)


def apr(loan: Loan) -> Decimal:
    """Annual percentage rate by IRR over the schedule's monthly cash flows (the PBoC's 2021 notice on showing
    the annualised rate), without fees: monthly IRR x 12, to 4 decimal places. The price with the product's fees
    is domain/pricing.py's ``disclose``."""
    return irr_annual(loan.principal.fen, monthly_flows(loan.schedule, loan.start_date))


def price_of(loan: Loan, fees: tuple[Fee, ...]) -> PriceDisclosure:
    """The loan's 年化利率 and 综合融资成本 under these fees (its product's): the price of its principal over its
    schedule as drawn (or as a restructuring lengthened it). A part prepayment re-amortises the schedule on a lower
    balance, which priced against the principal drawn would read as a negative cost: the price is then the one
    the schedule of its terms had, as the drawdown disclosed it."""
    schedule = loan.schedule
    if sum(i.principal.fen for i in schedule) != loan.principal.fen:
        schedule = build_schedule(loan.principal, loan.annual_rate, loan.term_months, loan.repayment_method,
                                  loan.start_date, loan.grace_months)
    return disclose(loan.principal, loan.annual_rate, [i.total for i in schedule], fees,
                    month_offsets(schedule, loan.start_date))
