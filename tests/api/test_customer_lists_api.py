"""What the app's home screen and its drawdown screen call: my lines, loans and drawdowns a page at a time behind
opaque cursors (never another customer's, a cursor that is not the list's refused), and the drawdown quote: the
schedule before confirming, under the drawdown's own rules, with nothing reserved or recorded."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from local.journey import Journey


@pytest.fixture(scope="module")
def alices_line(stack: Any, api: Any, tokens: dict[str, str]) -> dict[str, Any]:
    from chalicelib import bootstrap
    from tests.conftest import upload

    bootstrap.reset()
    alice = Journey(api.send, upload, tokens["alice"])
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    drawn = [alice.wait_drawdown(alice.draw(line_id, amount, 6)["drawdown_id"])
             for amount in (100_000, 200_000, 300_000)]
    return {"line": line_id, "drawdowns": [d["drawdown_id"] for d in drawn], "loans": [d["loan_id"] for d in drawn]}


def person(api: Any, tokens: dict[str, str], user: str) -> Journey:
    from tests.conftest import upload

    return Journey(api.send, upload, tokens[user])


def test_my_drawdowns_and_loans_come_newest_first_a_page_at_a_time(api: Any, tokens: dict[str, str],
                                                                  alices_line: dict[str, Any]) -> None:
    alice = person(api, tokens, "alice")
    first = alice.call("GET", "/v1/drawdowns?limit=2")
    assert [d["drawdown_id"] for d in first["items"]] == alices_line["drawdowns"][::-1][:2]
    rest = alice.call("GET", f"/v1/drawdowns?limit=2&cursor={first['next_cursor']}")
    assert rest["items"][0]["drawdown_id"] == alices_line["drawdowns"][0]
    loans = alice.call("GET", "/v1/loans?limit=3")["items"]
    assert [x["loan_id"] for x in loans] == alices_line["loans"][::-1]
    assert all(x["next_instalment"]["number"] == 1 and x["next_instalment"]["total_fen"] > 0 for x in loans)
    assert {x["next_action"] for x in loans} == {"PAY_NEXT_INSTALMENT"}
    assert {d["next_action"] for d in first["items"]} == {"VIEW_LOAN"}
    lines = alice.call("GET", "/v1/credit-lines")
    assert alices_line["line"] in [x["credit_line_id"] for x in lines["items"]]
    assert lines["items"][0]["available_fen"] <= lines["items"][0]["limit_fen"]
    assert lines["items"][0]["next_action"] == "DRAW_FUNDS"


def test_cursors_are_opaque_and_never_reach_another_customers_items(api: Any, tokens: dict[str, str],
                                                                    alices_line: dict[str, Any]) -> None:
    alice, bob = person(api, tokens, "alice"), person(api, tokens, "carol")
    alices_cursor = alice.call("GET", "/v1/drawdowns?limit=1")["next_cursor"]
    seen_by_bob = bob.call("GET", f"/v1/drawdowns?limit=50&cursor={alices_cursor}")["items"]
    assert not set(alices_line["drawdowns"]) & {d["drawdown_id"] for d in seen_by_bob}
    forged = base64.urlsafe_b64encode(b"DRAWDOWN#9999").decode().rstrip("=")  # "everything before the year 9999"
    assert not set(alices_line["drawdowns"]) & {d["drawdown_id"] for d in
                                                bob.call("GET", f"/v1/drawdowns?cursor={forged}")["items"]}
    other_kind = base64.urlsafe_b64encode(b"LOAN#9999").decode().rstrip("=")
    for bad in (other_kind, "not*base64", "A" * 400):
        status, payload = alice.send("GET", f"/v1/drawdowns?cursor={bad}", alice.token)
        assert status == 422 and payload["error"]["code"] == "VALIDATION_ERROR", bad
    assert alice.send("GET", "/v1/loans?limit=0", alice.token)[0] == 422
    assert alice.send("GET", "/v1/loans?limit=51", alice.token)[0] == 422
    assert alice.send("GET", "/v1/loans?page=2", alice.token)[0] == 422


def test_a_drawdown_quote_shows_the_schedule_and_changes_nothing(api: Any, tokens: dict[str, str],
                                                                alices_line: dict[str, Any]) -> None:
    alice, bob = person(api, tokens, "alice"), person(api, tokens, "carol")
    line_id = alices_line["line"]
    before = alice.call("GET", f"/v1/credit-lines/{line_id}")
    drawdowns_before = alice.call("GET", "/v1/drawdowns?limit=50")["items"]
    quote = alice.call("POST", f"/v1/credit-lines/{line_id}/drawdown-quote",
                       {"amount_fen": 1_200_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"})
    assert quote["amount_in_words"] == "人民币壹万贰仟元整" and len(quote["schedule"]) == 12
    assert sum(i["principal_fen"] for i in quote["schedule"]) == 1_200_000
    assert sum(i["interest_fen"] for i in quote["schedule"]) == quote["total_interest_fen"] > 0
    assert quote["total_repayment_fen"] == 1_200_000 + quote["total_interest_fen"]
    # without fees the APR is the contract rate, up to the fen rounding of the schedule
    assert quote["annual_rate"] == before["annual_rate"]
    assert abs(float(quote["apr"]) - float(quote["annual_rate"])) < 0.001
    assert alice.call("GET", f"/v1/credit-lines/{line_id}") == before  # nothing reserved
    assert alice.call("GET", "/v1/drawdowns?limit=50")["items"] == drawdowns_before  # nothing recorded
    for body, code in [({"amount_fen": before["available_fen"] + 10_000, "term_months": 12,
                         "repayment_method": "EQUAL_INSTALMENT"}, "CREDIT_LIMIT_EXCEEDED"),
                       ({"amount_fen": 100_050, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"},
                        "AMOUNT_NOT_WHOLE_HUNDREDS"),
                       ({"amount_fen": 100_000, "term_months": 7, "repayment_method": "EQUAL_INSTALMENT"},
                        "TERM_NOT_ALLOWED")]:
        status, payload = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", alice.token, body)
        assert status == 422 and payload["error"]["code"] == code, (body, payload)
        assert payload["error"]["message_zh"].endswith("。")  # a sentence the app shows as it is
    assert alice.send("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", alice.token,
                      {"amount_fen": 100_000.5, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"})[0] == 422
    status, _ = bob.send("POST", f"/v1/credit-lines/{line_id}/drawdown-quote", bob.token,
                         {"amount_fen": 100_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"})
    assert status == 404  # another customer's line does not exist for her
