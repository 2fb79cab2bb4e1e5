"""Complaints through the API, the abuses first: a complaint about another customer's loan is refused (and
nothing is filed), a customer never lists another's complaints nor answers one, an answer is given once; a
complaint gets its due date, officers see the open ones earliest due first, the answer reaches the customer by
SMS and in the app, and both acts are in the trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib import bootstrap
from local.journey import Journey


def a_loan(person: Journey) -> tuple[str, str]:
    app_id = person.apply_and_submit()
    person.wait_status(app_id, "OFFERED")
    line_id = person.accept_and_sign(app_id)["credit_line_id"]
    loan_id = person.wait_drawdown(person.draw(line_id, 1_000_000)["drawdown_id"])["loan_id"]
    return line_id, loan_id


def test_complaints_are_filed_answered_once_and_kept_to_their_customer(journey: Callable[[str], Journey],
                                                                       api: Any, tokens: dict[str, str]) -> None:
    alice, carol, olivia = journey("alice"), journey("carol"), journey("olivia")
    line_id, loan_id = a_loan(alice)
    about_hers = {"category": "PRICING", "text": "利息比我算的多，请核实", "subject_id": loan_id}
    status, body = api.send("POST", "/v1/complaints", tokens["carol"], about_hers)  # alice's loan, carol's token
    assert status == 404 and body["error"]["code"] == "NOT_FOUND"
    assert carol.call("GET", "/v1/complaints")["items"] == []  # nothing was filed

    filed = alice.call("POST", "/v1/complaints", about_hers, expect=201)
    opened = datetime.fromisoformat(filed["opened_at"])
    assert datetime.fromisoformat(filed["due_at"]) - opened == timedelta(days=15) and filed["status"] == "OPEN"
    assert filed["category_zh"] == "利率与费用"
    assert [c["complaint_id"] for c in alice.call("GET", "/v1/complaints")["items"]] == [filed["complaint_id"]]
    assert carol.call("GET", "/v1/complaints")["items"] == []

    worklist = olivia.call("GET", "/v1/admin/complaints")["items"]
    assert filed["complaint_id"] in [c["complaint_id"] for c in worklist] and not worklist[0]["overdue"]
    assert api.send("GET", "/v1/admin/complaints", tokens["alice"])[0] == 403  # not for customers
    reply = {"reply": "经核实，利息按合同年利率按日计息，计算无误，已电话向您说明。"}
    assert api.send("POST", f"/v1/admin/complaints/{filed['complaint_id']}/reply", tokens["alice"], reply)[0] == 403
    assert api.send("POST", f"/v1/admin/complaints/{filed['complaint_id']}/reply", tokens["olivia"],
                    {"reply": "好"})[0] == 422
    answered = olivia.call("POST", f"/v1/admin/complaints/{filed['complaint_id']}/reply", reply)
    assert answered["status"] == "ANSWERED" and answered["reply"] == reply["reply"]
    status, _ = api.send("POST", f"/v1/admin/complaints/{filed['complaint_id']}/reply", tokens["oscar"], reply)
    assert status == 409  # answered once
    assert alice.call("GET", "/v1/complaints")["items"][0]["reply"] == reply["reply"]  # in the app
    sms = [m for m in alice.call("GET", "/v1/dev/outbox")["items"] if m["template"] == "COMPLAINT_ANSWERED"]
    assert sms and "投诉已有答复" in sms[0]["text"]
    trail = [e["event"] for e in bootstrap.deps().repo.audit_trail(filed["complaint_id"])]
    assert trail == ["ComplaintReceived", "ComplaintAnswered"]
    assert filed["complaint_id"] not in [c["complaint_id"] for c in olivia.call("GET", "/v1/admin/complaints")["items"]]
    # a complaint about nothing in particular, and one about her line
    assert alice.call("POST", "/v1/complaints", {"category": "SERVICE", "text": "客服电话很难打通"}, expect=201)
    assert alice.call("POST", "/v1/complaints", {"category": "OTHER", "text": "额度太低了", "subject_id": line_id},
                      expect=201)
