"""Tokens that outlive their session: a customer who signs out everywhere, a user the bank disables. The token
still verifies (signature, issuer, expiry): the routes that move money, sign or record an officer's decision ask
the user pool and refuse it. Users made for each test (the suite's demo users must keep their sessions)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest

from local.stack import DEMO_PASSWORD, issue_token


@pytest.fixture
def person(stack, live) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    idp, pool = boto3.client("cognito-idp"), os.environ["USER_POOL_ID"]
    made: list[str] = []

    def make(group: str | None = None) -> str:
        name = f"temp-{uuid.uuid4().hex[:10]}"
        idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool, Username=name, Password=DEMO_PASSWORD, Permanent=True)
        if group:
            idp.admin_add_user_to_group(UserPoolId=pool, Username=name, GroupName=group)
        made.append(name)
        return name

    def token(name: str) -> str:
        return issue_token(stack.endpoint, stack.region, pool, os.environ["APP_CLIENT_ID"], name,
                           operator_key=stack.operator_key)

    yield type("People", (), {"make": staticmethod(make), "token": staticmethod(token), "idp": idp, "pool": pool})
    for name in made:
        idp.admin_delete_user(UserPoolId=pool, Username=name)


DRAW = {"amount_fen": 100_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
        "account_no": "6222021234567890123"}


def _draw(api: Any, token: str) -> tuple[int, Any]:
    return api.send("POST", "/v1/credit-lines/line_nonexistent/drawdowns", token, DRAW,
                    headers={"Idempotency-Key": f"k-{uuid.uuid4().hex[:12]}"})


def test_access_tokens_live_the_app_clients_minutes(person: Any) -> None:
    claims = jwt.decode(person.token(person.make()), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 15 * 60  # infra/resources.json: AccessTokenMinutes


def test_after_a_global_sign_out_the_old_token_moves_no_money(api: Any, person: Any) -> None:
    name = person.make()
    old = person.token(name)
    assert _draw(api, old)[0] == 404  # a live session: the request goes on (to a line that is not hers)
    other = person.token(name)  # a second device, never used before the sign-out
    person.idp.admin_user_global_sign_out(UserPoolId=person.pool, Username=name)
    status, answer = _draw(api, other)
    assert (status, answer["error"]["code"]) == (401, "SESSION_REVOKED")
    assert answer["error"]["message_zh"]
    fresh = person.token(name)  # signing in again works at once
    assert _draw(api, fresh)[0] == 404


def test_a_disabled_user_cannot_sign_or_repay_with_a_token_issued_before(api: Any, person: Any) -> None:
    name = person.make()
    token = person.token(name)
    person.idp.admin_disable_user(UserPoolId=person.pool, Username=name)
    for path, body, headers in (
            ("/v1/loans/loan_nonexistent/repayments", {"quoted_total_fen": 1, "principal_fen": 100_000},
             {"Idempotency-Key": "disabled-0001"}),
            ("/v1/applications/app_00000000000000000000000000000000/contract/signature", {"otp": "123456"}, {})):
        status, answer = api.send("POST", path, token, body, headers=headers)
        assert (status, answer["error"]["code"]) == (401, "SESSION_REVOKED"), path
    assert api.send("GET", "/v1/applications", token)[0] == 200  # reads end with the token's minutes


def test_a_signed_out_officer_decides_nothing(api: Any, person: Any) -> None:
    name = person.make("risk-officers")
    token = person.token(name)
    person.idp.admin_user_global_sign_out(UserPoolId=person.pool, Username=name)
    for path, body in (("/v1/admin/reviews/app_00000000000000000000000000000000/decision",
                        {"decision": "DECLINE", "comment": "不符合条件"}),
                       ("/v1/admin/drawdowns/dd_x/decision", {"decision": "APPROVE", "comment": "同意放款"}),
                       ("/v1/admin/warnings/warn_x/disposition", {"action": "UNFREEZE", "comment": "恢复额度"})):
        status, answer = api.send("POST", path, token, body)
        assert (status, answer["error"]["code"]) == (401, "SESSION_REVOKED"), path


def test_every_route_that_moves_money_signs_or_decides_asks_the_pool() -> None:
    import app

    guarded = {(m, p) for p, methods in app.app.routes.items() for m, entry in methods.items()
               if getattr(entry.view_function, "live_session", False)}
    assert guarded >= {
        ("POST", "/v1/credit-lines/{credit_line_id}/drawdowns"), ("POST", "/v1/loans/{loan_id}/repayments"),
        ("POST", "/v1/applications/{application_id}/contract/signature"),
        ("POST", "/v1/applications/{application_id}/offer/acceptance"),
        ("POST", "/v1/admin/reviews/{application_id}/decision"), ("POST", "/v1/admin/drawdowns/{drawdown_id}/decision"),
        ("POST", "/v1/admin/warnings/{warning_id}/disposition"),
        ("POST", "/v1/admin/applications/{application_id}/reveal")}
