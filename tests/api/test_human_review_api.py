"""The right to a person (PIPL Art. 24) through the API, the abuses first: a customer cannot ask for a review of
another's application (nor learn it exists), nor twice for her own, nor of a decision an officer already made, nor
decide one; a declined applicant's request reaches the officers' inbox with its due date; the outcome is recorded
in the application's trail and told to her by SMS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib import bootstrap
from local.journey import Journey


def test_a_declined_applicant_asks_a_person_and_is_told_the_outcome(journey: Callable[[str], Journey], api: Any,
                                                                   tokens: dict[str, str]) -> None:
    carol, olivia = journey("carol"), journey("olivia")
    declined = carol.apply_and_submit(card="risky_zhou", phone="13900139011")
    carol.wait_status(declined, "DECLINED")
    ask = {"reason": "我近两年按时还款，请人工再看一下"}
    status, _ = api.send("POST", f"/v1/applications/{declined}/human-review", tokens["alice"], ask)
    assert status == 404  # another's application: not even its existence is told
    assert api.send("POST", f"/v1/applications/{declined}/human-review", tokens["carol"], {"reason": "看"})[0] == 422

    review = carol.call("POST", f"/v1/applications/{declined}/human-review", ask, expect=201)
    assert review["status"] == "OPEN"
    assert datetime.fromisoformat(review["due_at"]) - datetime.fromisoformat(review["requested_at"]) == timedelta(
        days=15)
    status, again = api.send("POST", f"/v1/applications/{declined}/human-review", tokens["carol"], ask)
    assert status == 409 and again["error"]["code"] == "HUMAN_REVIEW_ALREADY_REQUESTED"

    inbox = olivia.call("GET", "/v1/admin/reviews")["human_reviews"]
    mine = next(r for r in inbox if r["review_id"] == review["review_id"])
    assert mine["decided"].startswith("DECLINE") and not mine["overdue"] and mine["reason"] == ask["reason"]
    outcome = {"outcome": "UPHELD", "comment": "经人工复核，征信记录显示近期逾期较多，维持原审批结果。"}
    path = f"/v1/admin/human-reviews/{review['review_id']}/decision"
    assert api.send("POST", path, tokens["carol"], outcome)[0] == 403  # not for customers
    decided = olivia.call("POST", path, outcome)
    assert decided["status"] == "DECIDED" and decided["outcome"] == "UPHELD"
    assert api.send("POST", path, tokens["oscar"], outcome)[0] == 409  # decided once
    sms = [m for m in carol.call("GET", "/v1/dev/outbox")["items"] if m["template"] == "HUMAN_REVIEW_DECIDED"]
    assert sms and "原审批结果维持" in sms[0]["text"]
    trail = [e["event"] for e in bootstrap.deps().repo.audit_trail(declined)]
    assert trail[-2:] == ["HumanReviewRequested", "HumanReviewDecided"]
    assert review["review_id"] not in [r["review_id"] for r in olivia.call("GET", "/v1/admin/reviews")["human_reviews"]]


def test_a_decision_an_officer_made_was_already_a_persons(journey: Callable[[str], Journey], api: Any,
                                                         tokens: dict[str, str]) -> None:
    carol, olivia = journey("carol"), journey("olivia")
    referred = carol.apply_and_submit(card="refer_sun", requested_fen=8_000_000, revenue_fen=100_000_000,
                                      phone="13900139012")
    carol.wait_status(referred, "UNDER_REVIEW")
    status, _ = api.send("POST", f"/v1/applications/{referred}/human-review", tokens["carol"],
                         {"reason": "还没有结果，请人工看看"})
    assert status == 409  # nothing decided yet
    olivia.call("POST", f"/v1/admin/reviews/{referred}/decision", {"decision": "DECLINE", "comment": "经营收入不足"})
    carol.wait_status(referred, "DECLINED")
    status, body = api.send("POST", f"/v1/applications/{referred}/human-review", tokens["carol"],
                            {"reason": "请再人工看看我的申请"})
    assert status == 409 and body["error"]["details"] == {"decided_by": "officer"}
