"""The PLACEHOLDER decision (replaced by issue 4) is still tested: the journey's outcomes depend on it."""

from chalicelib.domain.application import DecisionOutcome
from chalicelib.domain.money import Money
from chalicelib.domain.placeholders import clamp_line, placeholder_score
from chalicelib.domain.products import INCLUSIVE_BUSINESS_LOAN as P
from tests.unit.test_application_states import new_app


def scored(requested_yuan: int, revenue_yuan: int, years: int = 3) -> DecisionOutcome:
    app = new_app()
    app.requested_amount = Money.yuan(requested_yuan)
    app.business.annual_revenue = Money.yuan(revenue_yuan)
    app.business.years_in_business = years
    return placeholder_score(app, P).outcome


def test_debt_to_revenue_thresholds() -> None:
    assert scored(50_000, 100_000) is DecisionOutcome.APPROVE
    assert scored(50_001, 100_000) is DecisionOutcome.REFER
    assert scored(100_000, 100_000) is DecisionOutcome.REFER
    assert scored(100_001, 100_000) is DecisionOutcome.DECLINE
    assert scored(10_000, 100_000, years=0) is DecisionOutcome.DECLINE
    assert scored(10_000, 0) is DecisionOutcome.DECLINE


def test_lines_are_whole_hundreds_within_the_product_bounds() -> None:
    assert clamp_line(Money(5_012_345), P) == Money.yuan(50_100)
    assert clamp_line(Money.yuan(5_000), P) == P.min_line
    assert clamp_line(Money.yuan(900_000), P) == P.max_line
