"""Each schedule strategy with a worked example checked to the fen (figures from an independent computation in
exact fractions) and its APR by IRR: the seasonal shape (interest each quarter, the principal in the harvest
month) and a grace period before an annuity; the older shapes are in test_schedule.py."""

from datetime import date
from decimal import Decimal

from chalicelib.domain.loan import Loan, apr, new_loan, reschedule
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.schedules import STRATEGIES, Period, schedule_periods


def rows(loan: Loan) -> list[tuple[str, int, int]]:
    return [(i.due_date.isoformat(), i.principal.fen, i.interest.fen) for i in loan.schedule]


def test_every_repayment_method_has_its_strategy() -> None:
    assert set(STRATEGIES) == set(M)


def test_seasonal_interest_each_quarter_and_the_principal_in_the_harvest_month() -> None:
    # 100,000 yuan at 5.20% drawn on 10 March for 7 months: matures 10 October (an autumn harvest month)
    loan = new_loan("l", "d", "line", "c", Money.yuan(100_000), Decimal("0.0520"), 7, M.INTEREST_QUARTERLY,
                    date(2026, 3, 10))
    assert rows(loan) == [("2026-06-10", 0, 130_000),  # 10,000,000 x 5.2% x 3/12 = ¥1,300.00
                          ("2026-09-10", 0, 130_000),
                          ("2026-10-10", 10_000_000, 43_333)]  # the last month alone: ¥433.33 and the principal
    assert loan.total_interest == Money(303_333)
    # paid later than monthly, so the IRR (monthly x 12) is below the contract rate: 5.18% against 5.20%
    assert apr(loan) == Decimal("0.0518")


def test_seasonal_monthly_interest_is_interest_first() -> None:
    loan = new_loan("l", "d", "line", "c", Money.yuan(60_000), Decimal("0.0420"), 6, M.INTEREST_FIRST,
                    date(2026, 1, 20))
    assert [r[1:] for r in rows(loan)] == [(0, 21_000)] * 5 + [(6_000_000, 21_000)]
    assert loan.schedule[-1].due_date == date(2026, 7, 20) and apr(loan) == Decimal("0.0420")


def test_a_grace_period_pays_interest_only_and_then_the_annuity_over_the_rest() -> None:
    # 120,000 yuan at 6.00% over 12 months, the first 3 interest only, then 等额本息 over 9: ¥13,668.88 a month
    loan = new_loan("l", "d", "line", "c", Money.yuan(120_000), Decimal("0.0600"), 12, M.EQUAL_INSTALMENT,
                    date(2026, 1, 15), grace_months=3)
    assert [r[1:] for r in rows(loan)] == [
        (0, 60_000), (0, 60_000), (0, 60_000), (1_306_888, 60_000), (1_313_422, 53_466), (1_319_990, 46_898),
        (1_326_589, 40_299), (1_333_222, 33_666), (1_339_889, 26_999), (1_346_588, 20_300), (1_353_321, 13_567),
        (1_360_091, 6_800)]
    assert all(i.total == Money(1_366_888) for i in loan.schedule[3:11])
    assert loan.total_interest == Money(481_995) and apr(loan) == Decimal("0.0600")


def test_the_periods_of_a_term_that_is_not_whole_quarters_end_at_maturity() -> None:
    assert schedule_periods(M.INTEREST_QUARTERLY, date(2026, 1, 31), 8) == [
        Period(date(2026, 4, 30), 3), Period(date(2026, 7, 31), 3), Period(date(2026, 9, 30), 2)]
    assert [p.months for p in schedule_periods(M.EQUAL_PRINCIPAL, date(2026, 1, 31), 5, grace_months=2)] == [1] * 5


def test_a_part_prepayment_of_a_seasonal_loan_keeps_its_quarters_and_its_harvest_maturity() -> None:
    loan = new_loan("l", "d", "line", "c", Money.yuan(100_000), Decimal("0.0520"), 7, M.INTEREST_QUARTERLY,
                    date(2026, 3, 10))
    loan.instalments_paid = loan.accrued_through = 1  # the June quarter paid
    after = reschedule(loan, date(2026, 7, 10), Money.yuan(60_000))  # 40,000 repaid on 10 July
    assert after[0] == loan.schedule[0]
    assert [(i.due_date, i.principal.fen) for i in after[1:]] == [(date(2026, 9, 10), 0),
                                                                  (date(2026, 10, 10), 6_000_000)]
    assert after[1].interest == Money(53_733)  # 10 July - 10 Sept: 62 actual days at 5.2% / 360 on 60,000 yuan
    assert after[2].interest == Money(26_000)  # one whole month


def test_a_part_prepayment_inside_the_grace_period_keeps_the_grace_months_interest_only() -> None:
    loan = new_loan("l", "d", "line", "c", Money.yuan(120_000), Decimal("0.0600"), 12, M.EQUAL_INSTALMENT,
                    date(2026, 1, 15), grace_months=3)
    loan.instalments_paid = loan.accrued_through = 1
    after = reschedule(loan, date(2026, 2, 15), Money.yuan(100_000))
    assert [i.principal.fen for i in after[1:3]] == [0, 0]
    assert sum(i.principal.fen for i in after[1:]) == 10_000_000
