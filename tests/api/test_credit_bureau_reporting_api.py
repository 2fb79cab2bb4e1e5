"""Credit-bureau reporting through the API on the local stack: an officer's request for a month end writes one
file to the reports bucket that lists alice's line (asked again: the same report, 200); a customer cannot ask; a
date that is not a month end is a 422; alice disputes her line's record, bob cannot dispute hers, an officer
corrects it and the next report carries the correction; the month-end schedule under its own role."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import boto3

from local.journey import CARD_IDS, Journey, scheduled_run

from ..workflow.test_drawdown import active_line


def stored(day: str) -> list[dict]:
    body = boto3.client("s3").get_object(Bucket=os.environ["REPORTS_BUCKET"],
                                         Key=f"bureau-reporting/{day}/accounts.jsonl")["Body"].read()
    return [json.loads(x) for x in body.decode().splitlines()]


def test_a_month_end_report_lists_the_line_once_and_a_dispute_is_corrected_in_the_next(
        journey: Callable[[str], Journey]) -> None:
    alice, bob, olivia, oscar = journey("alice"), journey("bob"), journey("olivia"), journey("oscar")
    line_id = active_line(alice)
    status, _ = alice.send("POST", "/v1/admin/credit-bureau-reports", alice.token, {"reporting_date": "2026-12-31"})
    assert status == 403
    status, bad = olivia.send("POST", "/v1/admin/credit-bureau-reports", olivia.token,
                              {"reporting_date": "2026-12-30"})
    assert status == 422 and bad["error"]["code"] == "VALIDATION_ERROR"

    first = olivia.call("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": "2026-12-31"}, expect=201)
    again = oscar.call("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": "2026-12-31"}, expect=200)
    assert again == first and first["s3_key"] == "bureau-reporting/2026-12-31/accounts.jsonl"
    assert first["receipt"].startswith("SIM-20261231-") and first["accounts"] >= 1
    header, *rows = stored("2026-12-31")
    assert header["layout"] == first["layout"] and header["records"] == len(rows)
    mine = next(r for r in rows if r["account_id"] == line_id)
    assert mine["record_type"] == "CREDIT_AGREEMENT" and mine["borrower"]["id_number"] == CARD_IDS["valid_zhang"]
    assert mine["events"] == ["OPENED"] and mine["status"] == "NORMAL"
    listed = olivia.call("GET", "/v1/admin/credit-bureau-reports")["items"]
    assert listed[0]["reporting_date"] == "2026-12-31" and listed[0]["sha256"] == first["sha256"]

    status, _ = bob.send("POST", "/v1/credit-disputes", bob.token, {"account_id": line_id, "text": "这条记录有误"})
    assert status == 404  # not his: as if it did not exist
    dispute = alice.call("POST", "/v1/credit-disputes", {"account_id": line_id, "text": "授信额度报送有误"},
                         expect=201)
    assert dispute["reporting_date"] == "2026-12-31" and dispute["status"] == "OPEN"
    assert [d["dispute_id"] for d in bob.call("GET", "/v1/credit-disputes")["items"]] == []
    open_ = olivia.call("GET", "/v1/admin/credit-disputes")["items"]
    assert any(d["dispute_id"] == dispute["dispute_id"] and not d["overdue"] for d in open_)
    status, _ = alice.send("POST", f"/v1/admin/credit-disputes/{dispute['dispute_id']}/resolution", alice.token,
                           {"outcome": "UPHELD", "finding": "我自己认定原记录无误"})
    assert status == 403
    status, _ = olivia.send("POST", f"/v1/admin/credit-disputes/{dispute['dispute_id']}/resolution",
                            olivia.token, {"outcome": "CORRECTED", "finding": "核实后应更正", "corrected_fields":
                                           {"account_id": "line_x"}})
    assert status == 422  # only the record's state is corrected, never whom or which account it is about
    resolved = olivia.call("POST", f"/v1/admin/credit-disputes/{dispute['dispute_id']}/resolution",
                           {"outcome": "CORRECTED", "finding": "核实额度为已用额度口径，予以更正",
                            "corrected_fields": {"balance_fen": 0}})
    assert resolved["status"] == "CORRECTED"
    assert any("异议已核查" in m["text"] for m in alice.call("GET", "/v1/dev/outbox")["items"])

    olivia.call("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": "2027-01-31"}, expect=201)
    fix = next(r for r in stored("2027-01-31")[1:] if r["record_type"] == "CORRECTION")
    assert fix["account_id"] == line_id and fix["corrects_reporting_date"] == "2026-12-31"
    assert fix["dispute_id"] == dispute["dispute_id"] and fix["balance_fen"] == 0
    assert alice.call("GET", "/v1/credit-disputes")["items"][0]["status"] == "REPORTED"


def test_the_month_end_schedule_reports_the_month_that_ended_under_its_own_role(
        journey: Callable[[str], Journey]) -> None:
    active_line(journey("alice"))
    run = scheduled_run("report_to_credit_bureau", "2027-03-01T00:00:00Z")
    assert run["reporting_date"] == "2027-02-28" and run["generated"] and run["accounts"] >= 1
    assert scheduled_run("report_to_credit_bureau", "2027-03-01T00:00:00Z")["generated"] is False  # once
    assert stored("2027-02-28")[0]["reporting_date"] == "2027-02-28"
