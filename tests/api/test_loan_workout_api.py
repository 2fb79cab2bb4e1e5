"""A loan's life after payout through the API on the local stack: a restructuring approved by two officers (the
same officer twice refused) lengthens the schedule and leaves the loan at least 关注, as the officers' line view
shows; a loan swept far past 360 days overdue is written off only when a second officer confirms, and a recovery
is credited; the reminders reach the app's messages within the contact hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.domain.business_date import beijing_time
from local.journey import Journey

# accounts ending 0009: the core simulator refuses their collections until they are topped up (one per test: a
# top-up funds the account number for good)
EMPTY_ACCOUNT, EMPTY_ACCOUNT_TOO = "6222021234567890009", "6222021234567810009"


def drawn(who: Journey, account: str = "6222021234567890123") -> tuple[str, dict[str, Any]]:
    app_id = who.apply_and_submit(account=account)
    who.wait_status(app_id, "OFFERED")
    line_id = who.accept_and_sign(app_id)["credit_line_id"]
    dd = who.wait_drawdown(who.draw(line_id, 1_200_000, account=account)["drawdown_id"])
    return line_id, who.call("GET", f"/v1/loans/{dd['loan_id']}")


def sweep(who: Journey, line_id: str, day: date) -> dict[str, Any]:
    return dict(who.call("POST", "/v1/dev/sweeps", {"day": day.isoformat(), "credit_line_ids": [line_id]}))


def test_two_officers_extend_a_loan_and_it_stays_under_observation(journey: Callable[[str], Journey], api: Any,
                                                                  tokens: dict[str, str]) -> None:
    carol, olivia, oscar = journey("carol"), journey("olivia"), journey("oscar")
    line_id, loan = drawn(carol)
    ask = {"kind": "EXTENSION", "extra_months": 6, "reason": "旺季推迟，回款需要更长时间"}
    assert api.send("POST", f"/v1/loans/{loan['loan_id']}/restructuring-requests", tokens["alice"], ask)[0] == 404
    asked = carol.call("POST", f"/v1/loans/{loan['loan_id']}/restructuring-requests", ask, expect=201)
    assert asked["request_id"].startswith("rs_") and asked["status"] == "AWAITING_FIRST_DECISION"
    status, _again = api.send("POST", f"/v1/loans/{loan['loan_id']}/restructuring-requests", tokens["carol"], ask)
    assert status == 409  # one open request per loan
    listed = olivia.call("GET", "/v1/admin/restructuring-requests")["items"]
    assert asked["request_id"] in [r["request_id"] for r in listed]
    path = f"/v1/admin/restructuring-requests/{asked['request_id']}/decision"
    first = olivia.call("POST", path, {"outcome": "APPROVE", "comment": "流水稳定，同意展期"})
    assert first["status"] == "AWAITING_SECOND_DECISION"
    status, same = api.send("POST", path, tokens["olivia"], {"outcome": "APPROVE", "comment": "我再批一次"})
    assert status == 409 and same["error"]["code"] == "SECOND_OFFICER_REQUIRED"
    assert carol.call("GET", f"/v1/loans/{loan['loan_id']}")["term_months"] == 12  # one approval books nothing
    done = oscar.call("POST", path, {"outcome": "APPROVE", "comment": "复核同意展期"})
    assert done["status"] == "APPROVED" and len(done["decisions"]) == 2

    after = carol.call("GET", f"/v1/loans/{loan['loan_id']}")
    assert after["term_months"] == 18 and after["extended_months"] == 6 and len(after["schedule"]) == 18
    assert after["schedule"][-1]["due_date"] > loan["schedule"][-1]["due_date"]
    file = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")
    mine = next(x for x in file["loans"] if x["loan"]["loan_id"] == loan["loan_id"])
    assert mine["classification"] == "SPECIAL_MENTION" and mine["classification_zh"] == "关注"
    assert mine["under_observation"] and mine["loan"]["observed_until"]
    assert mine["closed_schedules"][0]["instalments"] == 12
    assert any(t["kind"] == "RESTRUCTURING" for t in file["ledger"])
    mine_requests = carol.call("GET", "/v1/restructuring-requests")["items"]
    assert mine_requests[0]["status"] == "APPROVED" and mine_requests[0]["status_zh"] == "已批准"
    assert [d["officer_id"] for d in mine_requests[0]["decisions"]] == [None, None]  # she is not told who
    assert all(d["officer_id"] for d in done["decisions"])  # the officers are
    assert any(x["kind"] == "RESTRUCTURING_APPROVED" for x in carol.call("GET", "/v1/messages")["items"])


def test_reminders_reach_the_borrower_within_the_contact_hours(journey: Callable[[str], Journey]) -> None:
    carol, olivia = journey("carol"), journey("olivia")
    line_id, loan = drawn(carol, EMPTY_ACCOUNT)
    due = date.fromisoformat(loan["schedule"][0]["due_date"])
    sweep(carol, line_id, due - timedelta(days=3))
    sweep(carol, line_id, due + timedelta(days=1))
    hour = beijing_time(datetime.now(UTC)).hour
    kinds = [x["kind"] for x in carol.call("GET", "/v1/messages")["items"] if x["subject_id"] == loan["loan_id"]]
    customer = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")["customer_id"]
    listed = [c["customer_id"] for b in olivia.call("GET", "/v1/admin/collections")["buckets"] for c in b["cases"]]
    assert customer in listed
    case = olivia.call("GET", f"/v1/admin/collections/{customer}")
    if 8 <= hour < 21:  # the rules let the sweep send now
        assert kinds == ["REMINDER_MISSED_1_DAY", "REMINDER_DUE_IN_3_DAYS"]
    else:  # at night they wait, and the case says so
        assert kinds == [] and case["pending_reminders"]
    assert case["bucket"] == "1-30" and case["days_past_due"] == 1
    carol.call("POST", "/v1/dev/core-banking/top-ups", {"credit_line_id": line_id})
    caught_up = sweep(carol, line_id, due + timedelta(days=2))  # the daily retry collects once money is there
    assert caught_up["collected"] == 1 and carol.call("GET", f"/v1/loans/{loan['loan_id']}")["days_past_due"] == 0


def test_a_loan_far_past_360_days_is_written_off_only_when_a_second_officer_confirms(
        journey: Callable[[str], Journey], api: Any, tokens: dict[str, str]) -> None:
    erin, olivia, oscar = journey("erin"), journey("olivia"), journey("oscar")  # erin: only this test's
    line_id, loan = drawn(erin, EMPTY_ACCOUNT_TOO)
    path = f"/v1/admin/loans/{loan['loan_id']}/write-off"
    status, current = api.send("POST", path, tokens["olivia"], {"reason": "试图核销一笔正常的贷款"})
    assert status == 409 and current["error"]["code"] == "WRITE_OFF_NOT_ELIGIBLE"  # a current loan
    run = sweep(erin, line_id, date.fromisoformat(loan["schedule"][0]["due_date"]) + timedelta(days=400))
    assert run["overdue"] == 1, run
    file = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")
    assert next(x for x in file["loans"] if x["loan"]["loan_id"] == loan["loan_id"])["classification"] == "LOSS"

    proposed = olivia.call("POST", path, {"reason": "逾期超过360天，多次催收无果，借款人已停业"}, expect=201)
    assert proposed["status"] == "PROPOSED" and proposed["needs_second_officer"]
    status, same = api.send("POST", path, tokens["olivia"], {"reason": "我自己再确认一次这笔核销"})
    assert status == 409 and same["error"]["code"] == "SECOND_OFFICER_REQUIRED"
    assert erin.call("GET", f"/v1/loans/{loan['loan_id']}")["status"] == "ACTIVE"
    assert loan["loan_id"] in [w["loan_id"] for w in oscar.call("GET", "/v1/admin/write-offs")["items"]]
    confirmed = oscar.call("POST", path, {"reason": "核实催收记录与损失认定，同意核销"})
    assert confirmed["status"] == "CONFIRMED"
    gone = erin.call("GET", f"/v1/loans/{loan['loan_id']}")
    assert gone["status"] == "WRITTEN_OFF" and gone["next_action"] == "NONE" and gone["written_off_balance_fen"] > 0
    file = olivia.call("GET", f"/v1/admin/credit-lines/{line_id}")
    assert {"WRITE_OFF", "OFF_BALANCE_WRITE_OFF"} <= {t["kind"] for t in file["ledger"]}
    assert file["line"]["status"] == "FROZEN"

    erin.call("POST", "/v1/dev/core-banking/top-ups", {"credit_line_id": line_id})
    recovery = olivia.call("POST", f"/v1/admin/loans/{loan['loan_id']}/recoveries", {"amount_fen": 100_000},
                           expect=201, headers={"Idempotency-Key": f"recovery-{loan['loan_id'][-8:]}"})
    assert recovery["owed_after_fen"] == gone["written_off_balance_fen"] - 100_000
    assert erin.call("GET", f"/v1/loans/{loan['loan_id']}")["written_off_balance_fen"] == recovery["owed_after_fen"]
