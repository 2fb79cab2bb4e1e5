"""Wiring: the simulators that move money or send messages are confined to the local stage; every other stage
gets the stand-ins that refuse (adapters/not_connected.py) or the real adapters."""

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.core_banking_simulator import SimulatedCoreBanking
from chalicelib.adapters.credit_simulators import SimulatedBureau
from chalicelib.adapters.dynamodb_outbox import DynamoDbOutboxNotifier
from chalicelib.adapters.not_connected import NotConnectedBureau, NotConnectedCoreBanking
from chalicelib.adapters.sns_sms import SnsSmsNotifier
from chalicelib.domain.errors import DisbursementRefusedError
from chalicelib.domain.money import Money

ENV = {"AWS_REGION": "us-east-1", "TABLE_NAME": "t", "UPLOADS_BUCKET": "u", "CONTRACTS_BUCKET": "c",
       "ORIGINATION_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:1:stateMachine:o",
       "DRAWDOWN_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:1:stateMachine:d", "USER_POOL_ID": "p",
       "APP_CLIENT_ID": "c", "OTP_SECRET_ARN": "arn:s", "FIELD_KEY_ID": "k", "ID_HASH_SECRET_ARN": "arn:h",
       "REPORTS_BUCKET": "r",
       "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}


@pytest.mark.parametrize(("stage", "core", "sms", "bureau"), [
    ("local", SimulatedCoreBanking, DynamoDbOutboxNotifier, SimulatedBureau),
    ("prod", NotConnectedCoreBanking, SnsSmsNotifier, NotConnectedBureau)])
def test_stage_decides_which_adapters_are_wired(monkeypatch: pytest.MonkeyPatch, stage: str, core: type,
                                                sms: type, bureau: type) -> None:
    for key, value in {**ENV, "STAGE": stage}.items():
        monkeypatch.setenv(key, value)
    bootstrap.reset()
    try:
        deps = bootstrap.deps()
        assert isinstance(deps.core_banking, core) and isinstance(deps.notifier, sms)
        assert isinstance(deps.bureau, bureau)
    finally:
        bootstrap.reset()


def test_an_unconnected_core_refuses_before_any_money_moves() -> None:
    with pytest.raises(DisbursementRefusedError):
        NotConnectedCoreBanking().pay("dd_1", "6222021234567890123", Money(100))
    assert NotConnectedCoreBanking().outcome("dd_1") is None
