"""Who may see what. Identity comes only from a verified Cognito access token; another customer's resource is a
404 (its existence is not disclosed); the back office is for the risk-officer group; bad tokens are 401."""

import json
import time
from collections.abc import Callable
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from local.journey import Journey


@pytest.fixture(scope="module")
def alices_things(stack, api, tokens):  # type: ignore[no-untyped-def]
    """One application of alice's carried to a disbursed loan: an id of every kind of resource."""
    from chalicelib import bootstrap
    from tests.conftest import upload

    bootstrap.reset()
    alice = Journey(api.send, upload, tokens["alice"])
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    drawdown = alice.wait_drawdown(alice.draw(line_id)["drawdown_id"])
    return {"application": app_id, "line": line_id, "drawdown": drawdown["drawdown_id"], "loan": drawdown["loan_id"]}


def customer_paths(ids: dict[str, str]) -> list[tuple[str, str, dict | None]]:
    a = ids["application"]
    return [
        ("GET", f"/v1/applications/{a}", None),
        ("GET", f"/v1/applications/{a}/offer", None),
        ("GET", f"/v1/applications/{a}/contract", None),
        ("GET", f"/v1/applications/{a}/contract/verification", None),
        ("GET", f"/v1/applications/{a}/contract/document", None),
        ("GET", f"/v1/applications/{a}/contract/agreement", None),
        ("POST", f"/v1/applications/{a}/documents", {"type": "SELFIE", "content_type": "image/jpeg"}),
        ("POST", f"/v1/applications/{a}/phone-verification", None),
        ("POST", f"/v1/applications/{a}/phone-verification/confirmation", {"otp": "123456"}),
        ("POST", f"/v1/applications/{a}/submit", None),
        ("POST", f"/v1/applications/{a}/withdrawal", None),
        ("POST", f"/v1/applications/{a}/consents/BIOMETRIC/withdrawal", None),
        ("POST", f"/v1/applications/{a}/liveness-sessions", None),
        ("POST", f"/v1/applications/{a}/liveness-sessions/session-1/result", None),
        ("POST", f"/v1/applications/{a}/offer/acceptance", None),
        ("POST", f"/v1/applications/{a}/contract/otp", None),
        ("POST", f"/v1/applications/{a}/contract/signature", {"otp": "123456"}),
        ("POST", f"/v1/applications/{a}/human-review", {"reason": "review alice's application for me"}),
        ("POST", "/v1/credit-disputes", {"account_id": ids["line"], "text": "dispute alice's record for me"}),
        ("GET", f"/v1/credit-lines/{ids['line']}", None),
        ("GET", f"/v1/credit-lines/{ids['line']}/history", None),
        ("POST", f"/v1/credit-lines/{ids['line']}/closure", None),
        ("POST", f"/v1/credit-lines/{ids['line']}/drawdown-quote",
         {"amount_fen": 100_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT"}),
        ("POST", f"/v1/credit-lines/{ids['line']}/drawdowns",
         {"amount_fen": 100_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
          "account_no": "6222021234567890123"}),
        ("GET", f"/v1/drawdowns/{ids['drawdown']}", None),
        ("GET", f"/v1/loans/{ids['loan']}", None),
        ("POST", f"/v1/loans/{ids['loan']}/repayment-quote", None),
        ("POST", f"/v1/loans/{ids['loan']}/repayments", {"quoted_total_fen": 100}),
        ("POST", f"/v1/loans/{ids['loan']}/restructuring-requests",
         {"kind": "EXTENSION", "extra_months": 6, "reason": "extend alice's loan for me"}),
    ]


def test_the_list_above_covers_every_customer_route_on_a_customers_resource() -> None:
    import re

    import app
    from chalicelib.api.spec import OPERATIONS

    ids = {"application": "A", "line": "L", "drawdown": "D", "loan": "N"}
    listed = {(method, re.sub(r"/(A|L|D|N|BIOMETRIC|session-1)(?=/|$)", "/{}", path))
              for method, path, _ in customer_paths(ids)}
    from chalicelib.api.spec import is_static

    routes = {(method, re.sub(r"\{[a-z_]+\}", "{}", path)) for path, methods in app.app.routes.items()
              for method, entry in methods.items() if not is_static(path)
              if "{" in path and "customer" in OPERATIONS[entry.view_function.__name__].tags}
    assert routes - listed == set()


def test_another_customer_gets_404_on_every_one_of_alices_resources(api, tokens, alices_things) -> None:  # type: ignore[no-untyped-def]
    for method, path, body in customer_paths(alices_things):
        status, payload = api.send(method, path, tokens["carol"], body, {"Idempotency-Key": "bob-tries-0001"})
        assert status == 404, (method, path, status, payload)
        assert payload["error"]["code"] == "NOT_FOUND"
    # and nothing of alice's changed
    status, app = api.send("GET", f"/v1/applications/{alices_things['application']}", tokens["alice"])
    assert status == 200 and app["status"] == "ACTIVE"
    status, line = api.send("GET", f"/v1/credit-lines/{alices_things['line']}", tokens["alice"])
    assert line["available_fen"] == line["limit_fen"] - 1_000_000


def admin_paths(ids: dict[str, str]) -> list[tuple[str, str, dict | None]]:
    a, line = ids["application"], ids["line"]
    comment = {"decision": "APPROVE", "comment": "approve it myself"}
    return [
        ("GET", "/v1/admin/reviews", None), ("POST", f"/v1/admin/reviews/{a}/decision", comment),
        ("POST", f"/v1/admin/applications/{a}/reveal", {"field": "ID_NUMBER", "reason": "curious about alice"}),
        ("GET", f"/v1/admin/applications/{a}/card-images", None), ("GET", f"/v1/admin/applications/{a}/contract", None),
        ("POST", f"/v1/admin/contracts/{a}/archive-timestamp", None), ("GET", "/v1/admin/reconciliation", None),
        ("GET", "/v1/admin/warnings", None), ("GET", "/v1/admin/warnings/warn_x", None),
        ("POST", "/v1/admin/warnings/warn_x/disposition", {"action": "UNFREEZE", "comment": "unfreeze my own line"}),
        ("GET", "/v1/admin/drawdowns/awaiting-approval", None), ("POST", "/v1/admin/drawdowns/dd_x/decision", comment),
        ("GET", f"/v1/admin/credit-lines/{line}", None),
        ("POST", f"/v1/admin/credit-lines/{line}/bureau-refresh", None),
        ("GET", "/v1/admin/portfolio", None), ("GET", "/v1/admin/model-monitoring", None),
        ("POST", "/v1/admin/customers/search", {"application_id": a}), ("GET", "/v1/admin/customers/anyone", None),
        ("GET", "/v1/admin/audit", None), ("GET", "/v1/admin/origination", None),
        ("GET", "/v1/admin/complaints", None),
        ("POST", "/v1/admin/complaints/cmp_x/reply", {"reply": "answering my own complaint myself"}),
        ("POST", "/v1/admin/human-reviews/hr_x/decision", {"outcome": "OVERTURNED", "comment": "overturn it myself"}),
        ("POST", "/v1/admin/credit-bureau-reports", {"reporting_date": "2026-11-30"}),
        ("GET", "/v1/admin/credit-bureau-reports", None),
        ("GET", "/v1/admin/aml-cases", None),
        ("GET", "/v1/admin/in-person-verifications", None),
        ("POST", f"/v1/admin/applications/{a}/in-person-verification",
         {"outcome": "VERIFIED", "channel": "BRANCH", "branch": "我自己的网点", "comment": "verify myself"}),
        ("POST", "/v1/admin/aml-cases/aml_x/decision", {"outcome": "CLOSE", "comment": "close my own case myself"}),
        ("GET", "/v1/admin/credit-disputes", None),
        ("POST", "/v1/admin/credit-disputes", {"account_id": f"line_{'0' * 32}", "text": "clear my own record"}),
        ("POST", "/v1/admin/credit-disputes/dsp_x/resolution",
         {"outcome": "UPHELD", "finding": "my own record is fine"}),
        ("GET", "/v1/admin/restructuring-requests", None),
        ("POST", "/v1/admin/loans/loan_x/restructuring-requests",
         {"kind": "EXTENSION", "extra_months": 6, "reason": "extend my own loan"}),
        ("POST", "/v1/admin/restructuring-requests/rs_x/decision", {"outcome": "APPROVE", "comment": "approve it"}),
        ("POST", "/v1/admin/loans/loan_x/write-off", {"reason": "write off my own loan please"}),
        ("POST", "/v1/admin/loans/loan_x/write-off/decline", {"comment": "decline it"}),
        ("GET", "/v1/admin/write-offs", None),
        ("POST", "/v1/admin/loans/loan_x/recoveries", {"amount_fen": 100}),
        ("GET", "/v1/admin/collections", None), ("GET", "/v1/admin/collections/anyone", None),
        ("POST", "/v1/admin/collections/anyone/contacts",
         {"party": "BORROWER", "channel": "PHONE", "outcome": "REACHED", "note": "called myself"}),
        ("POST", "/v1/admin/collections/anyone/promises", {"amount_fen": 100, "promised_date": "2026-12-31"}),
    ]


def test_the_list_above_covers_every_back_office_route() -> None:
    import re

    import app

    listed = {(method, re.sub(r"/(A|L|warn_x|dd_x|cmp_x|hr_x|dsp_x|aml_x|loan_x|rs_x|anyone)(?=/|$)", "/{}", path))
              for method, path, _ in admin_paths({"application": "A", "line": "L"})}
    routes = {(method, re.sub(r"\{[a-z_]+\}", "{}", path)) for path, methods in app.app.routes.items()
              for method in methods if path.startswith("/v1/admin/")}
    assert routes == listed


def test_customers_get_403_on_the_back_office(api, tokens, alices_things) -> None:  # type: ignore[no-untyped-def]
    for method, path, body in admin_paths(alices_things):
        for customer in ("alice", "carol"):  # her own things or another's: the back office is not for customers
            status, payload = api.send(method, path, tokens[customer], body)
            assert status == 403 and payload["error"]["code"] == "FORBIDDEN", (method, path, status)
            assert "value" not in payload


def test_an_officer_reveals_a_masked_field_only_with_a_reason_and_it_is_audited(api, tokens, alices_things) -> None:  # type: ignore[no-untyped-def]
    from chalicelib import bootstrap

    app_id = alices_things["application"]
    status, payload = api.send("POST", f"/v1/admin/applications/{app_id}/reveal", tokens["olivia"],
                               {"field": "ID_NUMBER"})
    assert status == 422  # no reason, no value
    status, payload = api.send("POST", f"/v1/admin/applications/{app_id}/reveal", tokens["olivia"],
                               {"field": "ID_NUMBER", "reason": "客户来电核实身份"})
    assert status == 200 and payload["value"] == "330102199001010012"
    audit = [e for e in bootstrap.deps().repo.audit_trail(app_id) if e["event"] == "PersonalDataRevealed"]
    assert audit and audit[-1]["data"] == {"field": "ID_NUMBER", "reason": "客户来电核实身份"}
    assert audit[-1]["actor"].startswith("officer:") and "330102199001010012" not in str(audit)


def test_risk_officers_may_use_the_back_office(api, tokens) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("GET", "/v1/admin/reviews", tokens["olivia"])
    assert status == 200 and isinstance(payload["items"], list)


def _moto_private_key() -> dict:
    import gzip

    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()))  # one JWK: the key moto signs its tokens with


def _claims(stack, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    import os

    now = int(time.time())
    claims = {"iss": f"https://cognito-idp.us-east-1.amazonaws.com/{os.environ['USER_POOL_ID']}",
              "sub": stack.users[0]["sub"], "client_id": os.environ["APP_CLIENT_ID"], "token_use": "access",
              "iat": now, "exp": now + 600, "username": "alice"}
    claims.update(changes)
    return claims


def _signed_by_the_pools_key(claims: dict) -> str:
    key = _moto_private_key()
    return jwt.encode(claims, jwt.PyJWK(key).key, algorithm="RS256", headers={"kid": key["kid"]})


@pytest.mark.parametrize("case", ["missing", "not-bearer", "garbage", "forged", "expired", "wrong-pool",
                                  "wrong-client", "id-token", "alg-none"])
def test_bad_tokens_get_401(api, stack, case: str) -> None:  # type: ignore[no-untyped-def]
    headers: dict[str, str] = {}
    if case == "missing":
        token = None
    elif case == "not-bearer":
        token = None
        headers["Authorization"] = "Basic YWxpY2U6cGFzcw=="
    elif case == "garbage":
        token = "not.a.token"
    elif case == "forged":  # right claims, signed with a key that is not the pool's
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = jwt.encode(_claims(stack), other, algorithm="RS256", headers={"kid": _moto_private_key()["kid"]})
    elif case == "expired":
        token = _signed_by_the_pools_key(_claims(stack, exp=int(time.time()) - 60, iat=int(time.time()) - 700))
    elif case == "wrong-pool":
        token = _signed_by_the_pools_key(_claims(stack, iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"))
    elif case == "wrong-client":
        token = _signed_by_the_pools_key(_claims(stack, client_id="someone-elses-app"))
    elif case == "id-token":
        token = _signed_by_the_pools_key(_claims(stack, token_use="id"))
    else:
        token = jwt.encode(_claims(stack), None, algorithm="none")
    status, payload = api.send("GET", "/v1/applications", token, headers=headers)
    assert status == 401, (case, payload)
    assert payload["error"]["code"] == "UNAUTHORIZED"


def test_a_token_from_a_real_second_pool_is_refused(api, stack) -> None:  # type: ignore[no-untyped-def]
    import boto3

    idp = boto3.client("cognito-idp")
    pool = idp.create_user_pool(PoolName="another-bank")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool, ClientName="other")["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="eve", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="eve", Password="Another-Pass-123", Permanent=True)
    token = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "eve", "PASSWORD": "Another-Pass-123"}
                                    )["AuthenticationResult"]["AccessToken"]
    status, _ = api.send("GET", "/v1/applications", token)
    assert status == 401


def test_the_openapi_document_is_public(api) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("GET", "/v1/openapi.json", None)
    assert status == 200 and payload["openapi"] == "3.1.0"


def unused(_: Callable[[str], Journey]) -> None:  # keeps the fixture import explicit for readers
    pass
