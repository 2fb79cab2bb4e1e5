"""Bad input gets a clear 4xx JSON error in one format, never a 500 and never a change of state."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from local.journey import Journey, application_body


def newest_application(api: Any, token: str) -> str | None:
    """The id at the head of my list: a refused request must leave it where it was."""
    items = api.send("GET", "/v1/applications?limit=1", token)[1]["items"]
    return items[0]["application_id"] if items else None


def good() -> dict:
    return application_body()


def mutated(path: str, value: object) -> dict:
    body = copy.deepcopy(good())
    *parents, leaf = path.split(".")
    target = body
    for p in parents:
        target = target[p]
    if value is KeyError:
        del target[leaf]
    else:
        target[leaf] = value
    return body


@pytest.mark.parametrize(("body", "field"), [
    (mutated("requested_amount_fen", 50000.0), "requested_amount_fen"),  # a float is never money
    (mutated("requested_amount_fen", "5000000"), "requested_amount_fen"),
    (mutated("requested_amount_fen", -1), "requested_amount_fen"),
    (mutated("applicant.phone", "12345"), "applicant.phone"),
    (mutated("business.annual_revenue_fen", 1.5), "business.annual_revenue_fen"),
    (mutated("payout_account_no", "abc"), "payout_account_no"),
    (mutated("product_code", "PAYDAY"), "product_code"),
    (mutated("consents", []), "consents"),
    (mutated("purpose", KeyError), "purpose"),
    ({**good(), "is_vip": True}, "is_vip"),  # unknown fields are refused
    (mutated("applicant.nickname", "x"), "applicant.nickname"),
    (mutated("due_diligence", KeyError), "due_diligence"),  # customer due diligence is not optional
    (mutated("due_diligence.nature_of_business", "x"), "due_diligence.nature_of_business"),
    (mutated("due_diligence.beneficial_owner", "NOBODY"), "due_diligence.beneficial_owner"),
    (mutated("due_diligence.beneficial_owner", "OTHER"), "due_diligence"),  # someone else, unnamed
])
def test_invalid_applications_are_422_naming_the_field(api, tokens, live, body: dict, field: str) -> None:  # type: ignore[no-untyped-def]
    before = newest_application(api, tokens["carol"])
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
    assert status == 422, payload
    assert payload["error"]["code"] == "VALIDATION_ERROR"
    assert field in [f["field"] for f in payload["error"]["details"]["fields"]]
    assert all(set(f) == {"field", "problem", "type"} for f in payload["error"]["details"]["fields"])  # no echo
    assert newest_application(api, tokens["carol"]) == before


def test_consents_missing_one_kind_are_refused(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    body = good()
    body["consents"] = body["consents"][:2]
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
    assert status == 422 and payload["error"]["details"] == {"missing": ["BIOMETRIC"]}


@pytest.mark.parametrize(("raw", "status", "code"), [
    ("{not json", 400, "BAD_REQUEST"),
    ("", 400, "BAD_REQUEST"),
    ("[1, 2]", 422, "VALIDATION_ERROR"),
    ('"text"', 422, "VALIDATION_ERROR"),
])
def test_malformed_bodies(api, tokens, live, raw: str, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    got, payload = api.send("POST", "/v1/applications", tokens["carol"], raw=raw)
    assert (got, payload["error"]["code"]) == (status, code)


def test_wrong_content_type_is_415_in_the_api_error_format(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], raw="a=b",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and payload["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert payload["error"]["message_zh"] == "请求格式有误，请更新应用后重试。"


def test_wrong_method_is_405_in_the_api_error_format(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("DELETE", "/v1/applications", tokens["carol"])
    assert status == 405 and payload["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert payload["error"]["message_zh"] == "不支持此操作，请更新应用后重试。"


def test_submitting_without_documents_is_409_and_changes_nothing(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/submit", bob.token, None, None)
    assert status == 409 and payload["error"]["code"] == "DOCUMENTS_MISSING"
    assert set(payload["error"]["details"]["missing"]) == {"ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"}
    assert bob.call("GET", f"/v1/applications/{app_id}")["status"] == "DRAFT"


def test_document_requests_are_checked(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/documents", bob.token,
                               {"type": "SELFIE", "content_type": "application/pdf"}, None)
    assert status == 422 and payload["error"]["code"] == "VALIDATION_ERROR"
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/documents", bob.token,
                               {"type": "PASSPORT", "content_type": "image/jpeg"}, None)
    assert status == 422


def test_out_of_order_actions_are_409(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    for path in ("offer/acceptance", "contract/otp"):
        status, payload = bob.send("POST", f"/v1/applications/{app_id}/{path}", bob.token, None, None)
        assert status == 409 and payload["error"]["code"] == "INVALID_STATE", path
    status, _ = bob.send("POST", f"/v1/applications/{app_id}/contract/signature", bob.token, {"otp": "123456"}, None)
    assert status == 409
    status, _ = bob.send("GET", f"/v1/applications/{app_id}/contract", bob.token, None, None)
    assert status == 409


def test_unknown_ids_are_404(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    for path in ("/v1/applications/app_00000000000000000000000000000000", "/v1/credit-lines/line_x",
                 "/v1/drawdowns/dd_x", "/v1/loans/loan_x"):
        status, payload = api.send("GET", path, tokens["alice"])
        assert status == 404 and payload["error"]["code"] == "NOT_FOUND", path


def test_drawdown_requests_are_checked(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    path = f"/v1/credit-lines/{line_id}/drawdowns"
    body = {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
            "account_no": "6222021234567890123"}
    status, payload = alice.send("POST", path, alice.token, body, None)
    assert status == 422 and payload["error"]["details"] == {"header": "Idempotency-Key"}
    for change, code in [({"amount_fen": 50_000}, "AMOUNT_BELOW_MINIMUM"),
                         ({"amount_fen": 1_000_050}, "AMOUNT_NOT_WHOLE_HUNDREDS"),
                         ({"amount_fen": 6_000_000}, "CREDIT_LIMIT_EXCEEDED"),
                         ({"term_months": 7}, "TERM_NOT_ALLOWED"),
                         ({"account_no": "6222029999999999999"}, "PAYOUT_ACCOUNT_NOT_OWN")]:
        status, payload = alice.send("POST", path, alice.token, {**body, **change}, {"Idempotency-Key": f"k-{code}"})
        assert status == 422 and payload["error"]["code"] == code, payload
    status, payload = alice.send("POST", path, alice.token, {**body, "amount_fen": 1_000_000.0},
                                 {"Idempotency-Key": "float-amount"})
    assert status == 422
    first = alice.draw(line_id, 1_000_000, key="same-key-001")
    status, payload = alice.send("POST", path, alice.token, {**body, "amount_fen": 2_000_000},
                                 {"Idempotency-Key": "same-key-001"})
    assert status == 422 and payload["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert alice.draw(line_id, 1_000_000, key="same-key-001") == first
    alice.wait_drawdown(first["drawdown_id"])
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["available_fen"] == 4_000_000


def test_non_ascii_digits_are_refused_where_digits_are_expected(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    arabic_indic_zero, full_width_account = "1380013800٠", "６２２２０２１２３４５６７８９０"
    for body in (mutated("applicant.phone", arabic_indic_zero), mutated("payout_account_no", full_width_account)):
        status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
        assert status == 422, payload


def test_repayment_and_line_requests_are_checked_and_change_nothing(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    line_id = alice.accept_and_sign(app_id)["credit_line_id"]
    loan_id = alice.wait_drawdown(alice.draw(line_id, 1_000_000)["drawdown_id"])["loan_id"]
    quote = f"/v1/loans/{loan_id}/repayment-quote"
    for body, status in (({"principal_fen": 1500.5}, 422), ({"principal_fen": "100000"}, 422),
                         ({"principal_fen": 0}, 422), ({"principal_fen": 100_050}, 422),
                         ({"principal_fen": 2_000_000}, 422), ({"amount": 100_000}, 422)):
        code, payload = alice.send("POST", quote, alice.token, body, None)
        assert code == status and payload["error"]["code"] in ("VALIDATION_ERROR",), (body, payload)
    code, payload = alice.send("POST", quote, alice.token, None, None, raw="{not json")
    assert code == 400
    repay = f"/v1/loans/{loan_id}/repayments"
    code, payload = alice.send("POST", repay, alice.token, {"quoted_total_fen": 100_000, "principal_fen": 100_000})
    assert code == 422 and "Idempotency-Key" in payload["error"]["message"]  # no key: refused before anything
    code, payload = alice.send("POST", repay, alice.token, {"quoted_total_fen": 1, "principal_fen": 100_000},
                               {"Idempotency-Key": "bad-quote-0001"})
    assert code == 409 and payload["error"]["code"] == "QUOTE_CHANGED"
    code, payload = alice.send("POST", f"/v1/credit-lines/{line_id}/closure", alice.token)
    assert code == 409 and payload["error"]["code"] == "CREDIT_LINE_IN_USE"
    loan = alice.call("GET", f"/v1/loans/{loan_id}")
    assert loan["outstanding_principal_fen"] == 1_000_000 and loan["status"] == "ACTIVE"  # nothing moved
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["status"] == "ACTIVE" and line["available_fen"] == line["limit_fen"] - 1_000_000


# ---- hostile input: nothing stored, a clear 4xx ------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["[" * 20_000 + "]" * 20_000, '{"a":' * 50 + "1" + "}" * 50])
def test_deeply_nested_json_is_refused_not_a_server_error(api, tokens, live, raw: str) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], raw=raw)
    assert (status, payload["error"]["code"]) == (400, "BAD_REQUEST")


def test_an_oversized_body_is_413(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    body = mutated("purpose", "进货" * 40_000)
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], body)
    assert (status, payload["error"]["code"]) == (413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("path", [
    "/v1/applications/" + "a" * 5_000, "/v1/credit-lines/" + "L" * 3_000, "/v1/applications/" + "a" * 81 + "/offer"])
def test_over_long_path_parameters_are_400(api, tokens, live, path: str) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("GET", path, tokens["carol"])
    assert (status, payload["error"]["code"]) == (400, "BAD_REQUEST")


@pytest.mark.parametrize("value", ["张三", "dd_\x00", "a" * 81, "app_\u202e1"])
def test_decoded_path_parameters_must_be_short_printable_ascii(value: str) -> None:
    from chalicelib.api.http import path_parameter_problem

    assert path_parameter_problem({"loan_id": value}) == "loan_id"
    assert path_parameter_problem({"loan_id": "loan_0123456789abcdef"}) is None


@pytest.mark.parametrize(("field", "value"), [
    ("applicant.name", "张\u202e三"),  # right-to-left override: the contract would read differently
    ("applicant.name", "张\u200b三"),  # zero-width space: looks like 张三, is not
    ("business.name", "张三便利店\u2066x\u2069"),  # bidi isolate
    ("business.name", "张三\x00便利店"),  # NUL
    ("purpose", "进货\n周转"),  # control character
    ("purpose", "进货\ufeff周转"),  # BOM / zero-width no-break space
    ("purpose", " 进货周转"),  # leading whitespace: refused, not silently trimmed
])
def test_invisible_or_control_characters_in_text_that_reaches_the_contract_are_refused(
        api, tokens, live, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    before = newest_application(api, tokens["carol"])
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], mutated(field, value))
    assert status == 422 and field in [f["field"] for f in payload["error"]["details"]["fields"]]
    assert newest_application(api, tokens["carol"]) == before


@pytest.mark.parametrize(("code", "problem"), [
    ("91330100MA2B3C4D5E", "USCC_CHECK_CHARACTER"),  # the code the examples long used: its check character is N
    ("91350100M000100Y44", "USCC_CHECK_CHARACTER"),  # one character off a published example
])
def test_a_mistyped_credit_code_is_refused_with_its_reason_and_nothing_is_created(
        api, tokens, live, code: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    before = newest_application(api, tokens["carol"])
    status, payload = api.send("POST", "/v1/applications", tokens["carol"], mutated("business.registration_no", code))
    assert status == 422 and payload["error"]["code"] == "VALIDATION_ERROR"
    assert {"field": "business.registration_no", "type": problem} in [
        {k: f[k] for k in ("field", "type")} for f in payload["error"]["details"]["fields"]]
    assert newest_application(api, tokens["carol"]) == before
    assert api.send("POST", "/v1/applications", tokens["carol"],
                    mutated("business.registration_no", "91350100M000100Y43"))[0] == 201


@pytest.mark.parametrize(("number", "problem"), [
    ("330106199001010013", "ID_NUMBER_CHECK_DIGIT"),  # 330106199001010018 with its last digit mistyped
    ("990106199001010010", "ID_PROVINCE_INVALID"),  # a right check digit, no such province
])
def test_an_officer_searching_by_a_mistyped_id_number_is_told_so(
        api, tokens, live, number: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("POST", "/v1/admin/customers/search", tokens["olivia"], {"id_number": number})
    assert status == 422
    assert problem in [f["type"] for f in payload["error"]["details"]["fields"]]


def test_ordinary_chinese_names_with_a_middle_dot_and_ideographic_space_still_work(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    body = mutated("applicant.name", "阿依古丽·买买提")
    body["business"]["name"] = "喀什　阿依古丽干果店"  # ideographic space inside a name is ordinary
    status, _ = api.send("POST", "/v1/applications", tokens["carol"], body)
    assert status == 201


# ---- bodies the JSON parser cannot turn into values: a 400 on every route that takes a body ----------------------
HUGE_INTEGER = '{"username": "bob", "password": "x", "amount_fen": ' + "9" * 4_301 + "}"


def _routes_with_a_body() -> list[tuple[str, str]]:
    import app

    found = []
    for path, methods in app.app.routes.items():
        for method in methods:
            if method in ("POST", "PUT", "PATCH") and not path.startswith("/v1/dev/"):
                found.append((method, path.replace("{", "x").replace("}", "")))  # ids that name nothing
    return sorted(found)


@pytest.mark.parametrize(("method", "path"), _routes_with_a_body())
def test_an_integer_of_4301_digits_is_a_400_on_every_route_with_a_body(
        api, tokens, live, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    token = tokens["olivia"] if path.startswith("/v1/admin/") else tokens["carol"]
    status, payload = api.send(method, path, token, raw=HUGE_INTEGER,
                               headers={"Idempotency-Key": "huge-integer-0001"})
    assert 400 <= status < 500 and payload["error"]["message_zh"], (path, status, payload)


@pytest.mark.parametrize("path", ["/v1/session", "/v1/console/session"])
def test_the_sign_in_routes_answer_a_huge_integer_with_400_before_anyone_signs_in(api, live, path: str) -> None:  # type: ignore[no-untyped-def]
    status, payload = api.send("POST", path, None, raw=HUGE_INTEGER)
    assert (status, payload["error"]["code"]) == (400, "BAD_REQUEST")
