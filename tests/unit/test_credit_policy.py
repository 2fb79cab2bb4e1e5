"""Policy rules (each refuses with its own reason code) and the line and price by grade."""

from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.credit import CreditFacts, CreditPolicy, knock_outs, terms_for
from chalicelib.domain.money import Money
from chalicelib.domain.products import clamp_line
from tests.products import INCLUSIVE_BUSINESS_LOAN as P

TODAY = date(2026, 11, 29)


def facts(**changes: object) -> CreditFacts:
    base = dict(birth_date=date(1990, 1, 1), identity_verdict="PASS", business_years=3, bureau_current_status=0,
                existing_debt=Money.yuan(10_000), annual_revenue=Money.yuan(500_000), requested=Money.yuan(50_000),
                blacklisted=False)
    base.update(changes)
    return CreditFacts(**base)  # type: ignore[arg-type]


def test_a_sound_applicant_passes_every_rule() -> None:
    assert knock_outs(facts(), CreditPolicy(), TODAY) == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"birth_date": date(2010, 1, 1)}, "AGE_OUT_OF_BOUNDS"),
    ({"birth_date": date(1950, 1, 1)}, "AGE_OUT_OF_BOUNDS"),
    ({"bureau_current_status": 1}, "CURRENT_OVERDUE"),
    ({"identity_verdict": "FAIL"}, "IDENTITY_NOT_VERIFIED"),
    ({"business_years": 0}, "BUSINESS_TOO_YOUNG"),
    ({"blacklisted": True}, "BLACKLISTED"),
    ({"requested": Money.yuan(300_000)}, "DEBT_TO_INCOME_TOO_HIGH"),
    ({"annual_revenue": Money(0)}, "DEBT_TO_INCOME_TOO_HIGH"),
])
def test_each_rule_refuses_with_its_code(changes: dict, code: str) -> None:
    assert knock_outs(facts(**changes), CreditPolicy(), TODAY) == [code]


def test_the_line_follows_revenue_grade_and_debt_and_never_exceeds_the_request() -> None:
    terms = terms_for("B", facts(requested=Money.yuan(300_000)), P, CreditPolicy())
    assert terms is not None and terms.credit_limit == Money.yuan(140_000)  # 500k x 30% - 10k
    capped = terms_for("A", facts(), P, CreditPolicy())
    assert capped is not None and capped.credit_limit == Money.yuan(50_000)  # what was asked for
    assert terms_for("D", facts(annual_revenue=Money.yuan(70_000)), P, CreditPolicy()) is None  # below 10,000
    assert terms_for("E", facts(), P, CreditPolicy()) is None


def test_the_rate_follows_the_grade_and_never_exceeds_the_legal_cap() -> None:
    rates = {g: terms_for(g, facts(), P, CreditPolicy()) for g in "ABCD"}
    assert [rates[g].annual_rate for g in "ABCD"] == [Decimal("0.0450"), Decimal("0.0580"), Decimal("0.0720"),
                                                        Decimal("0.0880")]  # type: ignore[union-attr]
    capped = terms_for("D", facts(), P, CreditPolicy(legal_rate_cap=Decimal("0.0600")))
    assert capped is not None and capped.annual_rate == Decimal("0.0600") == capped.apr


def test_lines_are_whole_hundreds_within_the_product_bounds() -> None:
    assert clamp_line(Money(5_012_345), P) == Money.yuan(50_100)
    assert clamp_line(Money.yuan(5_000), P) == P.min_line
    assert clamp_line(Money.yuan(900_000), P) == P.max_line
