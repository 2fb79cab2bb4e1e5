"""Price disclosure (PBoC 2021 No. 3; 综合融资成本): the annualised rate is the IRR of what the customer receives
and pays, every fee included, and the all-in cost is also given in yuan. One worked example per repayment method:
10,000 yuan over 12 months at 7.20%, without fees, with a 2% fee at payout and with a 0.5% monthly fee - where
the simple-interest figure (cost / principal / years) understates the price the IRR shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.loan import Loan, apr, build_schedule
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Fee, FeeBasis, disclose
from chalicelib.domain.repayment_method import RepaymentMethod as M
from tests.products import INCLUSIVE_BUSINESS_LOAN

PRINCIPAL, RATE = Money.yuan(10_000), Decimal("0.0720")
AT_PAYOUT = Fee("SERVICE_FEE", "服务费", FeeBasis.AT_PAYOUT, Decimal("0.02"))
MONTHLY = Fee("INSTALMENT_FEE", "分期服务费", FeeBasis.MONTHLY, Decimal("0.005"))


def float_irr(received: float, payments: list[float]) -> float:
    """An independent check: the same definition in floating point, by bisection on the monthly rate."""
    low, high = 0.0, 1.0
    for _ in range(100):
        mid = (low + high) / 2
        npv = -received + sum(p / (1 + mid) ** (k + 1) for k, p in enumerate(payments))
        low, high = (mid, high) if npv > 0 else (low, mid)
    return low * 12


@pytest.mark.parametrize("method, interest, apr_payout, apr_monthly", [
    (M.EQUAL_INSTALMENT, Money(39_428), "0.1101", "0.1787"),
    (M.EQUAL_PRINCIPAL, Money(39_000), "0.1105", "0.1798"),
    (M.INTEREST_FIRST, Money(72_000), "0.0930", "0.1320"),
])
def test_a_fee_moves_the_annualised_rate_and_the_all_in_cost(method: M, interest: Money, apr_payout: str,
                                                             apr_monthly: str) -> None:
    instalments = [i.total for i in build_schedule(PRINCIPAL, RATE, 12, method, date(2026, 1, 31))]
    plain = disclose(PRINCIPAL, RATE, instalments)
    assert (plain.apr, plain.interest, plain.fees, plain.total_cost) == (RATE, interest, Money(0), interest)
    assert plain.fee_free

    payout = disclose(PRINCIPAL, RATE, instalments, (AT_PAYOUT,))
    assert payout.apr == Decimal(apr_payout) and payout.fees == Money.yuan(200)
    assert payout.total_cost == interest + Money.yuan(200)
    flows = [i.fen for i in instalments]
    assert abs(float(payout.apr) - float_irr(PRINCIPAL.fen - 20_000, flows)) < 0.0001  # she receives 9,800 yuan

    monthly = disclose(PRINCIPAL, RATE, instalments, (MONTHLY,))
    assert monthly.apr == Decimal(apr_monthly) and monthly.fees == Money.yuan(600)  # 50 yuan a month, 12 months
    assert abs(float(monthly.apr) - float_irr(PRINCIPAL.fen, [f + 5_000 for f in flows])) < 0.0001
    # the notice's point: where principal is repaid along the way the simple figure reads far below what the money
    # really costs (9.94% against 17.87% for equal instalments); interest-first keeps it all out all year
    assert monthly.simple_annual_rate == (Decimal(monthly.total_cost.fen) / PRINCIPAL.fen).quantize(Decimal("0.0001"))
    if method is M.INTEREST_FIRST:
        assert monthly.simple_annual_rate == monthly.apr
    else:
        assert monthly.apr - monthly.simple_annual_rate > Decimal("0.07")


def test_the_product_has_no_fees_today_so_the_rate_shown_is_the_contract_rate() -> None:
    assert INCLUSIVE_BUSINESS_LOAN.fees == ()
    schedule = build_schedule(PRINCIPAL, RATE, 12, M.EQUAL_INSTALMENT, date(2026, 1, 31))
    loan = Loan("l", "d", "c", "u", PRINCIPAL, RATE, 12, M.EQUAL_INSTALMENT, date(2026, 1, 31), schedule)
    assert apr(loan) == disclose(PRINCIPAL, RATE, [i.total for i in schedule], INCLUSIVE_BUSINESS_LOAN.fees).apr


def test_a_part_prepayment_leaves_the_loans_disclosed_price_as_drawn() -> None:
    """Prepaying 2,000 of 12,000 lowers the instalments: priced on the new schedule against the principal drawn,
    the loan showed 年化利率 0.00% and a negative 综合融资成本. Its price is the one disclosed when it was drawn."""
    from dataclasses import replace

    from chalicelib.domain.loan import new_loan, price_of, reschedule

    drawn = new_loan("loan_x", "dd_x", "line_x", "c", Money.yuan(12_000), RATE, 12, M.EQUAL_INSTALMENT,
                     date(2026, 12, 8))
    before = price_of(drawn, ())
    prepaid = replace(drawn, schedule=reschedule(drawn, date(2026, 12, 8), Money.yuan(10_000)),
                      outstanding_principal=Money.yuan(10_000))
    after = price_of(prepaid, ())
    assert after.total_cost.fen > 0 and after.apr == before.apr == RATE
    assert after == before
