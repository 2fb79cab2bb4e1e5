"""Plain Chinese on every page of the app alice reaches: with her application, line, loan, a message and a
complaint on the local stack, each page shows no raw code (SNAKE_CASE or CamelCase) and raises no JavaScript
error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from local.journey import Journey
from local.stack import DEMO_PASSWORD
from tests.browser.conftest import Settled
from tests.browser.test_console_words import raw_codes


def test_every_page_alice_reaches_speaks_chinese(phone: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    drawn = alice.wait_drawdown(alice.draw(line_id, 500_000, 6, "EQUAL_PRINCIPAL")["drawdown_id"])
    alice.call("POST", f"/v1/loans/{drawn['loan_id']}/restructuring-requests",
               {"kind": "EXTENSION", "extra_months": 3, "reason": "旺季推迟，回款需要更长时间"}, expect=201)
    alice.call("POST", "/v1/complaints", {"category": "SERVICE", "text": "客服电话一直占线，希望改进"}, expect=201)

    tab = phone()
    tab.sign_in("alice", DEMO_PASSWORD)
    settled = Settled(tab.page)
    pages = ["#/home", "#/product", f"#/applications/{app_id}", f"#/lines/{line_id}", f"#/lines/{line_id}/draw",
             f"#/drawdowns/{drawn['drawdown_id']}", f"#/loans/{drawn['loan_id']}", "#/messages", "#/complaints",
             "#/disputes"]
    found: dict[str, list[str]] = {}
    for where in pages:
        text = settled.visit(where)
        assert len(text) > 12 and "请求失败" not in text, (where, text)  # the page was drawn, with its data
        codes = raw_codes(text)
        if codes:
            found[where] = codes
    assert found == {}
    assert tab.errors == []
