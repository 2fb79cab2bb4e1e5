"""Servicing on the phone (390×844, touch) against the local stack: the loan's schedule with the year in every date,
a part prepayment quoted (the lower instalments shown) and confirmed, a restructuring asked for and its outcome,
and the bank's message about it; no JavaScript error on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from local.journey import Journey
from local.stack import DEMO_PASSWORD


def test_a_borrower_prepays_part_asks_for_more_time_and_reads_the_answer(phone: Callable[..., Any],
                                                                         journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    app_id = carol.apply_and_submit()
    carol.wait_status(app_id, "OFFERED")
    line_id = carol.accept_and_sign(app_id)["credit_line_id"]
    loan_id = carol.wait_drawdown(carol.draw(line_id, 1_200_000, 12)["drawdown_id"])["loan_id"]

    tab = phone()
    page = tab.page
    not_found: list[str] = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)
    tab.sign_in("carol", DEMO_PASSWORD)
    page.goto(tab.url + "index.html#/home")  # home offers the next thing to do: her instalment, and drawing more
    page.locator(f"[data-next-due='{loan_id}']", has_text="去还款").wait_for()
    page.tap(f"[data-draw='{line_id}']")
    page.locator("#draw-form").wait_for()  # amounts in one tap: 全部 and the round ones
    page.locator("#quick-amounts .chip", has_text="全部").tap()
    available = carol.call("GET", f"/v1/credit-lines/{line_id}")["available_fen"]
    assert page.input_value("#draw-form input[name=amount]") == str((available - available % 10_000) // 100)
    page.locator("#quick-amounts .chip", has_text="1万").tap()
    assert page.input_value("#draw-form input[name=amount]") == "10000"
    page.goto(tab.url + f"index.html#/loans/{loan_id}")
    page.locator("#loan-schedule").wait_for()
    dates = page.locator("#loan-schedule td.date").all_inner_texts()
    assert len(dates) == 12 and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates), dates

    page.tap("#repay-part")  # part prepayment: quoted first, with the schedule after it
    page.fill("#part-form input[name=principal]", "2000")
    page.tap("#part-form button[type=submit]")
    page.locator("#schedule-after").wait_for()
    assert page.locator("#schedule-after tbody tr").count() == 12  # same dates, lower amounts
    page.tap("#repay-confirm")
    page.locator("#outstanding", has_text="¥10,000.00").wait_for(timeout=30_000)
    assert carol.call("GET", f"/v1/loans/{loan_id}")["outstanding_principal_fen"] == 1_000_000
    # the price stays the one disclosed at drawdown (it read 0.00% and a negative cost once)
    drawn_rate = f"{float(carol.call('GET', f'/v1/loans/{loan_id}')['price']['apr']) * 100:.2f}%"
    assert page.inner_text("#loan-apr") == drawn_rate != "0.00%" and page.inner_text("#loan-cost").startswith("¥")

    page.select_option("#restructuring-form select[name=extra_months]", "6")
    page.fill("#restructuring-form textarea[name=reason]", "旺季推迟，回款需要更长时间")
    page.tap("#restructuring-form button[type=submit]")
    request = page.locator("[data-restructuring]")
    request.wait_for()
    assert "审核中" in request.inner_text() and page.locator("#restructuring-form").count() == 0

    olivia, oscar = journey("olivia"), journey("oscar")  # two officers approve it
    request_id = request.get_attribute("data-restructuring")
    for officer, comment in ((olivia, "流水稳定，同意展期"), (oscar, "复核同意展期")):
        officer.call("POST", f"/v1/admin/restructuring-requests/{request_id}/decision",
                     {"outcome": "APPROVE", "comment": comment})

    page.goto(tab.url + "index.html#/messages")
    message = page.locator(".message[data-kind=RESTRUCTURING_APPROVED]")
    message.wait_for()
    message.locator("a").tap()
    page.locator("#extended", has_text="已展期 6 个月").wait_for()
    assert "已同意" in page.inner_text("[data-restructuring]")
    assert page.locator("#loan-schedule tbody tr").count() == 18
    # the one failed load: home asking the bank for her record after sign-in (she is new to it: 404)
    assert [u.rsplit("/", 2)[-2:] for u in not_found] == [["customer", "profile"]]
    assert tab.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]


def test_a_referrals_wait_ends_with_a_plain_status_and_a_way_back(phone: Callable[..., Any],
                                                                  journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    referred = carol.apply_referred(phone="13900139041")
    tab = phone()
    page = tab.page
    tab.sign_in("carol", DEMO_PASSWORD)
    page.clock.install()  # the page's own clock, so that its 20 seconds of waiting pass at once
    page.goto(tab.url + f"index.html#/applications/{referred}")
    page.locator("#waiting .spinner").wait_for()
    assert "人工审核" in page.inner_text("#progress")
    page.clock.run_for(25_000)
    page.locator("#waiting-actions").wait_for()
    assert page.locator("#waiting .spinner").count() == 0  # it stops turning
    assert "短信通知" in page.inner_text("#progress")
    page.tap("#back-home")
    page.locator(f"[data-application='{referred}']").wait_for()  # home lists it, with where it stands


def test_the_sms_code_button_counts_down_and_a_wrong_code_says_the_tries_left(
        phone: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    app_id = carol.apply(phone="13900139051")
    tab = phone()
    page = tab.page
    tab.sign_in("carol", DEMO_PASSWORD)
    page.goto(tab.url + f"index.html#/applications/{app_id}")
    page.tap("#send-code")
    page.locator("#send-code", has_text="秒后可重新获取").wait_for()
    assert page.locator("#send-code").is_disabled()  # no second code until the API would allow it
    right = carol.latest_code("PHONE_VERIFICATION")
    page.fill("#phone input[name=otp]", f"{(int(right) + 1) % 1_000_000:06d}")
    page.tap("#confirm-code")
    page.locator("#code-status", has_text="还可尝试").wait_for()
    assert re.search(r"还可尝试 \d+ 次", page.inner_text("#code-status"))
    page.fill("#phone input[name=otp]", right)
    page.tap("#confirm-code")
    page.locator("#phone .ok", has_text="已验证").wait_for()
