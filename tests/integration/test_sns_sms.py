"""The SMS adapter against SNS's own request model (botocore Stubber): numbers go out in E.164."""

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.sns_sms import SnsSmsNotifier, e164


def test_sms_numbers_are_sent_to_sns_in_e164() -> None:
    client = boto3.client("sns", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_response("publish", {"MessageId": "m-1"}, {
            "PhoneNumber": "+8613800138000", "Message": "验证码 123456",
            "MessageAttributes": {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}})
        SnsSmsNotifier(client).send_sms("alice", "13800138000", "PHONE_VERIFICATION", "验证码 123456")
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(("raw", "expected"), [("13800138000", "+8613800138000"), ("+8613800138000", "+8613800138000"),
                                               ("138-0013-8000", "+8613800138000")])
def test_mainland_mobiles_become_e164(raw: str, expected: str) -> None:
    assert e164(raw) == expected


@pytest.mark.parametrize("raw", ["12800138000", "+11380013800", "1380013800", "１３８００１３８０００"])
def test_anything_else_is_refused_not_guessed_at(raw: str) -> None:
    with pytest.raises(ValueError):
        e164(raw)
