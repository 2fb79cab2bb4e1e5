"""`make console-screenshots`: each page of the console, with data, written to build/screenshots/ (deselected
from `make test`: the pages are tested above; this only takes the pictures the README shows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.business_date import business_date
from local.journey import CARD_IDS, Journey, run_sweep
from local.stack import DEMO_PASSWORD

pytestmark = pytest.mark.screenshots
OUT = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_console_screenshots(console: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    alice, bob = journey("alice"), journey("carol")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    alice.wait_drawdown(alice.draw(line_id, 1_500_000, 12)["drawdown_id"])
    alice.call("POST", "/v1/dev/external-records", {
        "source": "JUDICIAL", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "DISHONEST_DEBTOR", "case_no": "（2026）浙0102执1234号", "court": "杭州市上城区人民法院",
                   "amount_fen": 8_600_000, "filed_on": "2026-11-20"}}, expect=202)
    referred = bob.apply_referred(phone="13900139023")
    run_sweep(business_date(datetime.now(UTC)).isoformat())
    bob.call("POST", "/v1/complaints", {"category": "PRICING", "text": "利息比我预计的多，请核实计息方式"}, expect=201)
    declined = bob.wait_status(bob.apply_and_submit(card="risky_zhou", phone="13900139024"), "DECLINED")
    bob.call("POST", f"/v1/applications/{declined['application_id']}/human-review",
             {"reason": "我近两年都按时还款，请人工再看一下"}, expect=201)

    tab = console()
    tab.page.goto(tab.url)
    tab.page.locator("#sign-in").wait_for()
    tab.page.screenshot(path=str(OUT / "console-1-sign-in.png"))
    tab.sign_in("olivia", DEMO_PASSWORD)
    tab.page.locator(f"tr[data-application='{referred}']").wait_for()
    tab.page.screenshot(path=str(OUT / "console-2-reviews.png"))
    tab.page.click(f"tr[data-application='{referred}']")
    tab.page.locator("#reason-chart canvas").wait_for()
    tab.page.click("#show-images")
    tab.page.locator("#card-images img").first.wait_for()
    tab.page.wait_for_function("() => [...document.querySelectorAll('#card-images img')]"
                               ".every((i) => i.complete && i.naturalWidth > 0)")
    tab.page.screenshot(path=str(OUT / "console-3-application.png"), full_page=True)
    tab.page.click("nav a[data-view=warnings]")
    tab.page.locator("#warnings tr.link").first.wait_for()
    tab.page.screenshot(path=str(OUT / "console-4-warnings.png"))
    tab.page.locator("#warnings tr.link", has_text="失信被执行人").first.click()
    tab.page.locator("#disposition").wait_for()
    tab.page.screenshot(path=str(OUT / "console-5-warning.png"), full_page=True)
    tab.page.click("#line-link")
    tab.page.locator(".loan .classification").wait_for()
    tab.page.screenshot(path=str(OUT / "console-8-line.png"), full_page=True)
    tab.page.click("#contract-link")
    tab.page.locator("#verification").wait_for()
    tab.page.screenshot(path=str(OUT / "console-9-contract.png"), full_page=True)
    tab.page.click("nav a[data-view=customers]")
    tab.page.fill("#customer-search input[name=value]", CARD_IDS["valid_zhang"])
    tab.page.click("#customer-search button[type=submit]")
    tab.page.locator("#customer-lines").wait_for()
    tab.page.screenshot(path=str(OUT / "console-10-customer.png"), full_page=True)
    tab.page.click("nav a[data-view=reconciliation]")
    tab.page.locator("text=已勾对金额").wait_for()
    tab.page.screenshot(path=str(OUT / "console-11-reconciliation.png"))
    tab.page.click("nav a[data-view=audit]")
    tab.page.locator("#audit").wait_for()
    tab.page.screenshot(path=str(OUT / "console-12-audit.png"), full_page=True)
    tab.page.click("nav a[data-view=complaints]")
    tab.page.locator(".complaint").first.wait_for()
    tab.page.screenshot(path=str(OUT / "console-13-complaints.png"), full_page=True)
    tab.page.click("nav a[data-view=bureau]")
    tab.page.fill("#bureau-report-form input[name=reporting_date]", "2026-12-31")
    tab.page.click("#bureau-report-form button[type=submit]")
    tab.page.locator("#bureau-reports tr[data-date='2026-12-31']").wait_for()
    alice.call("POST", "/v1/credit-disputes", {"account_id": line_id, "text": "我的借款余额报送有误，请核实"},
               expect=201)
    tab.page.click("nav a[data-view=complaints]")
    tab.page.locator(".complaint").first.wait_for()
    tab.page.click("nav a[data-view=bureau]")
    tab.page.locator(".dispute").first.wait_for()
    tab.page.screenshot(path=str(OUT / "console-14-bureau.png"), full_page=True)
    alice.call("POST", "/v1/dev/external-records", {
        "source": "SANCTIONS", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "SANCTIONS", "entry_no": "SAN-2026-0001", "list_name": "演示制裁名单",
                   "listed_on": "2026-12-01"}}, expect=202)
    clara = console()
    clara.sign_in("clara", DEMO_PASSWORD)
    clara.page.locator("#bar").wait_for()
    clara.page.click("nav a[data-view=aml]")
    clara.page.locator(".card.aml").first.wait_for()
    clara.page.screenshot(path=str(OUT / "console-15-aml.png"), full_page=True)
    loan_after_payout(tab, journey)
    tab.page.click("nav a[data-view=dashboard]")
    for chart in ("chart-buckets", "chart-funnel", "chart-cash"):
        tab.page.locator(f"#{chart} canvas").wait_for()
    tab.page.locator("#chart-vintage .empty-chart").wait_for()  # a handful of loans: 样本不足, said so
    tab.page.screenshot(path=str(OUT / "console-6-dashboard.png"), full_page=True)
    tablet = console(width=820, height=1180)
    tablet.sign_in("oscar", DEMO_PASSWORD)
    tablet.page.locator("#bar").wait_for()
    tablet.page.click("nav a[data-view=dashboard]")
    tablet.page.locator("#chart-buckets canvas").wait_for()
    tablet.page.screenshot(path=str(OUT / "console-7-dashboard-tablet.png"))
    assert tab.errors == [] and tablet.errors == []


def loan_after_payout(tab: Any, journey: Callable[[str], Journey]) -> None:
    """展期审批 with the first approval given, the collections worklist and one case, and a write-off awaiting
    its second officer: frank's loan (the farmer's card: alice's is hers), paid into an account the core simulator
    will not collect from."""
    from datetime import date, timedelta

    frank, olivia = journey("frank"), journey("olivia")
    account = "6222021234567840009"
    app_id = frank.apply_and_submit(card="farmer_wu", account=account, registration_no="92330502MA2C7E8F9A")
    frank.wait_status(app_id, "OFFERED")
    line_id = frank.accept_and_sign(app_id)["credit_line_id"]
    loan = frank.call("GET", "/v1/loans/" + frank.wait_drawdown(
        frank.draw(line_id, 1_200_000, account=account)["drawdown_id"])["loan_id"])
    asked = frank.call("POST", f"/v1/loans/{loan['loan_id']}/restructuring-requests",
                       {"kind": "EXTENSION", "extra_months": 6, "reason": "旺季推迟，回款需要更长时间"}, expect=201)
    journey("oscar").call("POST", f"/v1/admin/restructuring-requests/{asked['request_id']}/decision",
                          {"outcome": "APPROVE", "comment": "流水稳定，同意展期"})
    tab.page.click("nav a[data-view=restructuring]")
    tab.page.locator(f".restructuring[data-request='{asked['request_id']}']").wait_for()
    tab.page.screenshot(path=str(OUT / "console-16-restructuring.png"), full_page=True)
    first_due = date.fromisoformat(loan["schedule"][0]["due_date"])
    for days in (1, 8):
        frank.call("POST", "/v1/dev/sweeps", {"day": (first_due + timedelta(days=days)).isoformat(),
                                              "credit_line_ids": [line_id]})
    customer_id = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")["customer_id"]
    tab.page.click("nav a[data-view=collections]")
    row = tab.page.locator(f"table.collections tr[data-customer='{customer_id}']")
    row.wait_for()
    tab.page.screenshot(path=str(OUT / "console-17-collections.png"), full_page=True)
    row.click()
    tab.page.locator("#collection-case").wait_for()
    tab.page.screenshot(path=str(OUT / "console-18-collection-case.png"), full_page=True)
    frank.call("POST", "/v1/dev/sweeps", {"day": (first_due + timedelta(days=400)).isoformat(),
                                          "credit_line_ids": [line_id]})
    journey("oscar").call("POST", f"/v1/admin/loans/{loan['loan_id']}/write-off",
                          {"reason": "逾期超过360天，多次催收无果，借款人已停业"}, expect=201)
    tab.page.click("nav a[data-view=write-offs]")
    tab.page.locator(f".write-off[data-loan='{loan['loan_id']}']").wait_for()
    tab.page.screenshot(path=str(OUT / "console-19-write-off.png"), full_page=True)
