"""Repayment schedules, one strategy per shape: 等额本息, 等额本金, 先息后本 (monthly interest, the principal at
maturity), 按季付息、到期还本 (the seasonal, balloon shape: interest each quarter, the principal in the maturity
month), each optionally after a grace period of interest-only months (a product's ``grace_months``).

Interest convention (the PBoC's 《人民币利率管理规定》): the daily rate is the annual rate / 360 and the monthly
rate the annual rate / 12, i.e. a whole month counts as 30 days whatever its length. A whole period of m months
accrues outstanding x annual x m / 12; a broken period (a part prepayment, a restructuring after one) accrues
outstanding x annual / 360 x actual days. Every figure is rounded half up to the fen; the last instalment absorbs
every rounding remainder so that the principal parts sum exactly to the amount lent. Due dates fall on the
drawdown's day of month, or the month's last day when the month is shorter (31 Jan -> 28/29 Feb -> 31 Mar).

A new shape is one more ``ScheduleStrategy`` in ``STRATEGIES`` (and its ``RepaymentMethod``); a product offers
the shapes it wants by naming them in the catalogue."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .money import Money
from .repayment_method import RepaymentMethod

DAYS_PER_YEAR = Decimal(360)
MONTHS_PER_YEAR = Decimal(12)


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
class Period:
    """One instalment's period: when it falls due and how many whole months it accrues (1 monthly, 3 a quarter,
    fewer for the last of a term that is not whole quarters)."""

    due_date: date
    months: int


def add_months(start: date, months: int) -> date:
    """Same day of month, clamped to the month's end (the anchor is always the start date, never the previous
    due date, so 31 Jan -> 29 Feb -> 31 Mar rather than drifting to the 29th)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, later: date) -> int:
    return (later.year - start.year) * 12 + later.month - start.month


def rounded(amount: Decimal) -> Money:
    return Money(int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


class ScheduleStrategy:
    """How one repayment method spreads the principal over its periods. ``period_months``: how often it is paid
    (the last period of a term ends at maturity)."""

    period_months = 1

    def periods(self, start: date, first_month: int, last_month: int) -> list[Period]:
        """The periods ending in months first_month..last_month after ``start`` (every ``period_months``, and
        the last at ``last_month``)."""
        ends = list(range(first_month - 1 + self.period_months, last_month, self.period_months))
        ends.append(last_month)
        previous = first_month - 1
        out = []
        for end in ends:
            out.append(Period(add_months(start, end), end - previous))
            previous = end
        return out

    def parts(self, principal: Money, monthly_rate: Decimal, count: int) -> _Parts:
        raise NotImplementedError


class _Parts:
    """The principal part of each amortising period (the last one takes what is left)."""

    def part(self, interest: Money) -> Money:
        raise NotImplementedError


class _Fixed(_Parts):
    def __init__(self, amount: Money) -> None:
        self.amount = amount

    def part(self, interest: Money) -> Money:
        return self.amount


class _Annuity(_Parts):
    def __init__(self, payment: Money) -> None:
        self.payment = payment

    def part(self, interest: Money) -> Money:
        return self.payment - interest


class EqualInstalment(ScheduleStrategy):
    """等额本息: the same total each month (the annuity), interest falling and principal rising."""

    def parts(self, principal: Money, monthly_rate: Decimal, count: int) -> _Parts:
        if monthly_rate <= 0:
            return _Fixed(rounded(Decimal(principal.fen) / count))
        growth = (1 + monthly_rate) ** count
        return _Annuity(rounded(Decimal(principal.fen) * monthly_rate * growth / (growth - 1)))


class EqualPrincipal(ScheduleStrategy):
    """等额本金: the same principal each month, interest falling with the balance."""

    def parts(self, principal: Money, monthly_rate: Decimal, count: int) -> _Parts:
        return _Fixed(rounded(Decimal(principal.fen) / count))


class PrincipalAtMaturity(ScheduleStrategy):
    """Interest every period, the whole principal with the last instalment (先息后本 monthly; 按季付息 quarterly:
    a seasonal loan's maturity falls in the harvest month)."""

    def __init__(self, period_months: int) -> None:
        self.period_months = period_months

    def parts(self, principal: Money, monthly_rate: Decimal, count: int) -> _Parts:
        return _Fixed(Money.zero())


STRATEGIES: dict[RepaymentMethod, ScheduleStrategy] = {
    RepaymentMethod.EQUAL_INSTALMENT: EqualInstalment(),
    RepaymentMethod.EQUAL_PRINCIPAL: EqualPrincipal(),
    RepaymentMethod.INTEREST_FIRST: PrincipalAtMaturity(1),
    RepaymentMethod.INTEREST_QUARTERLY: PrincipalAtMaturity(3),
}


def schedule_periods(method: RepaymentMethod, start: date, term_months: int, grace_months: int = 0) -> list[Period]:
    """A new loan's periods: grace months (interest only, monthly) and then the method's own."""
    if term_months <= 0 or not 0 <= grace_months < term_months:
        raise ValueError("a schedule needs a positive term longer than its grace period")
    grace = [Period(add_months(start, n), 1) for n in range(1, grace_months + 1)]
    return grace + STRATEGIES[method].periods(start, grace_months + 1, term_months)


def amortise(principal: Money, annual_rate: Decimal, method: RepaymentMethod, periods: list[Period],
             interest_only: int = 0, first_period_days: int | None = None,
             first_number: int = 1) -> tuple[Instalment, ...]:
    """Instalments over ``periods``: the first ``interest_only`` of them repay no principal (a grace period), the
    rest by the method. The first period accrues whole months unless ``first_period_days`` says it is a broken
    one, which accrues at the daily rate for those days."""
    if principal.fen < 0 or not periods or not 0 <= interest_only < len(periods):
        raise ValueError("a schedule needs a principal and a period that repays it")
    monthly_rate = annual_rate / MONTHS_PER_YEAR
    rule = STRATEGIES[method].parts(principal, monthly_rate, len(periods) - interest_only)
    balance, rows = principal, []
    for n, period in enumerate(periods):
        if n == 0 and first_period_days is not None:
            interest = rounded(Decimal(balance.fen) * annual_rate * first_period_days / DAYS_PER_YEAR)
        else:
            interest = rounded(balance.times_rate(monthly_rate * period.months))
        if n == len(periods) - 1:
            part = balance
        elif n < interest_only:
            part = Money.zero()
        else:
            part = max(Money.zero(), min(rule.part(interest), balance))  # a short first period never overpays
        rows.append(Instalment(first_number + n, period.due_date, part, interest))
        balance = balance - part
    assert balance == Money.zero()
    return tuple(rows)


def month_offsets(schedule: tuple[Instalment, ...] | list[Instalment], start: date) -> list[int]:
    """In which month after the start each instalment falls (the IRR's cash-flow months)."""
    return [months_between(start, i.due_date) for i in schedule]
