from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from chalicelib.api.error_status import http_status
from chalicelib.domain.credit_line import CreditLine, CreditLineStatus
from chalicelib.domain.drawdown_rules import DrawdownRequest, check_drawdown
from chalicelib.domain.errors import DrawdownRuleViolatedError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from tests.products import INCLUSIVE_BUSINESS_LOAN

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ACCOUNT = "6222021234567890123"


def line(**changes: object) -> CreditLine:
    base = CreditLine(credit_line_id="line_1", customer_id="c1", application_id="app_1", limit=Money.yuan(50_000),
                      available=Money.yuan(20_000), annual_rate=Decimal("0.0720"), term_months=(3, 6, 12),
                      repayment_methods=(M.EQUAL_INSTALMENT, M.EQUAL_PRINCIPAL), payout_account_no=ACCOUNT,
                      valid_until=NOW + timedelta(days=300), product_code=INCLUSIVE_BUSINESS_LOAN.code)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def request(amount_yuan: int = 5_000, fen: int = 0, term: int = 12, method: M = M.EQUAL_INSTALMENT,
            account: str = ACCOUNT, id_until: str = "2036-03-01",
            hours: tuple[time, time] | None = None, verified: bool = True) -> DrawdownRequest:
    return DrawdownRequest(Money.yuan(amount_yuan) + Money(fen), term, method, account, id_until, hours, verified)


def test_a_valid_drawdown_passes_every_rule() -> None:
    check_drawdown(request(), line(), INCLUSIVE_BUSINESS_LOAN, NOW)


@pytest.mark.parametrize(("req", "ln", "code"), [
    (request(amount_yuan=900), line(), "AMOUNT_BELOW_MINIMUM"),
    (request(amount_yuan=1_050), line(), "AMOUNT_NOT_WHOLE_HUNDREDS"),
    (request(amount_yuan=1_000, fen=1), line(), "AMOUNT_NOT_WHOLE_HUNDREDS"),
    (request(amount_yuan=20_100), line(), "CREDIT_LIMIT_EXCEEDED"),
    (request(amount_yuan=300_100), line(available=Money.yuan(400_000)), "AMOUNT_ABOVE_MAXIMUM"),
    (request(term=24), line(), "TERM_NOT_ALLOWED"),
    (request(method=M.INTEREST_FIRST), line(), "REPAYMENT_METHOD_NOT_ALLOWED"),
    (request(account="6222029999999999999"), line(), "PAYOUT_ACCOUNT_NOT_OWN"),
    (request(), line(status=CreditLineStatus.FROZEN), "CREDIT_LINE_NOT_ACTIVE"),
    (request(), line(valid_until=NOW), "CREDIT_LINE_NOT_ACTIVE"),
    (request(id_until="2026-05-31"), line(), "ID_CARD_EXPIRED"),
    (request(hours=(time(9), time(17))), line(), "OUTSIDE_BUSINESS_HOURS"),  # NOW is 08:00 in Beijing
    (request(verified=False), line(), "PAYEE_ACCOUNT_NOT_VERIFIED"),
])
def test_each_rule_refuses_with_its_own_reason_code(req: DrawdownRequest, ln: CreditLine, code: str) -> None:
    with pytest.raises(DrawdownRuleViolatedError) as caught:
        check_drawdown(req, ln, INCLUSIVE_BUSINESS_LOAN, NOW)
    assert caught.value.code == code
    assert http_status(caught.value) == 422 or code == "CREDIT_LINE_NOT_ACTIVE"


def test_a_long_term_card_never_expires_and_business_hours_are_beijing_time() -> None:
    check_drawdown(request(id_until="长期"), line(), INCLUSIVE_BUSINESS_LOAN, NOW)
    check_drawdown(request(hours=(time(8), time(17))), line(), INCLUSIVE_BUSINESS_LOAN, NOW)  # 00:00 UTC = 08:00


def test_a_line_past_its_validity_is_shown_expired_and_refuses_drawdowns() -> None:
    from datetime import timedelta

    from chalicelib.domain.credit_line import CreditLineStatus

    ln = line()
    assert ln.status_at(ln.valid_until - timedelta(seconds=1)) is CreditLineStatus.ACTIVE
    assert ln.status_at(ln.valid_until) is CreditLineStatus.EXPIRED
    assert not ln.is_usable(ln.valid_until)
    ln.status = CreditLineStatus.FROZEN
    assert ln.status_at(ln.valid_until - timedelta(days=1)) is CreditLineStatus.FROZEN
