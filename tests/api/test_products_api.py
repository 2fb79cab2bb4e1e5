"""The catalogue through the API: both products listed, the seasonal one lending only to farming and maturing in
a harvest month (interest only until then), and a third product that costs one catalogue entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from chalicelib.domain import products
from chalicelib.domain.business_date import business_date
from local.journey import Journey, application_body
from tests.products import SEASONAL_FARM_LOAN

FARMING = {"nature_of_business": "水稻种植", "beneficial_owner": "APPLICANT", "industry": "AGRICULTURE"}


def test_the_app_lists_both_products_with_their_terms(journey: Callable[[str], Journey]) -> None:
    listed = journey("carol").call("GET", "/v1/products")["items"]
    by_code = {p["product_code"]: p for p in listed}
    assert [p["name_zh"] for p in listed] == ["小额普惠贷", "农户季节贷"]
    seasonal = by_code[SEASONAL_FARM_LOAN.code]
    assert seasonal["terms_months"] == list(range(6, 13)) and seasonal["harvest_months"] == [6, 7, 9, 10, 11]
    assert seasonal["repayment_methods_zh"] == ["按季付息、到期还本", "先息后本"]
    assert seasonal["industries"] == ["AGRICULTURE"] and "经营满2年" in "".join(seasonal["eligibility"])
    assert journey("carol").call("GET", f"/v1/products/{SEASONAL_FARM_LOAN.code}")["name_zh"] == "农户季节贷"
    journey("carol").call("GET", "/v1/products/NO_SUCH_PRODUCT", expect=404)


def test_the_seasonal_product_lends_only_to_farming(journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    refused = carol.call("POST", "/v1/applications", {**_body(), "due_diligence": {
        **FARMING, "industry": "RETAIL"}}, expect=422)
    assert refused["error"]["code"] == "PRODUCT_NOT_FOR_APPLICANT"
    unknown = carol.call("POST", "/v1/applications", {**_body(), "product_code": "NO_SUCH_PRODUCT"}, expect=422)
    assert unknown["error"]["code"] == "VALIDATION_ERROR"


def test_a_seasonal_drawdown_pays_interest_only_until_the_harvest_month(journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    app_id = carol.apply_and_submit(product_code=SEASONAL_FARM_LOAN.code, due_diligence=FARMING,
                                    requested_fen=5_000_000)
    carol.wait_status(app_id, "OFFERED")
    line_id = carol.accept_and_sign(app_id)["credit_line_id"]
    line = carol.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["repayment_methods"] == ["INTEREST_QUARTERLY", "INTEREST_FIRST"]
    terms = SEASONAL_FARM_LOAN.terms_from(business_date(datetime.now(UTC)))
    wrong = next(t for t in SEASONAL_FARM_LOAN.term_months if t not in terms)
    body = {"amount_fen": 2_000_000, "term_months": wrong, "repayment_method": "INTEREST_QUARTERLY"}
    refused = carol.call("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", body, expect=422)
    assert refused["error"]["code"] == "TERM_NOT_AT_HARVEST"
    carol.draw(line_id, 2_000_000, term_months=wrong, method="INTEREST_QUARTERLY", expect=422)

    drawn = carol.wait_drawdown(carol.draw(line_id, 2_000_000, term_months=terms[-1],
                                           method="INTEREST_QUARTERLY")["drawdown_id"])
    loan = carol.call("GET", f"/v1/loans/{drawn['loan_id']}")
    schedule = loan["schedule"]
    assert [row["principal_fen"] for row in schedule[:-1]] == [0] * (len(schedule) - 1)  # interest only before
    assert schedule[-1]["principal_fen"] == 2_000_000
    assert int(schedule[-1]["due_date"][5:7]) in SEASONAL_FARM_LOAN.harvest_months  # the principal at harvest
    assert len(schedule) == -(-terms[-1] // 3)  # a row a quarter (the last at maturity)


def test_a_third_product_costs_one_catalogue_entry(journey: Callable[[str], Journey],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    entry = {**json.loads(products.CATALOGUE_FILE.read_text(encoding="utf-8"))["products"][0],
             "code": "EQUIPMENT_LOAN", "name_zh": "设备分期贷", "terms_months": [12, 24],
             "repayment_methods": ["EQUAL_INSTALMENT"], "grace_months": 3, "pre_approval": False}
    monkeypatch.setitem(products.PRODUCTS._products, "EQUIPMENT_LOAN", products.product_from_record(entry))
    carol = journey("carol")
    assert "设备分期贷" in [p["name_zh"] for p in carol.call("GET", "/v1/products")["items"]]
    app_id = carol.apply_and_submit(product_code="EQUIPMENT_LOAN")
    carol.wait_status(app_id, "OFFERED")
    line_id = carol.accept_and_sign(app_id)["credit_line_id"]
    quote = carol.call("POST", f"/v1/credit-lines/{line_id}/drawdown-quote",
                       {"amount_fen": 1_200_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"})
    assert [row["principal_fen"] for row in quote["schedule"][:3]] == [0, 0, 0]  # the grace months
    assert sum(row["principal_fen"] for row in quote["schedule"]) == 1_200_000


def _body() -> dict[str, object]:
    return application_body(product_code=SEASONAL_FARM_LOAN.code, due_diligence=FARMING, requested_fen=5_000_000)
