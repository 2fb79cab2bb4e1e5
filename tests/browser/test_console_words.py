"""Plain Chinese on every console page: with a referred application, a loan with its ledger, a warning with its
evidence, a complaint, an overdue borrower and an audit trail on the local stack, an officer visits every page the
navigation reaches and each page those link to; none shows a raw code (SNAKE_CASE or CamelCase) and none raises a
JavaScript error."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from local.journey import CARD_IDS, Journey
from local.stack import DEMO_PASSWORD
from tests.browser.conftest import Settled

RAW_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
EMPTY_ACCOUNT = "6222021234567850009"


def raw_codes(text: str) -> list[str]:
    return sorted(set(RAW_CODE.findall(text)))


def test_every_console_page_speaks_chinese(console: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    alice, carol, olivia = journey("alice"), journey("carol"), journey("olivia")
    app_id = alice.apply_and_submit(account=EMPTY_ACCOUNT)
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    loan = alice.call("GET", "/v1/loans/" + alice.wait_drawdown(
        alice.draw(line_id, 500_000, 6, "EQUAL_PRINCIPAL", account=EMPTY_ACCOUNT)["drawdown_id"])["loan_id"])
    alice.call("POST", "/v1/dev/sweeps", {"day": (date.fromisoformat(loan["schedule"][0]["due_date"])
                                                  + timedelta(days=2)).isoformat(), "credit_line_ids": [line_id]})
    alice.call("POST", "/v1/dev/external-records", {
        "source": "JUDICIAL", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "DISHONEST_DEBTOR", "case_no": "（2026）浙0102执77号", "court": "上城区法院"}}, expect=202)
    alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")
    alice.call("POST", "/v1/complaints", {"category": "PRICING", "text": "利息比我预计的多，请核实计息方式"},
               expect=201)
    referred = carol.apply_referred(phone="13900139031")
    customer_id = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")["customer_id"]

    tab = console()
    tab.sign_in("olivia", DEMO_PASSWORD)
    tab.page.locator("#bar").wait_for()
    views = [a.get_attribute("data-view") for a in tab.page.locator("#nav a").all()]
    pages = [f"#/{v}" for v in views] + [
        f"#/reviews/{referred}", f"#/lines/{line_id}", f"#/contracts/{app_id}", f"#/customers/{customer_id}",
        f"#/collections/{customer_id}"]
    warning = next(w for w in olivia.call("GET", "/v1/admin/warnings")["items"] if w["credit_line_id"] == line_id)
    pages.append(f"#/warnings/{warning['warning_id']}")
    olivia.call("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",  # an officer's act: audited
                {"action": "KEEP_FROZEN", "comment": "已核实失信记录属实，维持冻结"})
    settled = Settled(tab.page)
    found: dict[str, list[str]] = {}
    for where in pages:
        settled.visit(where)
        codes = raw_codes(tab.page.inner_text("main"))
        if codes:
            found[where] = codes
    assert found == {}
    # the one failed load: the anti-money-laundering page, which a risk officer may not see (it says so)
    assert tab.errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]
