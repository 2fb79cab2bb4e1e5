"""The back office's customer file through the API on the local stack: finding a customer (a look-up by ID number
is audited, matched or not, and the number is never kept), the line with its drawdowns, loans and repayments, the
card images as watermarked, short-lived, uncached copies, the contract validated again, the audit search and the
origination funnel. Customers get 403 on all of it."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from local.journey import CARD_IDS, Journey


@pytest.fixture(scope="module")
def alices_loan(stack: Any, api: Any, tokens: dict[str, str]) -> dict[str, str]:
    """Alice applied, signed, drew 10,000 yuan and repaid it early; olivia looked at nothing yet."""
    from chalicelib import bootstrap
    from tests.conftest import upload

    bootstrap.reset()
    alice = Journey(api.send, upload, tokens["alice"])
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    loan_id = alice.wait_drawdown(alice.draw(line_id, 1_000_000, 12)["drawdown_id"])["loan_id"]
    quote = alice.call("POST", f"/v1/loans/{loan_id}/repayment-quote")
    alice.call("POST", f"/v1/loans/{loan_id}/repayments", {"quoted_total_fen": quote["total_fen"]},
               expect=(200, 201, 202), headers={"Idempotency-Key": f"repay-{loan_id}"})
    return {"application": app_id, "line": line_id, "loan": loan_id}


@pytest.fixture
def person(api: Any, tokens: dict[str, str]) -> Callable[[str], Journey]:
    """Not the ``journey`` fixture: that one forgets who holds which ID number, and the look-up needs alice's."""
    from tests.conftest import upload

    return lambda user: Journey(api.send, upload, tokens[user])


def subject_of(token: str) -> str:
    """An officer is recorded by the token's subject (the user pool's id), not by the name she signs in with."""
    import jwt

    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


@pytest.fixture
def olivia(person: Callable[[str], Journey]) -> Journey:
    return person("olivia")


def test_an_officer_finds_a_customer_by_id_number_and_the_look_up_is_audited(
        olivia: Journey, person: Callable[[str], Journey], alices_loan: dict[str, str]) -> None:
    from chalicelib import bootstrap

    found = olivia.call("POST", "/v1/admin/customers/search", {"id_number": CARD_IDS["valid_zhang"]})
    assert alices_loan["application"] in [a["application_id"] for a in found["applications"]]
    assert alices_loan["line"] in [x["credit_line_id"] for x in found["lines"]]
    assert "*" in found["applicant_name_masked"] and "*" in found["applicant_phone_masked"]
    again = olivia.call("GET", f"/v1/admin/customers/{found['customer_id']}")
    assert again["applications"] == found["applications"]
    by_line = olivia.call("POST", "/v1/admin/customers/search", {"credit_line_id": alices_loan["line"]})
    assert by_line["customer_id"] == found["customer_id"]
    # a valid number nobody holds: 404, and the attempt is in the trail all the same
    assert olivia.send("POST", "/v1/admin/customers/search", olivia.token,
                       {"id_number": "11010519491231002X"})[0] == 404
    assert olivia.send("POST", "/v1/admin/customers/search", olivia.token,
                       {"id_number": "110105194912310021"})[0] == 422  # a wrong check digit
    assert olivia.send("POST", "/v1/admin/customers/search", olivia.token,
                       {"application_id": alices_loan["application"], "credit_line_id": alices_loan["line"]})[0] == 422
    assert olivia.send("GET", "/v1/admin/customers/nobody", olivia.token)[0] == 404
    day = bootstrap.deps().clock.today()
    looked = [e for e in bootstrap.deps().repo.staff_actions(day) if e["event"] == "CustomerLookedUp"]
    me = f"officer:{subject_of(olivia.token)}"
    assert {(e["data"]["found"], e["actor"]) for e in looked} >= {(True, me), (False, me)}
    assert CARD_IDS["valid_zhang"] not in str(looked) and "11010519491231002X" not in str(looked)
    alice = person("alice")
    assert alice.send("POST", "/v1/admin/customers/search", alice.token,
                      {"id_number": CARD_IDS["valid_zhang"]})[0] == 403
    assert alice.send("GET", f"/v1/admin/customers/{found['customer_id']}", alice.token)[0] == 403


def test_the_line_shows_its_drawdowns_loans_repayments_and_the_limit_in_capitals(
        olivia: Journey, alices_loan: dict[str, str]) -> None:
    seen = olivia.call("GET", f"/v1/admin/credit-lines/{alices_loan['line']}")
    assert [d["status"] for d in seen["drawdowns"]] == ["BOOKED"] and seen["drawdowns"][0]["amount_fen"] == 1_000_000
    assert seen["loans"][0]["loan"]["loan_id"] == alices_loan["loan"]
    assert len(seen["repayments"]) == 1 and seen["repayments"][0]["amount_fen"] >= 1_000_000
    assert seen["limit_in_words"].startswith("人民币") and seen["limit_in_words"].endswith("整")


def test_card_images_are_watermarked_copies_behind_short_lived_uncached_links(
        olivia: Journey, person: Callable[[str], Journey], alices_loan: dict[str, str]) -> None:
    from PIL import Image

    from chalicelib import bootstrap

    app_id = alices_loan["application"]
    shown = olivia.call("GET", f"/v1/admin/applications/{app_id}/card-images")
    assert shown["expires_in"] == 60
    assert [i["doc_type"] for i in shown["items"]] == ["ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"]
    deps = bootstrap.deps()
    originals = {d.doc_type: d for d in deps.repo.documents_of(app_id)}
    time.sleep(1.1)  # opened in a later second than it was signed (the local signature check once missed that)
    forged = shown["items"][0]["url"].replace("ID_CARD_FRONT", "ID_CARD_BACK", 1)
    assert requests.get(forged, timeout=10).status_code == 403  # a link is good for its own key only
    for item in shown["items"]:
        url = urlparse(item["url"])
        assert url.path.split("/", 2)[2].startswith(f"review-copies/{app_id}/")  # never the original upload
        query = parse_qs(url.query)
        assert query["response-cache-control"] == ["no-store"]
        assert query.get("X-Amz-Expires") == ["60"] or query.get("Expires")
        response = requests.get(item["url"], timeout=10)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        copy = response.content
        original = deps.documents.get_upload(originals[item["doc_type"]].s3_key, 10 * 1024 * 1024,
                                             originals[item["doc_type"]].s3_version)
        assert copy != original and Image.open(io.BytesIO(copy)).format == "JPEG"
    viewed = [e for e in deps.repo.audit_trail(app_id) if e["event"] == "IdDocumentsViewed"]
    assert viewed and viewed[-1]["actor"] == f"officer:{subject_of(olivia.token)}"
    assert viewed[-1]["data"] == {"documents": ["ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"]}
    alice = person("alice")
    assert alice.send("GET", f"/v1/admin/applications/{app_id}/card-images", alice.token)[0] == 403
    assert olivia.send("GET", "/v1/admin/applications/app_00000000/card-images", olivia.token)[0] == 404


def test_the_contract_is_validated_again_for_the_officer(olivia: Journey, person: Callable[[str], Journey],
                                                        alices_loan: dict[str, str]) -> None:
    checked = olivia.call("GET", f"/v1/admin/applications/{alices_loan['application']}/contract")
    assert checked["contract"]["status"] == "SIGNED" and checked["verification"]["valid"] is True
    assert checked["verification"]["matches_recorded_sha256"] is True
    assert checked["credit_limit_in_words"].startswith("人民币")
    assert requests.get(checked["contract"]["download_url"], timeout=10).content.startswith(b"%PDF")
    alice = person("alice")
    assert alice.send("GET", f"/v1/admin/applications/{alices_loan['application']}/contract",
                      alice.token)[0] == 403


def test_the_audit_trail_is_searched_by_officer_action_application_and_period(
        olivia: Journey, person: Callable[[str], Journey], alices_loan: dict[str, str]) -> None:
    app_id = alices_loan["application"]
    olivia.call("POST", f"/v1/admin/applications/{app_id}/reveal", {"field": "PHONE", "reason": "客户来电核实身份"})
    today = olivia.call("GET", "/v1/admin/portfolio")["today"]
    me = subject_of(olivia.token)
    mine = olivia.call("GET", f"/v1/admin/audit?from={today}&to={today}&officer={me}")
    assert mine["items"] and {e["officer"] for e in mine["items"]} == {me}
    assert mine["items"] == sorted(mine["items"], key=lambda e: e["occurred_at"], reverse=True)
    reveals = olivia.call("GET", f"/v1/admin/audit?from={today}&action=PersonalDataRevealed")
    assert reveals["items"][0]["data"] == {"field": "PHONE", "reason": "客户来电核实身份"}
    assert reveals["items"][0]["subject_id"] == app_id
    trail = olivia.call("GET", f"/v1/admin/audit?from={today}&application_id={app_id}")
    events = {e["event"] for e in trail["items"]}
    assert {"ApplicationSubmitted", "ContractSigned", "CreditLineActivated", "PersonalDataRevealed"} <= events
    oscar = subject_of(person("oscar").token)
    assert not olivia.call("GET", f"/v1/admin/audit?from={today}&officer={oscar}&action=PersonalDataRevealed")["items"]
    assert olivia.send("GET", "/v1/admin/audit?from=2026-01-01&to=2026-03-01", olivia.token)[0] == 422
    assert olivia.send("GET", f"/v1/admin/audit?from={today}&to=2020-01-01", olivia.token)[0] == 422
    assert olivia.send("GET", "/v1/admin/audit?from=yesterday", olivia.token)[0] == 422
    assert olivia.send("GET", "/v1/admin/audit?who=olivia", olivia.token)[0] == 422
    alice = person("alice")
    assert alice.send("GET", "/v1/admin/audit", alice.token)[0] == 403


def test_the_origination_funnel_and_time_to_first_payout(olivia: Journey, person: Callable[[str], Journey],
                                                         alices_loan: dict[str, str]) -> None:
    seen = olivia.call("GET", "/v1/admin/origination")
    funnel = seen["funnel"]
    assert funnel["APPLIED"] >= funnel["OFFERED"] >= 1 and funnel["SIGNED"] >= funnel["DRAWN"] >= 1
    waited = seen["submission_to_first_payout"]
    assert waited["count"] == funnel["DRAWN"] and 0 <= waited["median_seconds"] <= waited["p90_seconds"] < 3600
    assert len(seen["days"]) == 14 and seen["days"][-1]["date"] == seen["to"]
    today = seen["days"][-1]
    assert today["disbursed"]["count"] >= 1 and today["collected"]["fen"] >= 1_000_000
    assert sum(d["stages"]["DRAWN"] for d in seen["days"]) >= funnel["DRAWN"]
    assert olivia.send("GET", "/v1/admin/origination?from=2026-01-01&to=2026-12-01", olivia.token)[0] == 422
    alice = person("alice")
    assert alice.send("GET", "/v1/admin/origination", alice.token)[0] == 403
