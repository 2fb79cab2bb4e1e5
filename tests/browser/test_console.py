"""The back-office console end to end in headless Chromium against the local stack: officers sign in, a referred
application is approved at a lower line by one officer and confirmed by another, a RED warning is disposed of,
the dashboard draws its charts, a customer is refused; no JavaScript error on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from local.journey import CARD_IDS, Journey, run_sweep
from local.stack import DEMO_PASSWORD


def test_two_officers_approve_a_referred_application_at_a_lower_line(console: Callable[..., Any],
                                                                     journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    referred = bob.apply_referred(phone="13900139013")

    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    row = olivia.page.locator(f"tr[data-application='{referred}']")
    row.wait_for()
    assert "待初审" in row.inner_text()
    row.click()
    olivia.page.locator("#reason-chart canvas").wait_for()  # the reasons drawn as a chart
    assert olivia.page.locator("text=违约概率 PD").is_visible()
    assert olivia.page.inner_text("#face-band") == "与证件照：相符；与自拍照：相符"  # bands, never a score
    shown = olivia.page.inner_text("main")  # the reasons, the verdict: in words, never a raw code
    assert re.search(r"[\u4e00-\u9fff]", olivia.page.inner_text("#referral-reasons"))
    assert not re.search(r"\b[A-Z]{2,}_[A-Z_]+\b|\bPASS\b", shown), shown
    olivia.page.click("#show-images")  # the card images: watermarked copies through one-minute links
    images = olivia.page.locator("#card-images img")
    images.first.wait_for()
    olivia.page.wait_for_function("() => [...document.querySelectorAll('#card-images img')]"
                                  ".every((i) => i.complete && i.naturalWidth > 0)")
    assert images.count() == 3
    olivia.page.fill("#reveal input[name=reason]", "客户来电核实身份")  # an unmasked value: with a reason, audited
    olivia.page.click("#reveal button[type=submit]")
    olivia.page.locator("#revealed", has_text=CARD_IDS["refer_sun"]).wait_for()
    olivia.page.fill("#decision input[name=limit]", "120000")
    olivia.page.fill("#decision textarea[name=comment]", "经营流水稳定，下调额度至12万元")
    olivia.page.click("#decision button[value=APPROVE]")
    olivia.page.locator("#toast", has_text="等待第二位审批人复核").wait_for()

    oscar = console()
    oscar.sign_in("oscar", DEMO_PASSWORD)
    row = oscar.page.locator(f"tr[data-application='{referred}']")
    row.wait_for()
    assert "初审：" in row.inner_text()
    row.click()
    oscar.page.fill("#decision textarea[name=comment]", "复核同意")
    oscar.page.click("#decision button[value=APPROVE]")
    oscar.page.locator("#toast", has_text="审批已完成").wait_for()
    offered = bob.wait_status(referred, "OFFERED")
    assert offered["offer"]["credit_limit_fen"] == 12_000_000
    assert olivia.errors == [] and oscar.errors == []


def test_an_officer_unfreezes_a_red_warning_and_the_dashboard_draws(console: Callable[..., Any],
                                                                    journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    alice.wait_drawdown(alice.draw(line_id, 500_000, 6, "EQUAL_PRINCIPAL")["drawdown_id"])
    alice.call("POST", "/v1/dev/external-records", {
        "source": "JUDICIAL", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "DISHONEST_DEBTOR", "case_no": f"（2026）浙0102执{line_id[-6:]}号", "court": "上城区法院"}},
        expect=202)
    assert alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")

    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    olivia.page.locator("#bar").wait_for()  # signed in
    olivia.page.click("nav a[data-view=warnings]")
    row = olivia.page.locator(f"#warnings tr[data-line='{line_id}']")  # this line's (earlier tests leave others)
    row.wait_for()
    assert "失信被执行人" in row.inner_text()
    row.click()
    olivia.page.locator("#disposition").wait_for()
    assert olivia.page.locator("text=上城区法院").first.is_visible()  # the evidence
    olivia.page.select_option("#disposition select[name=action]", "UNFREEZE")
    olivia.page.fill("#disposition textarea[name=comment]", "已核实为同名误报，恢复额度")
    olivia.page.click("#disposition button[type=submit]")
    olivia.page.locator("text=该预警已关闭").wait_for()
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["status"] == "ACTIVE"
    olivia.page.click("#line-link")  # the line, its loan with schedule and classification, the ledger
    olivia.page.locator(".loan .classification").wait_for()
    assert olivia.page.inner_text(".loan .classification") == "正常"
    assert olivia.page.locator(".schedule tbody tr").count() == 6
    history, book = olivia.page.inner_text("#line-history"), olivia.page.inner_text("#ledger")
    assert "冻结额度" in history and "放款" in book and "贷款本金" in book  # in words, never a raw code
    assert not re.search(r"\b[A-Z][a-z]+[A-Z]\w+|\b[A-Z]{2,}_[A-Z_]+", history + book), history + book

    olivia.page.click("nav a[data-view=dashboard]")  # before the first sweep: no book figure, not ¥0.00
    olivia.page.locator("#as-of", has_text="尚未运行日终批处理").wait_for()
    assert olivia.page.inner_text("#kpi-outstanding .kpi") == "—" and olivia.page.inner_text("#kpi-npl .kpi") == "—"
    assert "暂无数据" in olivia.page.inner_text("#chart-classes")  # not five equal slices over zeros
    olivia.page.locator("#chart-funnel canvas").wait_for()  # today's applications are there already

    run_sweep(_today())  # the dashboard shows the latest sweep
    olivia.page.click("nav a[data-view=warnings]")
    olivia.page.click("nav a[data-view=dashboard]")
    for chart in ("chart-buckets", "chart-classes", "chart-funnel", "chart-cash"):
        olivia.page.locator(f"#{chart} canvas").wait_for()
    assert re.search(r"贷款余额\s*¥[\d,]+\.\d\d\s*截至 \d{4}-\d\d-\d\d 日终", olivia.page.inner_text("main"))
    # a handful of scores and loans is no evidence of drift: said so, and no model warning raised
    assert "样本不足" in olivia.page.inner_text("#chart-psi") and "样本不足" in olivia.page.inner_text("#chart-vintage")
    assert "需行动" not in olivia.page.inner_text("main")
    olivia.page.screenshot(path="build/screenshots/console-dashboard-test.png", full_page=True)
    assert olivia.errors == []


def test_an_officer_finds_a_customer_and_reads_the_line_the_contract_and_the_audit_trail(
        console: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    alice.wait_drawdown(alice.draw(line_id, 300_000, 3)["drawdown_id"])

    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    olivia.page.locator("#bar").wait_for()
    olivia.page.click("nav a[data-view=customers]")
    mistyped = CARD_IDS["valid_zhang"][:-1] + ("0" if CARD_IDS["valid_zhang"][-1] != "0" else "1")
    olivia.page.fill("#customer-search input[name=value]", mistyped)  # told at once, not searched nor audited
    olivia.page.locator("#customer-search .error", has_text="末位校验码不符").wait_for()
    olivia.page.fill("#customer-search input[name=value]", CARD_IDS["valid_zhang"])
    olivia.page.click("#customer-search button[type=submit]")
    olivia.page.locator(f"#customer-lines tr[data-line='{line_id}']").click()
    olivia.page.locator("#drawdowns").wait_for()
    assert "已入账" in olivia.page.inner_text("#drawdowns") and "¥3,000.00" in olivia.page.inner_text("#drawdowns")
    assert re.search(r"人民币.+整", olivia.page.inner_text("#line"))  # the limit as the contract writes it
    olivia.page.click("#contract-link")
    olivia.page.locator("#verification").wait_for()
    assert "有效：全部签名与时间戳有效" in olivia.page.inner_text("#verification")
    olivia.page.click("nav a[data-view=reconciliation]")
    olivia.page.locator("text=已勾对金额").wait_for()
    olivia.page.click("nav a[data-view=audit]")
    olivia.page.select_option("#audit-search select[name=action]", "CustomerLookedUp")
    olivia.page.click("#audit-search button[type=submit]")
    olivia.page.locator("#audit", has_text="按身份证号查询客户").wait_for()
    assert CARD_IDS["valid_zhang"] not in olivia.page.inner_text("#audit")
    assert olivia.errors == []


def test_a_customer_cannot_sign_in_and_a_wrong_password_is_refused(console: Callable[..., Any]) -> None:
    tab = console()
    tab.sign_in("alice", DEMO_PASSWORD)
    tab.page.locator("text=不是本行工作人员账户").wait_for()
    tab.sign_in("olivia", "not-her-password")
    tab.page.locator("text=用户名或密码错误").wait_for()
    assert tab.page.locator("#bar").is_hidden()
    assert tab.errors == [] or all("401" in e or "403" in e for e in tab.errors)  # the refused requests only


def test_the_console_is_served_with_a_strict_content_security_policy(console: Callable[..., Any]) -> None:
    tab = console()
    response = tab.page.goto(tab.url + "index.html")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe" not in policy
    assert response.headers["cache-control"] == "no-store"
    assert tab.page.evaluate("() => Object.keys(localStorage).length + Object.keys(sessionStorage).length") == 0


def _today() -> str:
    from datetime import UTC, datetime

    from chalicelib.domain.business_date import business_date

    return business_date(datetime.now(UTC)).isoformat()


def test_a_complaint_filed_in_the_app_is_answered_in_the_console_and_the_answer_reaches_the_app(
        console: Callable[..., Any], phone: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    tab = phone()
    tab.sign_in("carol", DEMO_PASSWORD)
    tab.page.goto(tab.url + "index.html#/complaints")
    tab.page.locator("#complaint-form").wait_for()
    tab.page.select_option("#complaint-form select[name=category]", "SERVICE")
    tab.page.fill("#complaint-form textarea[name=text]", "客服电话一直占线，希望改进")
    tab.page.tap("#complaint-form button[type=submit]")
    mine = tab.page.locator("[data-complaint]").first
    mine.wait_for()
    assert "处理中" in mine.inner_text() and "前答复" in mine.inner_text()
    complaint_id = mine.get_attribute("data-complaint")

    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    olivia.page.locator("#bar").wait_for()
    olivia.page.click("nav a[data-view=complaints]")
    form = olivia.page.locator(f"form[data-complaint='{complaint_id}']")
    form.wait_for()
    assert "服务" in olivia.page.inner_text("main") and "客服电话一直占线" in olivia.page.inner_text("main")
    form.locator("textarea[name=reply]").fill("已增加客服坐席并安排专人回电，感谢您的反馈。")
    form.locator("button[type=submit]").click()
    olivia.page.locator(f"form[data-complaint='{complaint_id}']").wait_for(state="detached")

    tab.page.goto(tab.url + "index.html#/home")
    tab.page.locator("#to-complaints").wait_for()
    tab.page.goto(tab.url + "index.html#/complaints")
    tab.page.locator(f"[data-complaint='{complaint_id}'] .ok", has_text="已增加客服坐席").wait_for()
    assert olivia.errors == []
    assert tab.errors in ([], ["Failed to load resource: the server responded with a status of 404 (Not Found)"])


def test_a_declined_applicant_asks_for_a_person_and_an_officer_answers_in_the_inbox(
        console: Callable[..., Any], phone: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    carol = journey("carol")
    declined = carol.apply_and_submit(card="risky_zhou", phone="13900139021")
    carol.wait_status(declined, "DECLINED")
    tab = phone()
    tab.sign_in("carol", DEMO_PASSWORD)
    tab.page.goto(tab.url + f"index.html#/applications/{declined}")
    tab.page.locator("#human-review").wait_for()
    tab.page.fill("#human-review textarea[name=reason]", "我近两年都按时还款，请人工再看一下")
    tab.page.tap("#human-review button[type=submit]")
    tab.page.locator("#human-review-accepted").wait_for()

    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    form = olivia.page.locator("form[data-human-review]").first
    form.wait_for()
    assert "按时还款" in olivia.page.inner_text("main") and "拒绝" in olivia.page.inner_text("main")
    form.locator("select[name=outcome]").select_option("UPHELD")
    form.locator("textarea[name=comment]").fill("经人工复核，近期逾期较多，维持原审批结果。")
    form.locator("button[type=submit]").click()
    olivia.page.locator("form[data-human-review]").first.wait_for(state="detached")
    sms = [m for m in carol.call("GET", "/v1/dev/outbox")["items"] if m["template"] == "HUMAN_REVIEW_DECIDED"]
    assert sms and "维持" in sms[0]["text"]
    assert olivia.errors == []
    assert tab.errors in ([], ["Failed to load resource: the server responded with a status of 404 (Not Found)"])


def test_an_officer_reports_a_month_end_and_resolves_a_dispute_filed_in_the_app(
        console: Callable[..., Any], phone: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.accept_and_sign(app_id)
    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    olivia.page.locator("#bar").wait_for()
    olivia.page.click("nav a[data-view=bureau]")
    olivia.page.fill("#bureau-report-form input[name=reporting_date]", "2026-12-31")
    olivia.page.click("#bureau-report-form button[type=submit]")
    row = olivia.page.locator("#bureau-reports tr[data-date='2026-12-31']")
    row.wait_for()
    assert "已生成并报送" in row.inner_text() and "SIM-20261231-" in row.inner_text()
    olivia.page.fill("#bureau-report-form input[name=reporting_date]", "2026-12-30")
    olivia.page.click("#bureau-report-form button[type=submit]")
    olivia.page.locator("#bureau-report-form .error", has_text=re.compile(r"\S")).wait_for()  # refused, said

    tab = phone()
    tab.sign_in("alice", DEMO_PASSWORD)
    tab.page.goto(tab.url + "index.html#/disputes")
    tab.page.locator("#dispute-form").wait_for()
    tab.page.fill("#dispute-form textarea[name=text]", "额度的已用金额报送有误")
    tab.page.tap("#dispute-form button[type=submit]")
    mine = tab.page.locator("[data-dispute]").first
    mine.wait_for()
    assert "核查中" in mine.inner_text()
    dispute_id = mine.get_attribute("data-dispute")

    olivia.page.click("nav a[data-view=complaints]")  # away and back: the page reads the worklist again
    olivia.page.locator("main h1", has_text="客户投诉").wait_for()
    olivia.page.click("nav a[data-view=bureau]")
    form = olivia.page.locator(f"form[data-dispute='{dispute_id}']")
    form.wait_for()
    form.locator("input[name=balance_fen]").fill("0")
    form.locator("textarea[name=finding]").fill("核实额度已用金额口径有误，予以更正")
    form.locator("button[type=submit]").click()
    olivia.page.locator(f"form[data-dispute='{dispute_id}']").wait_for(state="detached")
    tab.page.goto(tab.url + "index.html#/home")
    tab.page.goto(tab.url + "index.html#/disputes")
    tab.page.locator(f"[data-dispute='{dispute_id}'] .ok", has_text="将在下次报送时更正").wait_for()
    assert olivia.errors == [] or all("422" in e for e in olivia.errors)
    assert tab.errors == []


def test_a_compliance_officer_decides_a_sanctions_case_that_a_risk_officer_cannot_see(
        console: Callable[..., Any], journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    alice.call("POST", "/v1/dev/external-records", {
        "source": "SANCTIONS", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "SANCTIONS", "entry_no": f"SAN-UI-{line_id[-6:]}", "list_name": "演示制裁名单"}},
        expect=202)
    alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")
    olivia = console()
    olivia.sign_in("olivia", DEMO_PASSWORD)
    olivia.page.locator("#bar").wait_for()
    olivia.page.click("nav a[data-view=aml]")
    olivia.page.locator("#aml-forbidden").wait_for()  # a risk officer is told, not shown
    clara = console()
    clara.sign_in("clara", DEMO_PASSWORD)
    clara.page.locator("#bar").wait_for()
    clara.page.click("nav a[data-view=aml]")
    card = clara.page.locator(".card.aml", has_text=f"SAN-UI-{line_id[-6:]}")
    card.wait_for()
    assert "制裁或监控名单命中" in card.inner_text() and "名单推送" in card.inner_text()
    card.locator("textarea[name=comment]").fill("名单核实一致，已报送可疑交易报告")
    card.locator("button[type=submit]").click()
    card.wait_for(state="detached")
    assert clara.errors == [] and all("403" in e for e in olivia.errors)
    for w in journey("clara").call("GET", "/v1/admin/warnings?level=RED")["items"]:  # the next test's alice is clean
        if w["status"] == "OPEN":
            journey("clara").call("POST", f"/v1/admin/warnings/{w['warning_id']}/disposition",
                                  {"action": "UNFREEZE", "comment": "名单机构已撤销该条目，恢复额度"})
