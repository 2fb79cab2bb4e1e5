"""The customer the bank already knows, through the API: her profile read from the bank's record (masked; a login
the bank has no record of is told so), an application with nothing typed but the amount, and the attacks first -
another customer's account id, details sent to override the record, a profile asked for someone else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from local.journey import CONSENTS, DUE_DILIGENCE, Journey, application_body
from tests.api.test_validation import newest_application

ALICE_ACCOUNT = "6222021234567890123"  # her type I account, as local/bank_customers.json holds it


def short_form(account_id: str, **extra: Any) -> dict[str, Any]:
    return {"product_code": "INCLUSIVE_BUSINESS_LOAN", "requested_amount_fen": 5_000_000, "purpose": "进货周转",
            "payout_account_id": account_id, "consents": CONSENTS,
            "due_diligence": DUE_DILIGENCE, **extra}


def test_a_known_customer_reads_her_record_masked_and_nothing_unmasked(journey: Callable[[str], Journey]) -> None:
    profile = journey("alice").profile()
    assert profile is not None
    assert (profile["name_masked"], profile["id_number_masked"], profile["phone_masked"]) == (
        "张*", "3301**********0012", "138****8000")
    assert profile["business"] == {"name": "张三便利店", "registration_no": "91330100MA2B3C4D5N"}
    own = {a["account_no_masked"]: a for a in profile["accounts"]}
    assert own["****0123"]["can_receive_payout"] and not own["****4567"]["can_receive_payout"]  # type II
    text = json.dumps(profile, ensure_ascii=False)
    assert ALICE_ACCOUNT not in text and "330102199001010012" not in text and "13800138000" not in text


def test_a_login_the_bank_has_no_record_of_is_told_so_and_applies_as_today(journey: Callable[[str], Journey],
                                                                           api: Any, tokens: dict[str, str]) -> None:
    status, body = api.send("GET", "/v1/customer/profile", tokens["carol"])
    assert status == 404 and body["error"]["code"] == "CUSTOMER_RECORD_NOT_FOUND"
    carol = journey("carol")
    app = carol.call("GET", f"/v1/applications/{carol.apply()}")
    assert app["phone_verified"] is False  # her phone is proved by SMS, as for anyone new to the bank


def test_a_profile_is_only_ever_the_signed_in_logins(api: Any, tokens: dict[str, str]) -> None:
    """No request names whose record is read: whatever bob adds to the request, he reads his own."""
    for path in ("/v1/customer/profile", "/v1/customer/profile?login=alice",
                 "/v1/customer/profile?customer_number=8801000000017"):
        status, body = api.send("GET", path, tokens["bob"], headers={"X-Login": "alice"})
        assert status in (200, 400, 422)
        assert status != 200 or body["name_masked"] == "李*"
    assert api.send("GET", "/v1/customer/profile", None)[0] == 401


def test_a_known_customer_applies_with_nothing_typed_but_the_amount(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_from_record()
    app = alice.call("GET", f"/v1/applications/{app_id}")
    assert app["applicant_name_masked"] == "张*" and app["phone_verified"] is True  # the login's phone, on record
    assert app["status"] == "DRAFT"


def test_another_customers_account_id_is_refused_and_nothing_is_created(journey: Callable[[str], Journey],
                                                                         api: Any, tokens: dict[str, str]) -> None:
    bobs = journey("bob").profile()
    assert bobs is not None
    before = newest_application(api, tokens["alice"])
    status, body = api.send("POST", "/v1/applications", tokens["alice"], short_form(bobs["accounts"][0]["account_id"]))
    assert status == 422 and body["error"]["code"] == "PAYOUT_ACCOUNT_UNKNOWN"
    forged = "acct_" + "0" * 20  # an id of no account at all answers the same: nothing says which exist
    status, same = api.send("POST", "/v1/applications", tokens["alice"], short_form(forged))
    assert status == 422 and same["error"]["code"] == "PAYOUT_ACCOUNT_UNKNOWN"
    # a customer new to the bank has no account here to choose
    status, body = api.send("POST", "/v1/applications", tokens["carol"], short_form(bobs["accounts"][0]["account_id"]))
    assert status == 422 and body["error"]["code"] == "PAYOUT_ACCOUNT_UNKNOWN"
    assert newest_application(api, tokens["alice"]) == before


def test_the_record_is_not_overridden_by_what_the_request_says(journey: Callable[[str], Journey], api: Any,
                                                               tokens: dict[str, str]) -> None:
    alice = journey("alice").profile()
    assert alice is not None
    own = next(a["account_id"] for a in alice["accounts"] if a["can_receive_payout"])
    before = newest_application(api, tokens["alice"])
    status, body = api.send("POST", "/v1/applications", tokens["alice"],
                            short_form(own, applicant={"name": "王五", "phone": "13911112222"}))
    assert status == 422 and body["error"]["code"] == "DETAILS_FROM_RECORD"
    both = {**short_form(own), "payout_account_no": "6222020000999988887"}
    assert api.send("POST", "/v1/applications", tokens["alice"], both)[0] == 422  # the payee named twice
    type_two = next(a["account_id"] for a in alice["accounts"] if not a["can_receive_payout"])
    status, body = api.send("POST", "/v1/applications", tokens["alice"], short_form(type_two))
    assert status == 422 and body["error"]["code"] == "PAYOUT_ACCOUNT_CANNOT_RECEIVE"
    assert newest_application(api, tokens["alice"]) == before


def test_the_business_is_typed_only_where_the_bank_has_none(journey: Callable[[str], Journey], api: Any,
                                                            tokens: dict[str, str]) -> None:
    bob = journey("bob")
    profile = bob.profile()
    assert profile is not None and profile["business"] is None
    account = profile["accounts"][0]["account_id"]
    status, body = api.send("POST", "/v1/applications", tokens["bob"], short_form(account))
    assert status == 422 and body["error"]["details"]["field"] == "business"
    business = application_body(name="李梅")["business"]
    assert bob.apply_from_record(account_id=account, business=business)


@pytest.mark.parametrize("missing", ["applicant", "business", "payout_account_no"])
def test_a_customer_new_to_the_bank_must_type_what_the_bank_cannot_read(missing: str, api: Any,
                                                                       tokens: dict[str, str]) -> None:
    body = application_body()
    body.pop(missing)
    if missing == "payout_account_no":
        status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
        assert status == 422  # no payee at all
        return
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
    assert status == 422 and payload["error"]["details"]["field"] == missing


def test_an_unconnected_customer_information_system_refuses_before_anything_changes(
        api: Any, tokens: dict[str, str], live: Any) -> None:
    from chalicelib import bootstrap
    from chalicelib.adapters.not_connected import NotConnectedCustomerRecords

    before = newest_application(api, tokens["carol"])
    bootstrap.override(customer_records=NotConnectedCustomerRecords())  # what every stage but local gets
    status, body = api.send("GET", "/v1/customer/profile", tokens["alice"])
    assert status == 503 and body["error"]["code"] == "CUSTOMER_RECORDS_UNAVAILABLE"
    status, body = api.send("POST", "/v1/applications", tokens["carol"], application_body())
    assert status == 503 and body["error"]["code"] == "CUSTOMER_RECORDS_UNAVAILABLE"  # never "new to the bank"
    bootstrap.reset()
    assert newest_application(api, tokens["carol"]) == before


def test_a_user_created_on_the_fly_has_no_record_and_applies_as_today(api: Any, stack: Any) -> None:
    """Someone who signed up for mobile banking a minute ago: no record at the bank, so the typed way."""
    import os
    import uuid

    import boto3

    from local.stack import DEMO_PASSWORD, issue_token

    username = f"new-{uuid.uuid4().hex[:8]}"
    idp = boto3.client("cognito-idp", aws_access_key_id=stack.operator_key[0],
                       aws_secret_access_key=stack.operator_key[1])
    idp.admin_create_user(UserPoolId=os.environ["USER_POOL_ID"], Username=username, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=os.environ["USER_POOL_ID"], Username=username, Password=DEMO_PASSWORD,
                                Permanent=True)
    token = issue_token(stack.endpoint, stack.region, os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_ID"],
                        username, operator_key=stack.operator_key)
    status, body = api.send("GET", "/v1/customer/profile", token)
    assert status == 404 and body["error"]["code"] == "CUSTOMER_RECORD_NOT_FOUND"
    status, created = api.send("POST", "/v1/applications", token, application_body(name="王五"))
    assert status == 201 and created["phone_verified"] is False and created["applicant_name_masked"] == "王*"
