"""Schedules checked against an independent computation in exact fractions (not the production code's Decimal
path), and against the figure every Chinese bank calculator shows for 100,000 yuan, 12 months, 4.35%."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.loan import build_schedule
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.schedules import add_months


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def independent_equal_instalment(principal: int, annual: Fraction, n: int) -> list[tuple[int, int]]:
    r = annual / 12
    payment = half_up(principal * r * (1 + r) ** n / ((1 + r) ** n - 1))
    balance, rows = principal, []
    for k in range(1, n + 1):
        interest = half_up(balance * r)
        part = balance if k == n else payment - interest
        rows.append((part, interest))
        balance -= part
    return rows


def test_equal_instalment_100k_12_months_4_35_percent() -> None:
    schedule = build_schedule(Money.yuan(100_000), Decimal("0.0435"), 12, M.EQUAL_INSTALMENT, date(2026, 1, 31))
    assert [i.total.fen for i in schedule[:11]] == [853_099] * 11  # ¥8,530.99 a month
    assert [(i.principal.fen, i.interest.fen) for i in schedule] == independent_equal_instalment(
        10_000_000, Fraction(435, 10_000), 12)
    assert sum(i.principal.fen for i in schedule) == 10_000_000
    assert sum(i.interest.fen for i in schedule) == 237_190  # the last instalment absorbs 2 fen of rounding


def test_equal_principal_pays_the_same_principal_and_falling_interest() -> None:
    schedule = build_schedule(Money.yuan(100_000), Decimal("0.0435"), 12, M.EQUAL_PRINCIPAL, date(2026, 3, 15))
    r = Fraction(435, 10_000) / 12
    balance = 10_000_000
    for row in schedule:
        assert row.interest.fen == half_up(balance * r)
        balance -= row.principal.fen
    assert [i.principal.fen for i in schedule[:11]] == [833_333] * 11
    assert schedule[-1].principal.fen == 10_000_000 - 11 * 833_333
    assert schedule[0].interest.fen == 36_250 and schedule[-1].interest.fen == half_up(833_337 * r)


def test_interest_first_repays_principal_at_the_end() -> None:
    schedule = build_schedule(Money.yuan(50_000), Decimal("0.0720"), 6, M.INTEREST_FIRST, date(2026, 5, 10))
    assert [i.interest.fen for i in schedule] == [30_000] * 6
    assert [i.principal.fen for i in schedule] == [0] * 5 + [5_000_000]


def test_due_dates_respect_month_ends_and_leap_years() -> None:
    assert [add_months(date(2024, 1, 31), k) for k in (1, 2, 3, 13)] == [
        date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30), date(2025, 2, 28)]
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@given(principal=st.integers(100_000, 30_000_000), rate_bp=st.integers(0, 1800), n=st.sampled_from([3, 6, 12, 24, 36]),
       method=st.sampled_from(list(M)))
def test_principal_parts_always_sum_exactly_to_the_amount_lent(principal: int, rate_bp: int, n: int,
                                                              method: M) -> None:
    schedule = build_schedule(Money(principal), Decimal(rate_bp) / 10_000, n, method, date(2026, 1, 31))
    assert sum(i.principal.fen for i in schedule) == principal
    assert all(i.principal.fen >= 0 and i.interest.fen >= 0 for i in schedule)
    assert len(schedule) == (n if method is not M.INTEREST_QUARTERLY else -(-n // 3))  # a row a quarter


def test_a_schedule_needs_a_positive_principal() -> None:
    with pytest.raises(ValueError):
        build_schedule(Money(0), Decimal("0.05"), 12, M.EQUAL_INSTALMENT, date(2026, 1, 1))
