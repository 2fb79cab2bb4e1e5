"""Sanctions and watch-list screening (the anti-money-laundering law) on the local stack, the attacks first: a
listing freezes a borrower's active line at once with a RED warning that only a compliance officer may close; a
listed applicant waits for a compliance officer and is never told why; a listing that lands while a drawdown is in
flight stops its payout; and each drawdown is screened when asked and again at the reservation."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3

from chalicelib import bootstrap
from chalicelib.adapters.core_banking_simulator import SimulatedCoreBanking
from chalicelib.domain.external_records import FeedSource
from chalicelib.services import monitoring
from chalicelib.services.servicing import drawdowns
from local.journey import CARD_IDS, Journey

from .test_drawdown import active_line

LISTING = {"kind": "SANCTIONS", "list_name": "演示制裁名单", "listed_on": "2026-12-01", "status": "ACTIVE"}


def _listed(person: Journey, card: str, entry: str) -> dict[str, Any]:
    return person.call("POST", "/v1/dev/external-records", {
        "source": "SANCTIONS", "id_number": CARD_IDS[card], "record": {**LISTING, "entry_no": entry}}, expect=202)


def lift_every_listing(clara: Journey) -> None:
    for w in clara.call("GET", "/v1/admin/warnings?level=RED")["items"]:
        if w["status"] == "OPEN" and any(c["rule"] == "SANCTIONS_LISTED" for c in w["causes"]):
            clara.call("POST", f"/v1/admin/warnings/{w['warning_id']}/disposition",
                       {"action": "UNFREEZE", "comment": "名单机构已撤销该条目，恢复额度"})


def test_a_listing_freezes_an_active_line_at_once_and_only_a_compliance_officer_closes_its_warning(
        journey: Callable[[str], Journey]) -> None:
    alice, olivia, clara = journey("alice"), journey("olivia"), journey("clara")
    line_id = active_line(alice)
    delivered = _listed(alice, "valid_zhang", f"SAN-{line_id[-6:]}")
    assert delivered["key"].startswith("external/SANCTIONS/") and CARD_IDS["valid_zhang"] not in delivered["key"]

    frozen = alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")
    assert "制裁" not in frozen["notice"] and "洗钱" not in frozen["notice"]  # she is not told of a listing
    assert not any("制裁" in m["text"] or "洗钱" in m["text"] for m in alice.call("GET", "/v1/dev/outbox")["items"])
    warning = next(w for w in olivia.call("GET", "/v1/admin/warnings?level=RED")["items"]
                   if w["credit_line_id"] == line_id)
    assert warning["causes"][0]["rule"] == "SANCTIONS_LISTED" and warning["line_status"] == "FROZEN"
    assert warning["causes"][0]["evidence"]["list_name"] == "演示制裁名单"
    assert CARD_IDS["valid_zhang"] not in str(warning)

    for action in ("UNFREEZE", "FALSE_ALARM", "REDUCE_LIMIT"):  # a risk officer may not lift it, nor change it
        status, refused = olivia.send("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",
                                      olivia.token, {"action": action, "comment": "经营正常，恢复额度",
                                                     **({"new_limit_fen": 100_000} if action == "REDUCE_LIMIT"
                                                        else {})})
        assert status == 403 and refused["error"]["code"] == "COMPLIANCE_OFFICER_REQUIRED", action
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["status"] == "FROZEN"
    kept = clara.call("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",
                      {"action": "KEEP_FROZEN", "comment": "名单核实一致，保持冻结并上报"})
    assert kept["line_status"] == "FROZEN" and kept["history"][-1]["by"]
    # the listing is on the compliance officers' worklist (theirs alone); the decided case is kept ten years
    status, _ = olivia.send("GET", "/v1/admin/aml-cases", olivia.token)
    assert status == 403
    case = next(c for c in clara.call("GET", "/v1/admin/aml-cases")["items"]
                if c["kind"] == "SANCTIONS_HIT" and c["evidence"].get("entry_no") == f"SAN-{line_id[-6:]}")
    assert case["evidence"]["at"] == "LISTING" and CARD_IDS["valid_zhang"] not in str(case)
    status, _ = olivia.send("POST", f"/v1/admin/aml-cases/{case['case_id']}/decision", olivia.token,
                            {"outcome": "REPORT", "comment": "我来替合规部门上报这笔"})
    assert status == 403
    reported = clara.call("POST", f"/v1/admin/aml-cases/{case['case_id']}/decision",
                          {"outcome": "REPORT", "comment": "名单核实一致，已报送可疑交易报告"})
    assert reported["status"] == "REPORTED"
    kept = boto3.client("s3").head_object(Bucket=os.environ["CONTRACTS_BUCKET"], Key=f"aml/{case['case_id']}.json")
    assert kept["ObjectLockMode"] == "COMPLIANCE"
    assert (kept["ObjectLockRetainUntilDate"] - datetime.now(UTC)).days >= 3649
    lifted = clara.call("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",
                        {"action": "UNFREEZE", "comment": "名单机构已撤销该条目，恢复额度"})
    assert lifted["status"] == "CLOSED" and lifted["line_status"] == "ACTIVE"  # hers to close


def test_a_listed_applicant_waits_for_a_compliance_officer_and_is_never_told_why(
        journey: Callable[[str], Journey]) -> None:
    alice, olivia, clara = journey("alice"), journey("olivia"), journey("clara")
    _listed(alice, "valid_zhang", "SAN-APPLICANT-1")  # listed before she ever applies
    app_id = alice.apply_and_submit()
    held = alice.wait_status(app_id, "UNDER_REVIEW", "OFFERED", "DECLINED")
    assert held["status"] == "UNDER_REVIEW" and held["decision"] is None  # nothing of the hit shown to her
    review = next(r for r in olivia.call("GET", "/v1/admin/reviews")["items"] if r["application_id"] == app_id)
    assert review["reason_codes"][0] == "SANCTIONS_SCREENING_HIT"

    status, refused = olivia.send("POST", f"/v1/admin/reviews/{app_id}/decision", olivia.token,
                                  {"decision": "APPROVE", "comment": "经营正常"})
    assert status == 403 and refused["error"]["code"] == "COMPLIANCE_OFFICER_REQUIRED"
    assert alice.call("GET", f"/v1/applications/{app_id}")["status"] == "UNDER_REVIEW"  # nothing changed
    clara.call("POST", f"/v1/admin/reviews/{app_id}/decision", {"decision": "DECLINE", "comment": "名单核实一致"})
    declined = alice.wait_status(app_id, "DECLINED")
    assert declined["decision"]["reason_codes"][0] == "NOT_ELIGIBLE"
    assert "SANCTIONS_SCREENING_HIT" not in str(declined) and "制裁" not in str(declined)


class ListedAsThePayoutStarts:
    """The core banking system, with a sanctions listing landing for the borrower just as the payout step begins
    (after the reservation): the listing, handled as the feed's event, freezes the line before a fen moves."""

    def __init__(self, inner: SimulatedCoreBanking, customer_id: str) -> None:
        self._inner, self._customer_id, self.listed = inner, customer_id, False

    def outcome(self, drawdown_id: str) -> str | None:
        if not self.listed:
            deps = bootstrap.deps()
            record = monitoring.receive(FeedSource.SANCTIONS, {**LISTING, "entry_no": f"SAN-{drawdown_id[-8:]}"},
                                        datetime.now(UTC), id_number=CARD_IDS["valid_zhang"])
            monitoring.note_record(deps, record)  # as the feed's handler does (here under the payout step's role,
            monitoring.apply_record(deps, self._customer_id, record)  # which may not write the feed's bucket)
            self.listed = True
        return self._inner.outcome(drawdown_id)

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_a_listing_during_an_in_flight_drawdown_stops_its_payout_and_releases_the_line(
        journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    core = bootstrap.deps().core_banking
    assert isinstance(core, SimulatedCoreBanking)
    racing = ListedAsThePayoutStarts(core, bootstrap.deps().repo.get_credit_line(line_id).customer_id)
    bootstrap.override(core_banking=racing)
    accepted = alice.draw(line_id, 1_000_000, 6, "EQUAL_PRINCIPAL")
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    assert racing.listed and drawdown["status"] == "FAILED"
    assert core.outcome(accepted["drawdown_id"]) is None  # never paid
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["status"] == "FROZEN" and line["available_fen"] == line["limit_fen"]  # the reservation released
    lift_every_listing(journey("clara"))  # the listing froze each of her lines: the next test's alice is clean


class Unstarted:
    """A workflow that records the drawdowns it is asked to start and starts none (the step is run by hand)."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def start_drawdown(self, drawdown_id: str) -> None:
        self.started.append(drawdown_id)


def test_each_drawdown_is_screened_when_asked_and_again_at_the_reservation(
        journey: Callable[[str], Journey]) -> None:
    """A listing on record that has not (yet) frozen the line - its record noted, its line's evaluation still to
    come - stops a drawdown at the request (nothing stored) and one accepted before it at the reservation."""
    alice = journey("alice")
    line_id = active_line(alice)
    workflow = Unstarted()
    bootstrap.override(workflow=workflow)
    before = alice.draw(line_id, 1_000_000, 6, "EQUAL_PRINCIPAL", key="screen-before-listing")
    deps = bootstrap.deps()
    monitoring.note_record(deps, monitoring.receive(FeedSource.SANCTIONS, {**LISTING, "entry_no": "SAN-NOTED-1"},
                                                    datetime.now(UTC), id_number=CARD_IDS["valid_zhang"]))
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["status"] == "ACTIVE"  # not frozen (yet)

    known = {d["drawdown_id"] for d in alice.call("GET", "/v1/drawdowns?limit=50")["items"]}
    status, refused = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", alice.token,
                                 {"amount_fen": 100_000, "term_months": 6, "repayment_method": "EQUAL_PRINCIPAL",
                                  "account_no": "6222021234567890123"}, {"Idempotency-Key": "screen-after-listing"})
    assert status == 422 and refused["error"]["code"] == "DRAWDOWN_NOT_AVAILABLE"
    assert "制裁" not in refused["error"]["message_zh"]
    assert {d["drawdown_id"] for d in alice.call("GET", "/v1/drawdowns?limit=50")["items"]} == known  # none stored
    assert workflow.started == [before["drawdown_id"]]

    outcome = drawdowns.reserve_limit(deps, before["drawdown_id"])
    assert outcome == {"reserved": False, "status": "REJECTED", "reason": "DRAWDOWN_NOT_AVAILABLE"}
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"]  # nothing reserved
    shown = alice.call("GET", f"/v1/drawdowns/{before['drawdown_id']}")
    assert shown["next_action"] == "CONTACT_BANK" and "制裁" not in str(shown)
