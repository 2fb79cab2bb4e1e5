"""`make demo`: drives the running local stack over HTTP, as the mobile app and a risk officer would: alice, whom
the bank knows, applies from her record with nothing typed but the amount (documents by presigned S3 POST,
submit, offer, contract + OTP, signed, credit line ACTIVE), is paid into her own account, repays; bob, known but
not pre-approved, applies; carol, new to the bank, goes the typed way: declined, referred-then-approved; and
someone else's card on alice's application is refused; dave draws on the seasonal product and is given more time."""

from __future__ import annotations

import json
import sys
from typing import Any

import requests

from local.demo_loan_life import loan_life
from local.journey import Journey
from local.stack import STATE_FILE, issue_token


def main() -> None:
    if not STATE_FILE.exists():
        sys.exit("start the local stack first: make run")
    state = json.loads(STATE_FILE.read_text(encoding="utf-8"))
    api = state["api_url"]

    def send(method: str, path: str, token: str | None, body: Any, headers: dict[str, str] | None) -> Any:
        h = {"Content-Type": "application/json", **(headers or {})}
        if token:
            h["Authorization"] = f"Bearer {token}"
        r = requests.request(method, api + path, headers=h, data=json.dumps(body) if body is not None else None,
                             timeout=30)
        return r.status_code, r.json() if r.content else None

    def upload(url: str, fields: dict[str, str], data: bytes, content_type: str) -> int:
        return requests.post(url, data=fields, files={"file": ("doc", data, content_type)}, timeout=30).status_code

    def token(user: str) -> str:
        return issue_token(state["aws_endpoint_url"], state["region"], state["user_pool_id"],
                           state["app_client_id"], user, operator_key=state["operator_key"])

    alice = Journey(send, upload, token("alice"))
    step("alice (张三) opens 贷款申请: the app reads her record at the bank (masked) and her pre-approved line")
    profile = alice.profile()
    assert profile is not None
    show(profile, ["name_masked", "id_number_masked", "phone_masked", "business", "pre_approval"])
    for account in profile["accounts"]:
        print(f"    {account['account_class']}类户 {account['account_no_masked']}  {account['status']}  "
              f"{'可收款' if account['can_receive_payout'] else '不可接收贷款'}  {account['account_id']}")
    own = next(a["account_id"] for a in profile["accounts"] if a["can_receive_payout"])
    step("alice applies for 50,000 yuan with nothing typed but the amount and purpose, her own account chosen; "
         "her phone is the one on record (no SMS to prove it); her ID card photos are read by OCR and must be the "
         "card on her record; her live face (liveness) is matched to the card's portrait and to her selfie")
    app_id = alice.apply_from_record(5_000_000, own)
    alice.upload_documents(app_id, "valid_zhang")
    print(f"  liveness: {alice.pass_liveness(app_id)}")
    show(alice.call("GET", f"/v1/applications/{app_id}"), ["status", "phone_verified", "liveness_passed"])
    alice.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    step("the workflow checks the card, the live face, the ID number's holder and velocity; her bureau history "
         "grades A")
    offered = alice.wait_status(app_id, "OFFERED", "DECLINED", "UNDER_REVIEW", "FAILED")
    if offered["status"] == "UNDER_REVIEW":  # a run of the demo before this one left a court record about her
        olivia = Journey(send, upload, token("olivia"))
        item = next(i for i in olivia.call("GET", "/v1/admin/reviews")["items"] if i["application_id"] == app_id)
        print(f"  referred {item['reason_codes']}: the bank already knows of "
              f"{[k['rule'] for k in item['known_risks']]} (an earlier run of this demo); olivia reads the "
              "evidence and approves")
        olivia.call("POST", f"/v1/admin/reviews/{app_id}/decision",
                    {"decision": "APPROVE", "comment": "案件已执行完毕，经营正常"})
        offered = alice.wait_status(app_id, "OFFERED", "DECLINED", "FAILED")
    show(offered, ["application_id", "status", "identity", "decision", "offer"])
    step("alice accepts; the contract PDF is generated and its sha256 shown; she asks for the signing code, reads "
         "it from the dev outbox and signs (PAdES B-LTA: her event certificate, the bank's KMS seal, timestamps)")
    unsigned = alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    show(unsigned, ["contract_no", "status", "sha256", "template_version"])
    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    signed = alice.call("POST", f"/v1/applications/{app_id}/contract/signature", {"otp": alice.latest_otp()})
    for signature in signed["signatures"]:
        print(f"    {signature['field']:<17} {signature['signer']:<60} timestamp {signature['timestamp_at']}")
    verification = alice.call("GET", f"/v1/applications/{app_id}/contract/verification")
    show(verification, ["valid", "pades_level", "modified_after_last_signature", "summary"])
    active = alice.wait_status(app_id, "ACTIVE", "FAILED")
    show(active, ["status", "credit_line_id"])
    line_id = active["credit_line_id"]
    step("alice draws 10,000 yuan over 12 months, equal instalments (Idempotency-Key sent twice), paid into her "
         "own account at the bank: no bank-card four-element check (the bank holds it in her name)")
    body = {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
            "payout_account_id": own}
    key = {"Idempotency-Key": "demo-" + app_id[-12:]}
    accepted = alice.call("POST", f"/v1/credit-lines/{line_id}/drawdowns", body, expect=202, headers=key)
    again = alice.call("POST", f"/v1/credit-lines/{line_id}/drawdowns", body, expect=202, headers=key)
    print(f"  same key, same body -> same answer: {accepted == again}")
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    show(drawdown, ["drawdown_id", "status", "loan_id"])
    loan = alice.call("GET", f"/v1/loans/{drawdown['loan_id']}")
    print(f"  loan {loan['loan_id']}: {loan['principal_fen']} fen at {loan['annual_rate']}, "
          f"total interest {loan['total_interest_fen']} fen")
    for row in loan["schedule"]:
        print(f"    {row['number']:>2}  {row['due_date']}  principal {row['principal_fen']:>8}  "
              f"interest {row['interest_fen']:>6}  total {row['total_fen']:>8}")
    show(alice.call("GET", f"/v1/credit-lines/{line_id}"), ["limit_fen", "available_fen", "status"])
    print(f"  APR {loan['apr']}; {loan['interest_convention']}")
    step("alice prepays 3,000 yuan of principal: the same dates, lower instalments; 3,000 yuan of line restored")
    part = alice.call("POST", f"/v1/loans/{loan['loan_id']}/repayment-quote", {"principal_fen": 300_000})
    show(part, ["kind", "principal_fen", "interest_fen", "total_fen"])
    print(f"  instalment after it: {part['schedule_after'][0]['total_fen']} fen "
          f"(was {loan['schedule'][0]['total_fen']})")
    alice.call("POST", f"/v1/loans/{loan['loan_id']}/repayments",
               {"quoted_total_fen": part["total_fen"], "principal_fen": 300_000},
               headers={"Idempotency-Key": "demo-part-" + app_id[-12:]})
    step("alice repays the rest early: a quote, then the quoted amount with an Idempotency-Key; the line is restored")
    quote = alice.call("POST", f"/v1/loans/{loan['loan_id']}/repayment-quote")
    show(quote, ["principal_fen", "interest_fen", "total_fen", "interest_days"])
    paid = alice.call("POST", f"/v1/loans/{loan['loan_id']}/repayments", {"quoted_total_fen": quote["total_fen"]},
                      headers={"Idempotency-Key": "demo-repay-" + app_id[-12:]})
    show(paid, ["repayment_id", "total_fen", "loan_status"])
    history = alice.call("GET", f"/v1/credit-lines/{line_id}/history")
    for item in history["items"]:
        print(f"    {item['occurred_at'][:19]}  {item['event']:<20} {item['available_change_fen']:>+10} fen")
    show(history, ["limit_fen", "available_fen"])

    post_loan(alice, Journey(send, upload, token("olivia")), line_id)

    step("someone else's ID card on alice's application: refused, whatever she types")
    other = alice.apply_from_record(2_000_000, own)
    alice.upload_documents(other, "longterm_li")
    alice.pass_liveness(other)
    alice.call("POST", f"/v1/applications/{other}/submit", expect=202)
    refused_card = alice.wait_status(other, "DECLINED")
    print(f"  {refused_card['status']}: {refused_card['identity']['reason_codes']}")

    bob = Journey(send, upload, token("bob"))
    step("bob (李梅) is known to the bank but not pre-approved (nine months, small flows); the bank has no "
         "business on file for him, so he types it; his long-term ID card is the one on his record")
    bobs = bob.profile()
    assert bobs is not None
    print(f"  pre-approval: {bobs['pre_approval']}")
    bob_app = bob.apply_from_record(3_000_000, business={
        "name": "李梅小吃店", "registration_no": "91110105MA01B2C3DL", "years_in_business": 2,
        "annual_revenue_fen": 30_000_000})
    bob.upload_documents(bob_app, "longterm_li")
    bob.pass_liveness(bob_app)
    bob.call("POST", f"/v1/applications/{bob_app}/submit", expect=202)
    decided = bob.wait_status(bob_app, "OFFERED", "DECLINED", "UNDER_REVIEW", "FAILED")
    show(decided, ["status", "decision", "offer"])

    thin = Journey(send, upload, token("sandbox-thin"))
    step("钱多多 (the sandbox-thin login) has no credit-bureau record at all, and twelve years of strong accounts "
         "at the bank: the bank's own scorecard approves her, and says why")
    thin_app = thin.apply_from_record(5_000_000)
    thin.upload_documents(thin_app, "thin_qian")
    thin.pass_liveness(thin_app)
    thin.call("POST", f"/v1/applications/{thin_app}/submit", expect=202)
    thin_offer = thin.wait_status(thin_app, "OFFERED", "UNDER_REVIEW", "DECLINED", "FAILED")
    print(f"  {thin_offer['status']}, line {(thin_offer['offer'] or {}).get('credit_limit_fen')} fen")
    for reason in thin_offer["decision"]["reasons"]:
        print(f"  {reason['code']}: {reason['zh']}")

    carol = Journey(send, upload, token("carol"))
    step("carol is new to the bank: GET /v1/customer/profile answers 404 CUSTOMER_RECORD_NOT_FOUND, and she "
         f"types her details (profile: {carol.profile()})")
    step("carol applies as 周杰, whose bureau history grades F: declined, with reasons she can read")
    declined = carol.wait_status(carol.apply_and_submit(card="risky_zhou", phone="13900139001"), "DECLINED")
    for reason in declined["decision"]["reasons"]:
        print(f"  {reason['code']}: {reason['zh']} / {reason['en']}")
    step("carol asks for a person to review the system's decision (PIPL Art. 24); olivia upholds it in the "
         "console's inbox, and carol is told why by SMS")
    asked = carol.call("POST", f"/v1/applications/{declined['application_id']}/human-review",
                       {"reason": "我近两年按时还款，请人工再看一下"}, expect=201)
    print(f"  review {asked['review_id']} due {asked['due_at'][:10]}")
    olivia_reviewer = Journey(send, upload, token("olivia"))
    olivia_reviewer.call("POST", f"/v1/admin/human-reviews/{asked['review_id']}/decision",
                         {"outcome": "UPHELD", "comment": "经人工复核，征信记录显示近期逾期较多，维持原审批结果。"})
    told = next(m for m in carol.call("GET", "/v1/dev/outbox")["items"] if m["template"] == "HUMAN_REVIEW_DECIDED")
    print(f"  carol is told: {told['text']}")

    step("carol uploads an ID card whose number has a wrong check digit: declined by identity verification")
    bad_card = carol.wait_status(carol.apply_and_submit(card="bad_check_zhao", phone="13900139002"), "DECLINED")
    show(bad_card, ["status", "decision", "identity"])

    step("carol applies as 孙丽 (grade D) for 150,000 yuan: referred; a line above 100,000 needs two officers")
    referred_id = carol.apply_and_submit(card="refer_sun", requested_fen=15_000_000, revenue_fen=200_000_000,
                                       phone="13900139003")
    carol.wait_status(referred_id, "UNDER_REVIEW")
    olivia, oscar = Journey(send, upload, token("olivia")), Journey(send, upload, token("oscar"))
    item = next(i for i in olivia.call("GET", "/v1/admin/reviews")["items"] if i["application_id"] == referred_id)
    print(f"  olivia sees {item['applicant_name_masked']}, grade {item['risk']['grade']}, PD {item['risk']['pd']}, "
          f"score {item['risk']['score']}, reasons {[r['code'] for r in item['risk']['reasons']]}")
    first = olivia.call("POST", f"/v1/admin/reviews/{referred_id}/decision",
                        {"decision": "APPROVE", "comment": "经营流水稳定，下调额度", "credit_limit_fen": 12_000_000})
    show(first, ["decision", "status", "credit_limit_fen"])
    second = oscar.call("POST", f"/v1/admin/reviews/{referred_id}/decision",
                        {"decision": "APPROVE", "comment": "复核同意"})
    show(second, ["decision", "status", "credit_limit_fen", "decided_by"])
    show(carol.wait_status(referred_id, "OFFERED"), ["status", "offer"])

    step("carol tries 张三's ID card under her own login: the number already belongs to another customer")
    stolen = carol.wait_status(carol.apply_and_submit(card="valid_zhang", phone="13900139004"), "DECLINED")
    print(f"  {stolen['status']}: {stolen['decision']['reason_codes']}")

    step("carol complains in the app about the interest; olivia answers it from the console's 客户投诉 worklist "
         "(due in 15 days); carol reads the answer in the app and by SMS")
    filed = carol.call("POST", "/v1/complaints", {"category": "PRICING", "text": "利息比我预计的多，请核实计息方式"},
                       expect=201)
    print(f"  filed {filed['complaint_id']}, due {filed['due_at'][:10]}")
    olivia.call("POST", f"/v1/admin/complaints/{filed['complaint_id']}/reply",
                {"reply": "经核实，利息按合同年利率按日计息，计算无误，已电话向您说明。"})
    print(f"  carol reads: {carol.call('GET', '/v1/complaints')['items'][0]['reply']}")

    compliance(alice, app_id, line_id, bob, bob_app, carol, olivia, Journey(send, upload, token("clara")))
    loan_life(Journey(send, upload, token("dave")), olivia, oscar, step)
    print("\ndemo complete")


def compliance(alice: Journey, app_id: str, line_id: str, bob: Journey, bob_app: str, carol: Journey,
               olivia: Journey, clara: Journey) -> None:
    """What the compliance officers sign off, one of each, with the console page where an officer sees it."""
    from datetime import date, timedelta

    from local.journey import CARD_IDS, CONSENTS, application_body

    step("the contract alice signed is template v2: the app shows its words at phone width (the same agreement "
         "as the PDF) - freezing, cutting and accelerating on named events, banned uses of funds, bureau "
         "reporting, the complaint channel; she can download the signed PDF")
    words = alice.call("GET", f"/v1/applications/{app_id}/contract/agreement")
    print(f"  {words['template_version']}: " + "、".join(c["heading"] for c in words["clauses"]))
    print(f"  第八条: {next(c['text'] for c in words['clauses'] if c['heading'].startswith('第八条'))[:90]}…")

    step("the month-end credit-bureau report (征信报送; the console's 征信报送 page): one file per reporting date - "
         "asked again, the same report; alice's line is in it")
    today = date.today()
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    report = olivia.call("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": month_end.isoformat()},
                         expect=(200, 201, 202))
    again = olivia.call("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": month_end.isoformat()},
                        expect=(200, 202))
    print(f"  {report['reporting_date']}: {report['accounts']} accounts, receipt {report['receipt']}, "
          f"{report['s3_key']}; again: the same sha256 {again['sha256'] == report['sha256']}")
    dispute = alice.call("POST", "/v1/credit-disputes", {"account_id": line_id, "text": "我的额度已用金额报送有误"},
                         expect=201)
    olivia.call("POST", f"/v1/admin/credit-disputes/{dispute['dispute_id']}/resolution",
                {"outcome": "UPHELD", "finding": "核实报送数据与账务一致，原记录无误，予以维持"})
    print(f"  alice's dispute (due {dispute['due_at'][:10]}): UPHELD, told by SMS")

    step("a sanctions list names bob's ID number: his line is frozen at once (RED); only clara, the compliance "
         "officer, may lift it; the hit is on her AML worklist (the console's 反洗钱 page), kept ten years")
    bob_line = bob.accept_and_sign(bob_app)["credit_line_id"] if bob.call(
        "GET", f"/v1/applications/{bob_app}")["status"] == "OFFERED" else None
    entry = f"SAN-DEMO-{bob_app[-6:]}"
    bob.call("POST", "/v1/dev/external-records", {"source": "SANCTIONS", "id_number": CARD_IDS["longterm_li"],
             "record": {"kind": "SANCTIONS", "entry_no": entry, "list_name": "演示制裁名单"}}, expect=202)
    if bob_line:
        frozen = bob.wait_for(f"/v1/credit-lines/{bob_line}", lambda b: b["status"] == "FROZEN")
        print(f"  bob's line FROZEN; he reads only: {frozen['notice']}")
    case = next((c for c in clara.call("GET", "/v1/admin/aml-cases")["items"]
                 if c["evidence"].get("entry_no") == entry), None)
    if case:
        clara.call("POST", f"/v1/admin/aml-cases/{case['case_id']}/decision",
                   {"outcome": "REPORT", "comment": "名单核实一致，已报送可疑交易报告"})
        print(f"  clara reports case {case['case_id']} ({case['kind_zh']})")
    bob.call("POST", "/v1/dev/external-records", {"source": "SANCTIONS", "id_number": CARD_IDS["longterm_li"],
             "record": {"kind": "SANCTIONS", "entry_no": entry, "status": "REMOVED"}}, expect=202)
    print("  (the list provider then removes the entry: the record is forgotten and the warning closes)")

    step("carol does not agree to face recognition: she applies to be verified in person (no selfie, no "
         "liveness); the workflow waits until olivia records her visit to a branch (the console's 当面核验 page)")
    body = {**application_body(name="孙丽", phone="13900139005"), "identity_verification": "IN_PERSON",
            "consents": [c for c in CONSENTS if c["kind"] != "BIOMETRIC"]}
    visit = str(carol.call("POST", "/v1/applications", body, expect=201)["application_id"])
    carol.upload_documents(visit, "refer_sun", types=("ID_CARD_FRONT", "ID_CARD_BACK"))
    carol.submit(visit)
    waiting = carol.wait_for(f"/v1/applications/{visit}", lambda b: b["next_action"] == "VERIFY_IN_PERSON"
                             or b["status"] != "SUBMITTED")
    print(f"  carol's application: {waiting['status']}, next: {waiting['next_action']}")
    if waiting["next_action"] == "VERIFY_IN_PERSON":
        olivia.call("POST", f"/v1/admin/applications/{visit}/in-person-verification",
                    {"outcome": "VERIFIED", "channel": "BRANCH", "branch": "上城支行营业部",
                     "comment": "核对身份证原件与本人一致"})
        after = carol.wait_status(visit, "OFFERED", "UNDER_REVIEW", "DECLINED", "FAILED")
        print(f"  verified in person at 上城支行营业部: the application goes on to credit -> {after['status']}")


def post_loan(alice: Journey, olivia: Journey, line_id: str) -> None:
    """Post-loan early warning: a court record freezes the line within seconds (RED); a tax drop holds the next
    drawdown for an officer (ORANGE)."""
    import time

    from local.journey import CARD_IDS

    step("the court enforcement feed lists alice's ID number as a dishonest judgment debtor (失信被执行人); the "
         "record lands as an event and her line is frozen at once")
    started = time.monotonic()
    alice.call("POST", "/v1/dev/external-records", {
        "source": "JUDICIAL", "id_number": CARD_IDS["valid_zhang"],
        "record": {"kind": "DISHONEST_DEBTOR", "case_no": f"（2026）浙0102执{line_id[-5:]}号",
                   "court": "杭州市上城区人民法院", "amount_fen": 8_600_000, "filed_on": "2026-11-20"}}, expect=202)
    line = alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")
    print(f"  record -> line FROZEN in {(time.monotonic() - started) * 1000:.0f} ms; alice reads: {line['notice']}")
    status, refused = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", alice.token,
                                 {"amount_fen": 100_000, "term_months": 6, "repayment_method": "EQUAL_PRINCIPAL",
                                  "account_no": "6222021234567890123"}, {"Idempotency-Key": f"frozen-{line_id[-12:]}"})
    print(f"  a drawdown now: {status} {refused['error']['code']}: {refused['error']['message']}")
    warning = next(w for w in olivia.call("GET", "/v1/admin/warnings?level=RED")["items"]
                   if w["credit_line_id"] == line_id)
    cause = warning["causes"][0]
    print(f"  olivia's worklist: {warning['level']} {cause['reason_zh']} (task due {warning['task_due_at'][:16]}), "
          f"evidence {json.dumps(cause['evidence'], ensure_ascii=False)}")
    olivia.call("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",
                {"action": "UNFREEZE", "comment": "已核实案件已执行完毕并撤销，经营正常，恢复额度"})
    print(f"  olivia unfreezes with a comment: line {alice.call('GET', f'/v1/credit-lines/{line_id}')['status']}")
    drawn = alice.wait_drawdown(alice.draw(line_id, 100_000, 6, "EQUAL_PRINCIPAL")["drawdown_id"])
    print(f"  alice draws again: {drawn['status']}")

    step("the tax feed reports alice's shop's declared sales: the last three months 60% below a year earlier "
         "(ORANGE): her next drawdown waits for an officer")
    sales = {f"2025-{m:02d}": 5_000_000 for m in range(1, 13)}
    sales.update({f"2026-{m:02d}": 5_000_000 if m < 9 else 2_000_000 for m in range(1, 12)})
    alice.call("POST", "/v1/dev/external-records", {
        "source": "TAX", "registration_no": "91330100MA2B3C4D5N",
        "record": {"kind": "MONTHLY_SALES", "record_no": f"VAT-{line_id[-8:]}", "monthly_sales_fen": sales}},
        expect=202)
    noticed = alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: bool(b.get("notice")))
    print(f"  alice reads: {noticed['notice']}")
    held = alice.draw(line_id, 200_000, 6, "EQUAL_PRINCIPAL")
    print(f"  her drawdown: {alice.call('GET', held['status_url'])['status']}")
    waiting = next(w for w in olivia.call("GET", "/v1/admin/drawdowns/awaiting-approval")["items"]
                   if w["drawdown"]["drawdown_id"] == held["drawdown_id"])
    print(f"  olivia sees it held by {waiting['warning_level']} {waiting['reason_codes']} and approves it")
    olivia.call("POST", f"/v1/admin/drawdowns/{held['drawdown_id']}/decision",
                {"decision": "APPROVE", "comment": "销售下降为季节性备货所致，同意放款"})
    print(f"  her drawdown: {alice.wait_drawdown(held['drawdown_id'])['status']}")


def step(text: str) -> None:
    print(f"\n== {text}")


def show(body: dict[str, Any], keys: list[str]) -> None:
    print("  " + json.dumps({k: body.get(k) for k in keys}, ensure_ascii=False))


if __name__ == "__main__":
    main()
