"""Early repayment in whole or in part, the re-amortised schedule, and the APR - against figures worked by hand
with exact fractions (daily rate = annual / 360, a whole month = annual / 12)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import InstalmentDueError, ValidationError
from chalicelib.domain.loan import Loan, apr, build_schedule, reschedule
from chalicelib.domain.money import Money
from chalicelib.domain.repayment import early_repayment_quote
from chalicelib.domain.repayment_method import RepaymentMethod as M
from tests.unit.test_schedule import half_up

RATE = Decimal("0.0435")


def loan(method: M = M.EQUAL_INSTALMENT, amount: int = 100_000, term: int = 12, paid: int = 0) -> Loan:
    start = date(2026, 1, 15)
    schedule = build_schedule(Money.yuan(amount), RATE, term, method, start)
    outstanding = Money(amount * 100 - sum(i.principal.fen for i in schedule[:paid]))
    return Loan("loan_1", "dd_1", "line_1", "alice", Money.yuan(amount), RATE, term, method, start, schedule,
                outstanding_principal=outstanding, instalments_paid=paid, accrued_through=paid)


def test_a_whole_repayment_pays_the_principal_and_the_days_since_the_last_due_date() -> None:
    ln = loan(paid=2)  # paid 15 Feb and 15 Mar
    q = early_repayment_quote(ln, date(2026, 4, 1))
    assert q.days == 17 and q.principal == ln.outstanding_principal
    assert q.interest.fen == half_up(ln.outstanding_principal.fen * Fraction(435, 10_000) * 17 / 360)  # type: ignore[union-attr]


def test_a_part_prepayment_is_at_least_1000_yuan_in_hundreds_and_below_the_balance() -> None:
    ln = loan(paid=1)
    for bad in (Money.yuan(900), Money.yuan(1_050), ln.outstanding_principal + Money(1)):  # type: ignore[operator]
        with pytest.raises(ValidationError):
            early_repayment_quote(ln, date(2026, 2, 20), bad)
    q = early_repayment_quote(ln, date(2026, 2, 20), Money.yuan(30_000))
    assert q.principal == Money.yuan(30_000)
    # interest runs on the whole outstanding principal for the 5 days since 15 Feb, not just on the part repaid
    assert q.interest.fen == half_up(ln.outstanding_principal.fen * Fraction(435, 10_000) * 5 / 360)  # type: ignore[union-attr]


def test_no_quote_while_an_instalment_is_due_and_uncollected() -> None:
    with pytest.raises(InstalmentDueError):
        early_repayment_quote(loan(paid=0), date(2026, 2, 15))  # due today, the auto-debit has not run


@pytest.mark.parametrize("method", sorted(set(M) - {M.INTEREST_QUARTERLY}))  # monthly rows (quarterly: test_schedules)
def test_after_a_part_prepayment_the_rest_is_re_amortised_over_the_same_dates(method: M) -> None:
    ln = loan(method, paid=3)  # next due 15 May
    balance = ln.outstanding_principal - Money.yuan(20_000)  # type: ignore[operator]
    new = reschedule(ln, date(2026, 4, 25), balance)
    assert new[:3] == ln.schedule[:3]  # what was paid is history
    assert [i.due_date for i in new] == [i.due_date for i in ln.schedule]  # same dates, same end
    assert [i.number for i in new] == list(range(1, 13))
    assert sum(i.principal.fen for i in new[3:]) == balance.fen
    # the first remaining period starts today (the prepayment settled interest up to today): 20 days, daily rate
    assert new[3].interest.fen == half_up(balance.fen * Fraction(435, 10_000) * 20 / 360)
    r = Fraction(435, 10_000) / 12
    running = balance.fen - new[3].principal.fen
    for row in new[4:]:
        assert row.interest.fen == half_up(running * r)  # whole months after that
        running -= row.principal.fen
    if method is M.EQUAL_INSTALMENT:  # lower instalments, not a shorter loan
        assert new[5].total < ln.schedule[5].total


def test_a_second_part_prepayment_in_the_same_month_charges_interest_only_from_the_first() -> None:
    ln = loan(paid=1)
    first = date(2026, 2, 20)
    q1 = early_repayment_quote(ln, first, Money.yuan(10_000))
    ln.outstanding_principal = ln.outstanding_principal - q1.principal  # type: ignore[operator]
    ln.schedule = reschedule(ln, first, ln.outstanding_principal)
    ln.interest_paid_to = first
    q2 = early_repayment_quote(ln, date(2026, 2, 27), Money.yuan(10_000))
    assert q2.days == 7


def test_apr_equals_the_contract_rate_without_fees() -> None:
    for method in set(M) - {M.INTEREST_QUARTERLY}:
        assert abs(apr(loan(method)) - RATE) <= Decimal("0.0001")
    # interest paid a quarter at a time is paid later: the IRR, monthly x 12, is the quarter's rate spread over
    # its three months, 12 x ((1 + rate/4)^(1/3) - 1), below the contract rate
    quarterly = 12 * ((1 + RATE / 4) ** (Decimal(1) / 3) - 1)
    assert abs(apr(loan(M.INTEREST_QUARTERLY)) - quarterly) <= Decimal("0.0001") and quarterly < RATE


@given(st.integers(10, 3_000), st.integers(2, 36), st.integers(0, 30), st.data())
def test_any_part_prepayment_keeps_the_schedule_owing_exactly_the_balance(
        hundreds: int, term: int, day: int, data: st.DataObject) -> None:
    method = data.draw(st.sampled_from(list(M)))
    term = max(term, 6) if method is M.INTEREST_QUARTERLY else term  # a quarter paid, at least one left
    ln = loan(method, amount=hundreds * 100 + 1_000, term=term, paid=1)
    today = date(2026, 2, 15 + min(day, 13))
    part = Money.yuan(1_000)
    q = early_repayment_quote(ln, today, part)
    new = reschedule(ln, today, ln.outstanding_principal - q.principal)  # type: ignore[operator]
    assert sum(i.principal.fen for i in new[1:]) == ln.outstanding_principal.fen - part.fen  # type: ignore[union-attr]
    assert all(i.principal.fen >= 0 and i.interest.fen >= 0 for i in new)
