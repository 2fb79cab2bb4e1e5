"""`make app-screenshots`: each step of the customer's journey on a phone, written to build/screenshots/app/
(deselected from `make test`: the journey is tested in test_mobile.py; this only takes the pictures)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local.journey import IDCARDS, Journey
from local.stack import DEMO_PASSWORD

pytestmark = pytest.mark.screenshots
OUT = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "app"


def test_app_screenshots(phone: Callable[..., Any], journey: Callable[[str], Journey], live: object) -> None:
    from local.journey import run_pre_approval

    OUT.mkdir(parents=True, exist_ok=True)
    run_pre_approval()  # alice's home shows her pre-approved line
    alice, bob = journey("alice"), journey("carol")
    tab = phone()
    page = tab.page

    def shot(name: str, full: bool = False) -> None:
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)

    page.goto(tab.url + "index.html#/product")
    page.locator("#product").wait_for()
    shot("01-product", full=True)
    tab.sign_in("alice", DEMO_PASSWORD)
    shot("02-home")
    page.goto(tab.url + "index.html#/apply")
    page.locator("#consent").wait_for()
    shot("03-consent")
    for _ in range(3):
        page.tap("#agree")
    page.locator("#known").wait_for()  # what the bank holds, read-only; she types the amount and purpose
    page.fill("input[name=requested_amount]", "50000")
    page.fill("input[name=purpose]", "进货周转")
    page.fill("input[name=nature_of_business]", "日用百货零售")
    shot("04-known-customer-form", full=True)
    page.tap("#application button[type=submit]")
    page.locator("#phone .ok").wait_for()  # her phone on record: no SMS
    for doc_type, file in (("ID_CARD_FRONT", "valid_zhang_front.png"), ("ID_CARD_BACK", "valid_zhang_back.png"),
                           ("SELFIE", "selfie.png")):
        page.set_input_files(f"input[name={doc_type}]", str(IDCARDS / file))
        page.locator(f"[data-status={doc_type}] .ok").wait_for(timeout=30_000)
    shot("05-documents", full=True)
    page.tap("#start-liveness")
    page.locator("#liveness .ok").wait_for()
    page.tap("#submit")
    page.locator(".spinner").first.wait_for()
    shot("06-progress")
    page.locator("#offer").wait_for(timeout=60_000)
    shot("07-offer", full=True)
    page.tap("#accept")
    page.locator("#agreement .clause").first.wait_for(timeout=30_000)
    shot("08-contract")
    page.locator("#agreement .clause", has_text="暂停额度").scroll_into_view_if_needed()
    shot("08b-contract-clauses")
    page.tap("#send-sign-code")
    page.locator("#sign .dev").wait_for()
    page.fill("#sign input[name=otp]", alice.latest_otp())
    page.locator("#sign").scroll_into_view_if_needed()
    shot("09-sign")
    page.tap("#sign-contract")
    page.locator("#to-line").wait_for(timeout=60_000)
    shot("10-signed")
    page.tap("#to-line")
    page.locator("#line").wait_for()
    page.tap("#draw")
    page.fill("#draw-form input[name=amount]", "12000")
    page.select_option("#draw-form select[name=term]", "12")
    page.tap("#draw-form button[type=submit]")
    page.locator("#schedule").wait_for()
    shot("11-drawdown-preview", full=True)
    page.tap("#confirm-draw")
    page.locator("#booked").wait_for(timeout=60_000)
    shot("12-paid")
    page.tap("#booked a")
    page.locator("#loan-schedule").wait_for()
    page.tap("#repay-part")  # part prepayment: the schedule after it shown before she confirms
    page.fill("#part-form input[name=principal]", "2000")
    page.tap("#part-form button[type=submit]")
    page.locator("#schedule-after").wait_for()
    shot("18-part-prepayment", full=True)
    page.tap("#repay-confirm")
    page.locator("#outstanding", has_text="¥10,000.00").wait_for(timeout=30_000)
    page.select_option("#restructuring-form select[name=extra_months]", "6")
    page.fill("#restructuring-form textarea[name=reason]", "旺季推迟，回款需要更长时间")
    page.tap("#restructuring-form button[type=submit]")
    request = page.locator("[data-restructuring]")
    request.wait_for()
    shot("19-restructuring-asked", full=True)
    for officer, comment in (("olivia", "流水稳定，同意展期"), ("oscar", "复核同意展期")):
        journey(officer).call("POST", f"/v1/admin/restructuring-requests/{request.get_attribute('data-restructuring')}"
                              "/decision", {"outcome": "APPROVE", "comment": comment})
    page.goto(tab.url + "index.html#/messages")
    page.locator(".message[data-kind=RESTRUCTURING_APPROVED]").wait_for()
    shot("20-messages", full=True)
    page.locator(".message[data-kind=RESTRUCTURING_APPROVED] a").tap()
    page.locator("#extended").wait_for()
    page.tap("#repay-quote")
    page.locator("#repay-total").wait_for()
    shot("13-loan-and-early-repayment", full=True)
    page.tap("#repay-confirm")
    page.locator("#loan[data-status=CLOSED]").wait_for(timeout=30_000)
    page.goto(tab.url + "index.html#/home")
    page.locator("[data-line]").first.click()
    page.locator("#history").wait_for()
    shot("14-line-and-history", full=True)
    page.goto(tab.url + "index.html#/disputes")
    page.locator("#dispute-form").wait_for()
    shot("17-credit-dispute", full=True)

    new_tab = phone()  # carol, new to the bank: the typed form, checked as she types
    new_tab.sign_in("carol", DEMO_PASSWORD)
    new_tab.page.goto(new_tab.url + "index.html#/product")  # an application names its product: chosen first
    new_tab.page.locator("#start").tap()
    new_tab.page.locator("#consent").wait_for()
    for _ in range(3):
        new_tab.page.tap("#agree")
    new_tab.page.locator("#application").wait_for()
    new_tab.page.fill("input[name='applicant.phone']", "1380013800")
    new_tab.page.tap("#application button[type=submit]")
    new_tab.page.wait_for_timeout(300)
    new_tab.page.screenshot(path=str(OUT / "04b-new-customer-form-checks.png"), full_page=True)

    declined = bob.apply_and_submit(card="risky_zhou", phone="13900139001")
    bob.wait_status(declined, "DECLINED")
    bob_tab = phone()
    bob_tab.sign_in("carol", DEMO_PASSWORD)
    bob_tab.page.goto(bob_tab.url + f"index.html#/applications/{declined}")
    bob_tab.page.locator("#declined li").first.wait_for()
    bob_tab.page.screenshot(path=str(OUT / "15-declined.png"), full_page=True)
    bob_tab.page.goto(bob_tab.url + "index.html#/complaints")
    bob_tab.page.locator("#complaint-form").wait_for()
    bob_tab.page.fill("#complaint-form textarea[name=text]", "客服电话一直占线，希望改进")
    bob_tab.page.tap("#complaint-form button[type=submit]")
    bob_tab.page.locator("[data-complaint]").first.wait_for()
    bob_tab.page.wait_for_timeout(300)
    bob_tab.page.screenshot(path=str(OUT / "16-complaints.png"), full_page=True)
    profile_404 = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert bob_tab.errors in ([], profile_404) and new_tab.errors in ([], profile_404) and tab.errors == []
