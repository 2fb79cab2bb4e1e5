"""The officers' early-warning worklist through the API: a court record freezes alice's line (the service, as
the source's event will), her drawdown is refused with the line's reason, the worklist shows the RED warning with
its evidence, and an officer unfreezes it with a comment; drawing works again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from chalicelib import bootstrap
from chalicelib.domain.early_warning import Signal, Source
from chalicelib.services import monitoring
from local.journey import Journey


def test_a_red_warning_freezes_the_line_and_an_officer_unfreezes_it(journey: Callable[[str], Journey]) -> None:
    alice, olivia = journey("alice"), journey("olivia")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    case = f"（2026）浙0102执{line_id[-6:]}号"
    monitoring.evaluate(bootstrap.deps(), line_id, Signal(
        "JUDICIAL_DISHONEST_DEBTOR", Source.JUDICIAL, case, datetime.now(UTC), {}, {"case_no": case[:9] + "****"}))

    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["status"] == "FROZEN"
    status, refused = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", alice.token,
                                 {"amount_fen": 100_000, "term_months": 6, "repayment_method": "EQUAL_PRINCIPAL",
                                  "account_no": "6222021234567890123"}, {"Idempotency-Key": f"frozen-{line_id[-8:]}"})
    assert status in (409, 422) and refused["error"]["code"] == "CREDIT_LINE_NOT_ACTIVE"

    listed = olivia.call("GET", "/v1/admin/warnings?level=RED")["items"]
    mine = next(w for w in listed if w["credit_line_id"] == line_id)
    assert mine["level"] == "RED" and mine["line_status"] == "FROZEN" and not mine["task_overdue"]
    assert mine["causes"][0]["reason_zh"] == "借款人被列入失信被执行人名单"
    assert mine["causes"][0]["evidence"] == {"case_no": case[:9] + "****"}
    status, bad = olivia.send("GET", "/v1/admin/warnings?level=PURPLE", olivia.token)
    assert status == 422 and bad["error"]["code"] == "VALIDATION_ERROR"
    status, _ = olivia.send("POST", f"/v1/admin/warnings/{mine['warning_id']}/disposition", olivia.token,
                            {"action": "UNFREEZE", "comment": ""})
    assert status == 422
    done = olivia.call("POST", f"/v1/admin/warnings/{mine['warning_id']}/disposition",
                       {"action": "UNFREEZE", "comment": "案件已执行完毕，经营正常，恢复额度"})
    assert done["status"] == "CLOSED" and done["line_status"] == "ACTIVE"
    assert done["history"][-1]["action"] == "UNFREEZE" and done["history"][-1]["by"]
    status, again = olivia.send("POST", f"/v1/admin/warnings/{mine['warning_id']}/disposition", olivia.token,
                                {"action": "UNFREEZE", "comment": "再次解冻"})
    assert status == 409 and again["error"]["code"] == "INVALID_STATE"

    accepted = alice.draw(line_id, 100_000, 6, "EQUAL_PRINCIPAL")
    assert alice.wait_drawdown(accepted["drawdown_id"])["status"] == "BOOKED"
    history = [m["event"] for m in alice.call("GET", f"/v1/credit-lines/{line_id}/history")["items"]]
    assert "CreditLineFrozen" in history and "CreditLineUnfrozen" in history
