"""The H5 application in headless Chromium, the two ways, in one run: a customer typing everything (what alice had
to do before the app read the bank's record, and what a customer new to the bank still does) and alice applying
from her record. Counted: the fields typed, the taps, and the seconds from the product page to a submitted
application (photos, liveness and the SMS included; the decision's wait is not)."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from typing import Any

from local.journey import IDCARDS, Journey
from local.stack import DEMO_PASSWORD

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
TYPED = {"applicant.name": "张三", "applicant.phone": "13800138000", "business.name": "张三便利店",
         "business.registration_no": "91330100MA2B3C4D5N", "business.years_in_business": "3",
         "business.annual_revenue": "500000", "requested_amount": "50000", "purpose": "进货周转",
         "payout_account_no": "6222021234567890123", "nature_of_business": "日用百货零售"}


@dataclass
class Counted:
    page: Any
    fields: int = 0
    taps: int = 0

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.fields += 1

    def tap(self, selector: str) -> None:
        self.page.tap(selector)
        self.taps += 1


def apply_in_the_browser(browser: Any, api_url: str, user: str, journey: Journey) -> tuple[int, int, float]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    c = Counted(page)
    page.goto(f"{api_url}/app/index.html#/login")
    page.fill("#sign-in input[name=username]", user)
    page.fill("#sign-in input[name=password]", DEMO_PASSWORD)
    page.click("#sign-in button[type=submit]")
    page.locator("#sign-out").wait_for()
    page.goto(f"{api_url}/app/index.html#/product")
    page.locator("#product").wait_for()
    start = time.perf_counter()
    c.tap("#start")
    for kind in ("PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC"):
        page.locator(f"#consent[data-kind={kind}]").wait_for()
        c.tap("#agree")
    page.locator("#application").wait_for()
    if page.locator("#known").count():  # the bank knows her: the amount and the purpose, her account picked
        c.fill("input[name=requested_amount]", "50000")
        c.fill("input[name=purpose]", "进货周转")
        c.fill("input[name=nature_of_business]", "日用百货零售")
    else:
        for name, value in TYPED.items():
            c.fill(f"input[name='{name}']", value)
    c.tap("#application button[type=submit]")
    page.locator("#documents").wait_for()
    if not page.locator("#phone .ok").count():  # the SMS proof a customer new to the bank gives
        c.tap("#send-code")
        page.locator("#phone .dev").wait_for()
        c.fill("#phone input[name=otp]", journey.latest_code("PHONE_VERIFICATION"))
        c.tap("#confirm-code")
        page.locator("#phone .ok").wait_for()
    for doc_type, file in (("ID_CARD_FRONT", "valid_zhang_front.png"), ("ID_CARD_BACK", "valid_zhang_back.png"),
                           ("SELFIE", "selfie.png")):
        page.set_input_files(f"input[name={doc_type}]", str(IDCARDS / file))
        c.taps += 1  # (a photo taken is a tap)
        page.locator(f"[data-status={doc_type}] .ok").wait_for(timeout=60_000)
    c.tap("#start-liveness")
    page.locator("#liveness .ok").wait_for()
    c.tap("#submit")
    page.locator("#progress, #offer").first.wait_for()
    seconds = time.perf_counter() - start
    context.close()
    return c.fields, c.taps, seconds


def http_journey(api_url: str, token: str) -> Journey:
    import json

    import requests

    def send(method: str, path: str, tok: str | None, body: Any, headers: dict[str, str] | None) -> Any:
        h = {"Content-Type": "application/json", **(headers or {})}
        if tok:
            h["Authorization"] = f"Bearer {tok}"
        r = requests.request(method, api_url + path, headers=h, data=json.dumps(body) if body is not None else None,
                             timeout=30)
        return r.status_code, r.json() if r.content else None

    def upload(url: str, fields: dict[str, str], data: bytes, content_type: str) -> int:
        return int(requests.post(url, data=fields, files={"file": ("doc", data, content_type)}, timeout=30).status_code)

    return Journey(send, upload, token)


def h5_journey_bench(api_url: str, tokens: dict[str, str], report: Any) -> None:
    """carol, new to the bank, types alice's details as alice had to before; then alice applies from her record."""
    from playwright.sync_api import sync_playwright

    typed, known = http_journey(api_url, tokens["carol"]), http_journey(api_url, tokens["alice"])

    executable = shutil.which("chromium")
    if executable is None:
        report("  H5 journey: chromium is not installed (make installs it)")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            for label, user, journey in (("typed, as before (or new to the bank)", "carol", typed),
                                         ("from her record at the bank", "alice", known)):
                fields, taps, seconds = apply_in_the_browser(browser, api_url, user, journey)
                report(f"  {'H5 application, ' + label:<58} {fields} fields typed, {taps} taps, "
                       f"{seconds:.1f} s to submitted")
        finally:
            browser.close()
