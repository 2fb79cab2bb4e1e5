"""What a loan costs the customer, disclosed as the rules require it.

The PBoC's notice of 2021 (No. 3) requires every loan's price to be shown as an annualised rate computed on the
principal actually outstanding: the IRR of the real cash flows - what she receives, what she pays back, every
direct cost included - annualised (monthly IRR x 12). The 2025 internet-lending rules add the all-in cost,
综合融资成本: that rate, and the amount in yuan over the term (interest and fees).

Fees are the product's (``Product.fees``; none by default, so the rate shown equals the contract rate). A fee is
charged at payout (a share of the principal, 一次性服务费) or monthly (a share of the principal with each
instalment, 分期服务费). A simple-interest figure (total cost / principal / years) is also computed, because the
notice's own example contrasts it with the IRR: a monthly fee of 0.5% reads as "6% a year" and is close to 11%."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from .money import Money

MONTHS_PER_YEAR = 12


class FeeBasis(StrEnum):
    AT_PAYOUT = "AT_PAYOUT"  # a share of the principal, paid when the loan is paid out
    MONTHLY = "MONTHLY"  # a share of the original principal, paid with each instalment


class _Payable(Protocol):
    @property
    def due_date(self) -> date: ...

    @property
    def total(self) -> Money: ...


@dataclass(frozen=True)
class Fee:
    code: str
    name_zh: str
    basis: FeeBasis
    rate: Decimal  # of the principal

    def amounts(self, principal: Money, term_months: int) -> tuple[Money, tuple[Money, ...]]:
        """(at payout, each month's): integers of fen, rounded half up."""
        one = Money.from_decimal_fen(Decimal(principal.fen) * self.rate)
        if self.basis is FeeBasis.AT_PAYOUT:
            return one, (Money(0),) * term_months
        return Money(0), (one,) * term_months


@dataclass(frozen=True)
class PriceDisclosure:
    annual_rate: Decimal  # the contract's rate (on the outstanding principal)
    apr: Decimal  # 年化利率: the IRR of what she receives and pays, every fee included, annualised
    interest: Money
    fees: Money
    total_cost: Money  # 综合融资成本 in yuan over the term: interest and fees
    simple_annual_rate: Decimal  # total cost / principal / years: the misleading figure, shown beside the IRR

    @property
    def fee_free(self) -> bool:
        return not self.fees.is_positive()


def irr_annual(received: int, payments: list[int]) -> Decimal:
    """The annualised IRR (monthly IRR x 12, 4 places) of receiving ``received`` fen now and paying ``payments``
    fen at the end of each month. Bisection: the net present value falls as the rate rises."""
    def npv(rate: Decimal) -> Decimal:
        discount, factor, total = Decimal(1), 1 / (1 + rate), Decimal(-received)
        for flow in payments:  # one multiplication a month, not a power
            discount *= factor
            total += flow * discount
        return total

    low, high = Decimal(0), Decimal(1)
    for _ in range(48):  # 2^-48 is far below the 4 places shown
        mid = (low + high) / 2
        low, high = (mid, high) if npv(mid) > 0 else (low, mid)
    return (low * MONTHS_PER_YEAR).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def monthly_flows(instalments: Sequence[_Payable], start: date) -> list[int]:
    """What is paid at the end of each month after ``start``, in fen (zero in a month with no instalment, as
    between the quarters of a seasonal loan)."""
    flows: list[int] = []
    for row in instalments:
        month = (row.due_date.year - start.year) * 12 + row.due_date.month - start.month
        flows += [0] * (month - len(flows))
        flows[month - 1] += row.total.fen
    return flows


def disclose(principal: Money, annual_rate: Decimal, instalments: list[Money], fees: tuple[Fee, ...] = (),
             months: list[int] | None = None) -> PriceDisclosure:
    """The price of a loan of ``principal`` repaid by ``instalments`` (principal and interest), paid at the end
    of the ``months`` after the start (1, 2, 3, ... when not given: monthly), with the product's ``fees``. An
    upfront fee is taken from what she receives; a monthly one is added to each month's payment."""
    months = months or list(range(1, len(instalments) + 1))
    term = max(months)
    flows = [0] * term
    for amount, month in zip(instalments, months, strict=True):
        flows[month - 1] += amount.fen
    upfront, monthly = Money(0), [Money(0)] * term
    for fee in fees:
        at_payout, each = fee.amounts(principal, term)
        upfront = upfront + at_payout
        monthly = [a + b for a, b in zip(monthly, each, strict=True)]
    interest = Money(sum(i.fen for i in instalments) - principal.fen)
    fee_total = Money(upfront.fen + sum(m.fen for m in monthly))
    payments = [f + m.fen for f, m in zip(flows, monthly, strict=True)]
    total_cost = interest + fee_total
    years = Decimal(term) / MONTHS_PER_YEAR
    simple = (Decimal(total_cost.fen) / Decimal(principal.fen) / years).quantize(Decimal("0.0001"),
                                                                                  rounding=ROUND_HALF_UP)
    return PriceDisclosure(annual_rate, irr_annual(principal.fen - upfront.fen, payments), interest, fee_total,
                           total_cost, simple)
