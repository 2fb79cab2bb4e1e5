"""The contract's second template through the API on the local stack: a new contract is worded by v2, its
signed PDF says every clause, the app gets the same words as data (and never another customer's), and a contract
signed under v1 stays valid, verifiable and readable."""

import base64
import hashlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib import bootstrap
from chalicelib.domain.contract import V1
from chalicelib.domain.contract_templates import agreement_for
from chalicelib.domain.contract_v2 import V2
from local.contract_preview import sample_facts
from local.journey import Journey

CLAUSE_WORDS = ("暂停借款人使用额度", "调减授信额度", "提前到期", "失信被执行人", "虚假", "重大不利变化",
                "购房", "股权投资", "理财", "如实报告借款的使用情况", "首次报送借款人的不良信息前", "异议",
                "客服电话96888", "投诉与建议", "演示县人民路1号", "综合融资成本", "年化利率")


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    return _squash(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_new_contract_is_v2_its_signed_pdf_says_every_clause_and_the_app_gets_the_same_words(
        journey: Callable[[str], Journey], tmp_path: Path) -> None:
    alice, bob = journey("alice"), journey("bob")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    unsigned = alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    assert unsigned["template_version"] == V2 and unsigned["words_available"]

    words = alice.call("GET", f"/v1/applications/{app_id}/contract/agreement")
    assert words["template_version"] == V2 and words["status"] == "UNSIGNED"
    assert words["contract_no"] == unsigned["contract_no"]
    shown = _squash("".join(t["value"] for t in words["key_terms"])
                    + "".join(c["heading"] + c["text"] for c in words["clauses"]))
    for must in CLAUSE_WORDS:
        assert must in shown, must

    status, payload = bob.send("GET", f"/v1/applications/{app_id}/contract/agreement", bob.token)
    assert status == 404 and "暂停" not in str(payload)  # another's contract: not found, nothing of it shown

    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    alice.call("POST", f"/v1/applications/{app_id}/contract/signature", {"otp": alice.latest_otp()})
    document = alice.call("GET", f"/v1/applications/{app_id}/contract/document")
    pdf = base64.b64decode(document["pdf_base64"])
    assert document["status"] == "SIGNED" and hashlib.sha256(pdf).hexdigest() == document["sha256"]
    text = _pdf_text(pdf, tmp_path)
    for clause in words["clauses"]:  # the PDF and the app's words are one agreement
        assert _squash(clause["heading"]) in text, clause["heading"]
    for must in CLAUSE_WORDS:
        assert must in text, must
    signed_words = alice.call("GET", f"/v1/applications/{app_id}/contract/agreement")
    assert signed_words["status"] == "SIGNED" and signed_words["clauses"] == words["clauses"]
    assert alice.call("GET", f"/v1/applications/{app_id}/contract/verification")["valid"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_contract_generated_under_v1_is_still_signed_verified_and_read_from_its_pdf(
        journey: Callable[[str], Journey], tmp_path: Path) -> None:
    """A contract generated before v2 has a v1 PDF and no words kept apart: it signs, verifies and reads as
    before; the app is told to read its PDF (409 CONTRACT_WORDS_NOT_KEPT), never shown v2's words for it."""
    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    deps = bootstrap.deps()
    app = deps.repo.get_application(app_id)
    assert app.contract is not None
    v1_pdf = deps.contracts.render(agreement_for(sample_facts(), V1))
    key = f"contracts/{app_id}/agreement-v1-unsigned.pdf"
    deps.documents.put_contract(key, v1_pdf, datetime.now(UTC) + timedelta(days=30))
    app.contract = replace(app.contract, s3_key=key, sha256=hashlib.sha256(v1_pdf).hexdigest(), template_version=V1,
                           agreement_sha256=None)
    deps.repo.save_application(app)

    contract = alice.call("GET", f"/v1/applications/{app_id}/contract")
    assert contract["template_version"] == V1 and not contract["words_available"]
    status, payload = alice.send("GET", f"/v1/applications/{app_id}/contract/agreement", alice.token)
    assert status == 409 and payload["error"]["code"] == "CONTRACT_WORDS_NOT_KEPT"
    assert payload["error"]["message_zh"]

    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    signed = alice.call("POST", f"/v1/applications/{app_id}/contract/signature", {"otp": alice.latest_otp()})
    assert signed["template_version"] == V1 and signed["status"] == "SIGNED"
    assert alice.call("GET", f"/v1/applications/{app_id}/contract/verification")["valid"]
    text = _pdf_text(base64.b64decode(alice.call("GET", f"/v1/applications/{app_id}/contract/document")["pdf_base64"]),
                     tmp_path)
    assert V1 in text and "逾期期间额度冻结" in text and "提前到期" not in text
    assert alice.wait_status(app_id, "ACTIVE", "FAILED")["status"] == "ACTIVE"
