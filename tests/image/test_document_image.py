"""The document function's container image, run as Lambda runs it: the image built from the Debian base and the
wheelhouse (scripts/document-image.sh), its awslambdaric talking to a Runtime API (local/runtime_api.py) that
hands it the S3-in-SQS event of a real ID card photo uploaded to the local stack, with the function's own role's
credentials (IAM enforced). Needs a Docker engine: `make image-test` (and .ci/run) starts one when none answers."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from local.journey import Journey
from local.stack import DOCUMENT_IMAGE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.image


@pytest.fixture(scope="module")
def image() -> str:
    subprocess.run(["bash", str(ROOT / "scripts" / "document-image.sh"), DOCUMENT_IMAGE], check=True)
    return DOCUMENT_IMAGE


@pytest.fixture
def from_image(stack: Any, image: str) -> Iterator[Any]:
    from local import lambda_runtime

    function = stack.run_from_image("on_document_uploaded", image)
    try:
        yield function
    finally:
        stack.image_functions.remove(function)
        lambda_runtime.route("on_document_uploaded", _in_process_handler())
        function.stop()


def _in_process_handler() -> Any:
    import app

    return app.app.handler_map["on_document_uploaded"]


def _uploaded_keys(sqs_event: Any) -> list[str]:
    return [s3_record["s3"]["object"]["key"] for message in sqs_event["Records"]
            for s3_record in json.loads(message["body"]).get("Records", [])]


def test_the_image_reads_a_real_card_photo_from_an_s3_event_as_lambda_would(
        from_image: Any, journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply()
    after = bob.upload_documents(app_id, card="valid_zhang")  # both sides of the card, and a selfie
    assert {d["status"] for d in after["documents"]} == {"READ"}, from_image.logs()[-2000:]
    # every upload went through the Runtime API to the container; the queue hands over up to ten in one event
    uploads = [key for invocation in from_image.api.answered for key in _uploaded_keys(invocation.event)]
    assert len(set(uploads)) >= 3, uploads
    from chalicelib import bootstrap

    front = next(d for d in bootstrap.deps().repo.documents_of(app_id) if d.doc_type == "ID_CARD_FRONT")
    assert front.fields["id_number_masked"] == "3301**********0012"
    assert front.fields["name"] == "张三"


def test_an_error_inside_the_image_comes_back_as_the_function_error(from_image: Any) -> None:
    from local.runtime_api import ImageFunctionError

    with pytest.raises(ImageFunctionError) as caught:
        from_image({"Records": "not a list of records"})
    assert caught.value.error["errorType"]
