"""Shared fixtures. The moto-backed local stack is started once per session, lazily: unit tests never start it."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("STAGE", "local")  # before app.py is imported: the dev routes exist on the local stage

import pytest

from chalicelib.domain.products import INCLUSIVE_BUSINESS_LOAN
from chalicelib.services.deps import Dependencies
from chalicelib.settings import Settings
from tests.fakes.memory import (
    FixedClock,
    MemoryCoreBanking,
    MemoryDocuments,
    MemoryOutbox,
    MemoryRepository,
    RecordingWorkflow,
    StaticCreditData,
    StaticSecrets,
)

logging.getLogger("werkzeug").setLevel(logging.WARNING)


def test_settings(**overrides: object) -> Settings:
    base = dict(stage="local", region="us-east-1", table_name="t", uploads_bucket="u", contracts_bucket="c",
                origination_state_machine_arn="arn:o", drawdown_state_machine_arn="arn:d", user_pool_id="p",
                app_client_id="c", jwks_url="http://localhost/jwks", otp_secret_arn="arn:s")
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


@pytest.fixture
def memory_deps() -> Dependencies:
    return Dependencies(settings=test_settings(), repo=MemoryRepository(), documents=MemoryDocuments(),
                        workflow=RecordingWorkflow(), notifier=MemoryOutbox(), core_banking=MemoryCoreBanking(),
                        credit_data=StaticCreditData(), clock=FixedClock(), secrets=StaticSecrets())


@pytest.fixture
def product():  # type: ignore[no-untyped-def]
    return INCLUSIVE_BUSINESS_LOAN


@pytest.fixture(scope="session")
def stack():  # type: ignore[no-untyped-def]
    from local import chalice_shim
    from local.stack import Stack, free_port

    running = Stack(moto_port=free_port()).start()
    chalice_shim.install()
    yield running
    running.stop()


@pytest.fixture
def live(stack):  # type: ignore[no-untyped-def]
    """The local stack with clean dependency overrides before and after the test."""
    from chalicelib import bootstrap

    bootstrap.reset()
    yield stack
    bootstrap.reset()
