"""Identity verification end to end: the card photos are uploaded to S3, the upload event triggers OCR (the real
local engine), the workflow checks what was read. Bad cards are declined with their reason code; a photo that
cannot be read asks for a better one; nothing is decided on the declared file type."""

from collections.abc import Callable

import boto3
import pytest

from chalicelib import bootstrap
from local.journey import Journey, document_file


@pytest.mark.parametrize(("card", "reason"), [("bad_check_zhao", "ID_NUMBER_CHECK_DIGIT"),
                                              ("expired_wang", "ID_CARD_EXPIRED"),
                                              ("underage_chen", "AGE_OUT_OF_BOUNDS")])
def test_a_card_failing_a_check_is_declined_with_its_reason(journey: Callable[[str], Journey], card: str,
                                                            reason: str) -> None:
    bob = journey("carol")
    declined = bob.wait_status(bob.apply_and_submit(card=card), "DECLINED")
    assert declined["decision"]["reason_codes"] == ["IDENTITY_NOT_VERIFIED", reason]
    assert declined["identity"]["verdict"] == "FAIL" and reason in declined["identity"]["reason_codes"]


def test_a_good_card_is_read_checked_and_shown_masked(journey: Callable[[str], Journey]) -> None:
    bob = journey("bob")  # 李梅, whose record at the bank carries this card's number
    app_id = bob.apply_and_submit(card="longterm_li")
    offered = bob.wait_status(app_id, "OFFERED")
    assert offered["identity"] == {"verdict": "PASS", "verdict_zh": "通过", "reason_codes": [], "reasons_zh": [],
                                   "name_masked": "李*", "id_number_masked": "1101**********4029", "sex": "女",
                                   "birth_date": "1975-**-**", "valid_until": "长期"}
    assert {d["status"] for d in offered["documents"]} == {"READ"}


def test_the_declared_name_must_be_the_name_on_the_card(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    declined = bob.wait_status(bob.apply_and_submit(card="valid_zhang", name="张四"), "DECLINED")
    assert "NAME_MISMATCH" in declined["decision"]["reason_codes"]


def test_unreadable_or_wrong_files_ask_for_a_new_photo_and_block_submission(
        journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    pdf_as_card = (b"%PDF-1.7\n%fake\n", "image/png")  # declared PNG, really a PDF: the bytes decide
    corrupt = (document_file("ID_CARD_BACK", "valid_zhang")[0][:500], "image/png")
    after = bob.upload_documents(app_id, files={"ID_CARD_FRONT": document_file("ID_CARD_FRONT", "blurred_liu"),
                                                "ID_CARD_BACK": corrupt, "SELFIE": pdf_as_card})
    documents = {d["type"]: (d["status"], d["reason_codes"]) for d in after["documents"]}
    assert documents == {"ID_CARD_FRONT": ("RETAKE_REQUIRED", ["OCR_UNREADABLE"]),
                         "ID_CARD_BACK": ("RETAKE_REQUIRED", ["IMAGE_UNREADABLE"]),
                         "SELFIE": ("RETAKE_REQUIRED", ["WRONG_FILE_TYPE"])}
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/submit", bob.token, None, None)
    assert status == 409 and payload["error"]["code"] == "DOCUMENTS_NOT_READY"
    assert payload["error"]["details"]["ID_CARD_FRONT"] == ["OCR_UNREADABLE"]
    # a better photo replaces the refused one, and the application can go on
    after = bob.upload_documents(app_id, "valid_zhang")
    assert {d["status"] for d in after["documents"]} == {"READ"}
    bob.pass_liveness(app_id)
    bob.submit(app_id)
    assert bob.wait_status(app_id, "OFFERED", "DECLINED")["status"] == "OFFERED"


def test_the_id_number_is_stored_only_encrypted_and_hashed(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply()
    alice.upload_documents(app_id, "valid_zhang")
    front = next(d for d in bootstrap.deps().repo.documents_of(app_id) if d.doc_type == "ID_CARD_FRONT")
    raw = boto3.client("dynamodb").scan(TableName=bootstrap.deps().settings.table_name)["Items"]
    assert "330102199001010012" not in str(raw)
    assert front.fields["id_number_masked"] == "3301**********0012"
    cipher = bootstrap.deps().cipher
    assert cipher.decrypt(front.fields["id_number_sealed"], app_id) == "330102199001010012"
    with pytest.raises(Exception):  # noqa: B017 - bound to its application by the KMS encryption context
        cipher.decrypt(front.fields["id_number_sealed"], "app_" + "0" * 32)
    assert front.fields["id_number_hash"] == cipher.keyed_hash("330102199001010012")


def test_s3_refuses_an_upload_larger_than_its_form_allows(journey: Callable[[str], Journey]) -> None:
    settings = bootstrap.deps().settings
    bootstrap.override(settings=settings.model_copy(update={"max_upload_bytes": 5_000}))
    bob = journey("carol")
    app_id = bob.apply()
    with pytest.raises(AssertionError, match="HTTP 400"):  # EntityTooLarge, as S3 answers
        bob.upload_documents(app_id, types=("ID_CARD_FRONT",))


def test_an_oversize_file_that_reached_the_bucket_asks_for_a_smaller_one(journey: Callable[[str], Journey]) -> None:
    """The second line of defence: the limit is lowered after the form was signed (as when the bank tightens
    it), so S3 lets the file in; the reader measures it when it lands."""
    bob = journey("carol")
    app_id = bob.apply()
    data, content_type = document_file("ID_CARD_FRONT", "valid_zhang")
    post = bob.call("POST", f"/v1/applications/{app_id}/documents", {"type": "ID_CARD_FRONT",
                                                                     "content_type": content_type}, expect=201)
    settings = bootstrap.deps().settings
    bootstrap.override(settings=settings.model_copy(update={"max_upload_bytes": 5_000}))
    assert bob.upload(post["url"], post["fields"], data, content_type) in (200, 204)
    after = bob.wait_for(f"/v1/applications/{app_id}", lambda b: b["documents"] and all(
        d["status"] != "RECEIVED" for d in b["documents"]))
    assert [{k: d[k] for k in ("type", "status", "reason_codes")} for d in after["documents"]] == [
        {"type": "ID_CARD_FRONT", "status": "RETAKE_REQUIRED", "reason_codes": ["FILE_TOO_LARGE"]}]
    assert after["documents"][0]["reasons"][0]["zh"] == "照片过大，请重新拍摄"


def test_a_card_already_verified_for_one_customer_is_refused_under_another(journey: Callable[[str], Journey]) -> None:
    alice, bob = journey("alice"), journey("carol")
    assert alice.wait_status(alice.apply_and_submit(card="valid_zhang"), "OFFERED")["status"] == "OFFERED"
    # the attack: the same card (stolen, or a second try after a decline) under another customer's login
    declined = bob.wait_status(bob.apply_and_submit(card="valid_zhang", phone="13900139000"), "DECLINED")
    assert declined["decision"]["reason_codes"] == ["IDENTITY_NOT_VERIFIED", "ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER"]
