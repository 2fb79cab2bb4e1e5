"""`make demo`'s last part: the products as data and a loan's life after payout. dave (吴建国, the `farmer_wu`
card), a rice farmer new to the bank, chooses the seasonal product from GET /v1/products, draws on it (interest
quarterly, the principal at harvest), gets a reminder three days before an instalment, and asks for more time after
a drought: two officers approve it (the same officer twice is refused) and the loan is 关注 for a year. The seasonal
product is found in the catalogue by its shape (a product with harvest months), never by its code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.business_date import beijing_time, business_date
from chalicelib.domain.products import PRODUCTS
from local.journey import Journey

FARMING = {"nature_of_business": "水稻种植", "beneficial_owner": "APPLICANT", "industry": "AGRICULTURE"}


def loan_life(dave: Journey, olivia: Journey, oscar: Journey, step: Callable[[str], None]) -> None:
    step("GET /v1/products: the catalogue the app offers (one data file; a new product is one entry in it)")
    for p in dave.call("GET", "/v1/products")["items"]:
        print(f"  {p['name_zh']}: {p['terms_months'][0]}-{p['terms_months'][-1]} months, "
              f"{'、'.join(p['repayment_methods_zh'])}"
              + (f", matures in a harvest month {p['harvest_months']}" if p.get("harvest_months") else ""))
    seasonal = next(p for p in PRODUCTS.values() if p.seasonal)

    step(f"dave, a rice farmer, applies for {seasonal.name_zh}; his line offers only its repayment methods; he draws "
         "20,000 yuan maturing at harvest: interest each quarter, the principal in the harvest month")
    app_id = dave.apply_and_submit(card="farmer_wu", product_code=seasonal.code, due_diligence=FARMING,
                                   requested_fen=5_000_000, phone="13900139021", business_name="吴建国家庭农场",
                                   registration_no="92330502MA2C7E8F9A")
    dave.wait_status(app_id, "OFFERED")
    line_id = dave.accept_and_sign(app_id)["credit_line_id"]
    term = seasonal.terms_from(business_date(datetime.now(UTC)))[-1]
    drawn = dave.wait_drawdown(dave.draw(line_id, 2_000_000, term_months=term,
                                         method="INTEREST_QUARTERLY")["drawdown_id"])
    loan = dave.call("GET", f"/v1/loans/{drawn['loan_id']}")
    for row in loan["schedule"]:
        print(f"    {row['number']}  {row['due_date']}  principal {row['principal_fen']:>8}  "
              f"interest {row['interest_fen']:>6}")
    print(f"  {loan['repayment_method_zh']}, APR {loan['price']['apr']}")

    step("the daily sweep three days before his first instalment: a reminder by SMS and in the app's messages "
         "(only to him, 8:00-21:00 Beijing; at night it waits for the morning)")
    first_due = date.fromisoformat(loan["schedule"][0]["due_date"])
    dave.call("POST", "/v1/dev/sweeps", {"day": (first_due - timedelta(days=3)).isoformat(),
                                         "credit_line_ids": [line_id]})
    reminders = [m for m in dave.call("GET", "/v1/messages")["items"] if m["subject_id"] == loan["loan_id"]]
    if reminders:
        print(f"  dave reads: {reminders[0]['title']} - {reminders[0]['text']}")
    else:
        print(f"  it is {beijing_time(datetime.now(UTC)):%H:%M} in Beijing: the reminder is held until 8:00")

    maturity = date.fromisoformat(loan["schedule"][-1]["due_date"])
    extra = next(m for m in range(6, 13) if (maturity.month + m - 1) % 12 + 1 in seasonal.harvest_months)
    step(f"a drought: dave asks in the app for {extra} more months (展期), to the next harvest month (an extension "
         "must still end at a harvest); olivia approves, olivia again is refused, oscar approves; the new schedule "
         "is booked, the old one closed, the loan 关注 for 12 months")
    asked = dave.call("POST", f"/v1/loans/{loan['loan_id']}/restructuring-requests",
                      {"kind": "EXTENSION", "extra_months": extra, "reason": "今年旱情减产，申请展期至下一季收获"},
                      expect=201)
    path = f"/v1/admin/restructuring-requests/{asked['request_id']}/decision"
    olivia.call("POST", path, {"outcome": "APPROVE", "comment": "核实旱情属实，同意展期"})
    again = olivia.call("POST", path, {"outcome": "APPROVE", "comment": "我再批一次"}, expect=409)
    print(f"  olivia twice: 409 {again['error']['code']}")
    oscar.call("POST", path, {"outcome": "APPROVE", "comment": "复核同意展期"})
    after = dave.call("GET", f"/v1/loans/{loan['loan_id']}")
    file = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")
    mine = next(x for x in file["loans"] if x["loan"]["loan_id"] == loan["loan_id"])
    print(f"  term {loan['term_months']} -> {after['term_months']} months, maturity "
          f"{loan['schedule'][-1]['due_date']} -> {after['schedule'][-1]['due_date']}; "
          f"{mine['classification_zh']} until {after['observed_until']} (the console's 展期审批 and line pages)")
    told = next(m for m in dave.call("GET", "/v1/messages")["items"] if m["kind"] == "RESTRUCTURING_APPROVED")
    print(f"  dave reads: {told['text']}")
