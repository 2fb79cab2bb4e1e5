"""The H5 client's files and the public facts it shows before sign-in, as the API serves them: only files of its
folder with the strict policy, the vendored PDF library as published, the product and the consent texts, the
customer's sign-in (staff refused), and the contract's PDF with the sha256 of exactly its bytes."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest

from local.stack import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def get(api: Any, path: str) -> Any:
    return api._client.http.request("GET", path, headers={})


@pytest.mark.parametrize("path, kind", [("/app/index.html", "text/html"), ("/app/app.js", "text/javascript"),
                                        ("/app/style.css", "text/css"), ("/app/vendor/pdf.min.mjs", "text/javascript"),
                                        ("/app/vendor/pdf.worker.min.mjs", "text/javascript")])
def test_the_client_files_are_served_with_their_type_and_a_strict_policy(api: Any, path: str, kind: str) -> None:
    response = get(api, path)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(kind)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "worker-src 'self'" in policy and "unsafe" not in policy
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/app/..", "/app/vendor/..", "/app/vendor/README.md", "/app/vendor/pdfjs-LICENSE",
                                  "/app/missing.js"])
def test_nothing_outside_the_client_files_is_served(api: Any, path: str) -> None:
    assert get(api, path).status_code == 404


def test_the_vendored_pdf_library_is_the_published_one() -> None:
    expected = {"pdf.min.mjs": "27fc2a057a00f92a4334ad06e17dbd7259912954e9fb7f76400bcca5fd190a9c",
                "pdf.worker.min.mjs": "1baa1844c89c80a5b2797c916e75ab29254be46d8e9cb53cb6364d7aad84be36"}
    for name, digest in expected.items():
        assert hashlib.sha256((ROOT / "chalicelib" / "web" / "h5" / "vendor" / name).read_bytes()).hexdigest() == digest


def test_the_product_and_the_consent_texts_are_public(api: Any) -> None:
    status, product = api.send("GET", "/v1/products/INCLUSIVE_BUSINESS_LOAN", None)
    assert status == 200 and product["name_zh"] == "小额普惠贷" and product["min_line_fen"] < product["max_line_fen"]
    assert product["min_annual_rate"] <= product["max_annual_rate"] and len(product["eligibility"]) >= 3
    assert api.send("GET", "/v1/products/PAYDAY", None)[0] == 404
    status, consents = api.send("GET", "/v1/consents", None)
    assert status == 200 and [c["kind"] for c in consents["items"]] == ["PERSONAL_INFORMATION", "CREDIT_BUREAU",
                                                                         "BIOMETRIC"]
    assert all(c["version"] == "v1" and len(c["text"]) > 100 for c in consents["items"])


def test_customers_sign_in_and_staff_are_sent_to_the_console(api: Any) -> None:
    status, session = api.send("POST", "/v1/session", None, {"username": "alice", "password": DEMO_PASSWORD})
    assert status == 200 and session["expires_in"] > 0
    assert api.send("GET", "/v1/applications", session["access_token"])[0] == 200
    status, refused = api.send("POST", "/v1/session", None, {"username": "olivia", "password": DEMO_PASSWORD})
    assert status == 403 and "access_token" not in refused and refused["error"]["message_zh"]
    status, wrong = api.send("POST", "/v1/session", None, {"username": "alice", "password": "nope"})
    assert status == 401 and wrong["error"]["code"] == "SIGN_IN_REFUSED"


def test_the_contract_document_is_exactly_the_recorded_pdf(journey: Any) -> None:
    alice, bob = journey("alice"), journey("carol")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    unsigned = alice.call("GET", f"/v1/applications/{app_id}/contract/document")
    pdf = base64.b64decode(unsigned["pdf_base64"])
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == unsigned["sha256"]
    assert unsigned["sha256"] == alice.call("GET", f"/v1/applications/{app_id}/contract")["sha256"]
    assert bob.send("GET", f"/v1/applications/{app_id}/contract/document", bob.token)[0] == 404
    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    alice.call("POST", f"/v1/applications/{app_id}/contract/signature", {"otp": alice.latest_otp()})
    signed = alice.call("GET", f"/v1/applications/{app_id}/contract/document")
    assert signed["status"] == "SIGNED" and signed["sha256"] != unsigned["sha256"]
    assert hashlib.sha256(base64.b64decode(signed["pdf_base64"])).hexdigest() == signed["sha256"]
