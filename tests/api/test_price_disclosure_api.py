"""Every price the customer is shown carries 年化利率 (the IRR with every fee) and 综合融资成本 (interest and fees in
yuan over the term): the offer, its approval SMS, the drawdown quote and the loan. With no fee the rate is the
contract's; a product that charges one shows it in every figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from chalicelib.domain import products
from chalicelib.domain.pricing import Fee, FeeBasis
from local.journey import Journey
from tests.products import INCLUSIVE_BUSINESS_LOAN


def test_the_offer_its_sms_the_quote_and_the_loan_carry_the_all_in_price(journey: Callable[[str], Journey],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    carol = journey("carol")
    app_id = carol.apply_and_submit()
    carol.wait_status(app_id, "OFFERED")
    offer = carol.call("GET", f"/v1/applications/{app_id}/offer")
    example = offer["worked_example"]
    assert offer["price"]["apr"] == offer["annual_rate"] and offer["price"]["fees_fen"] == 0
    assert offer["price"]["total_cost_fen"] == example["total_interest_fen"]
    sms = next(m for m in carol.call("GET", "/v1/dev/outbox")["items"] if m["template"] == "OFFER_MADE")
    assert "年化利率" in sms["text"] and "综合融资成本" in sms["text"]
    line_id = carol.accept_and_sign(app_id)["credit_line_id"]
    body = {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"}
    plain = carol.call("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", body)
    assert plain["price"]["apr"] == plain["annual_rate"] and plain["price"]["total_cost_fen"] == plain[
        "total_interest_fen"]

    fee = Fee("SERVICE_FEE", "服务费", FeeBasis.AT_PAYOUT, Decimal("0.02"))
    charging = replace(INCLUSIVE_BUSINESS_LOAN, fees=(fee,))
    monkeypatch.setitem(products.PRODUCTS._products, charging.code, charging)  # a product that charges 2% at payout
    priced = carol.call("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", body)
    assert priced["price"]["fees_fen"] == 20_000 and Decimal(priced["price"]["apr"]) > Decimal(priced["annual_rate"])
    assert priced["price"]["total_cost_fen"] == priced["total_interest_fen"] + 20_000
    monkeypatch.undo()

    drawn = carol.wait_drawdown(carol.draw(line_id, 1_000_000, account="6222021234567890123")["drawdown_id"])
    loan = carol.call("GET", f"/v1/loans/{drawn['loan_id']}")
    assert loan["price"]["apr"] == loan["apr"] and loan["price"]["total_cost_fen"] == loan["total_interest_fen"]
