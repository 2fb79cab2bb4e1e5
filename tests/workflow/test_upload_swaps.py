"""A document that was read cannot be swapped: the attacks on the upload path, on the local stack (S3 with
versioning, S3 -> SQS -> the upload handler, the origination workflow)."""

import time
from collections.abc import Callable

import boto3

from chalicelib import bootstrap
from local.journey import Journey, document_file
from tests.workflow.test_face_and_consent import selfie


def _refusals(application_id: str, reason: str, timeout: float = 20) -> list[dict]:
    """Waits until the upload handler has audited a refused replacement (the customer is never told)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [e for e in bootstrap.deps().repo.audit_trail(application_id)
                 if e["event"] == "DocumentUploadRefused" and e["data"].get("reason") == reason]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_replayed_presigned_post_cannot_swap_the_selfie_that_was_read(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    bob.upload_documents(app_id, "valid_zhang", types=("ID_CARD_FRONT", "ID_CARD_BACK"))
    post = bob.call("POST", f"/v1/applications/{app_id}/documents", {"type": "SELFIE", "content_type": "image/png"},
                    expect=201)
    assert bob.upload(post["url"], post["fields"], *document_file("SELFIE", "valid_zhang")) in (200, 204)
    bob.wait_for(f"/v1/applications/{app_id}", lambda b: any(
        d["type"] == "SELFIE" and d["status"] == "READ" for d in b["documents"]))
    # the attack: the same presigned POST, still valid, sent again with someone else's face
    assert bob.upload(post["url"], post["fields"], *selfie("mismatch")) in (200, 204)
    versions = boto3.client("s3").list_object_versions(Bucket=bootstrap.deps().settings.uploads_bucket,
                                                       Prefix=post["key"])["Versions"]
    assert len(versions) == 2  # S3 holds both: only the one that was read may ever be used
    assert _refusals(app_id, "UPLOAD_REPLAYED")
    bob.pass_liveness(app_id)
    bob.submit(app_id)
    assert bob.wait_status(app_id, "OFFERED", "DECLINED")["status"] == "OFFERED"  # the read selfie matched


def test_a_document_that_was_read_cannot_be_replaced(journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    early = bob.call("POST", f"/v1/applications/{app_id}/documents",
                     {"type": "ID_CARD_FRONT", "content_type": "image/png"}, expect=201)  # kept for later
    bob.upload_documents(app_id, "valid_zhang", types=("ID_CARD_FRONT",))
    status, payload = bob.send("POST", f"/v1/applications/{app_id}/documents", bob.token,
                               {"type": "ID_CARD_FRONT", "content_type": "image/png"}, None)
    assert status == 409 and payload["error"]["code"] == "DOCUMENT_ALREADY_READ"
    # the attack: a URL obtained before the card was read, used afterwards with another person's card
    other_card = document_file("ID_CARD_FRONT", "longterm_li")
    assert bob.upload(early["url"], early["fields"], *other_card) in (200, 204)
    assert _refusals(app_id, "DOCUMENT_ALREADY_READ")
    documents = bob.call("GET", f"/v1/applications/{app_id}")["documents"]
    assert next(d for d in documents if d["type"] == "ID_CARD_FRONT")["status"] == "READ"
    stored = next(d for d in bootstrap.deps().repo.documents_of(app_id) if d.doc_type == "ID_CARD_FRONT")
    assert stored.fields["name"] == "张三" and stored.s3_key != early["key"]
