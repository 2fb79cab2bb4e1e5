"""Shared fixtures. The moto-backed local stack is started once per session, lazily: unit tests never start it."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("STAGE", "local")  # before app.py is imported: the dev routes exist on the local stage
# The same few test customers open many lines within one test module (each test applies afresh): the cap on one
# borrower's lines together would decline them by the third module's test. The cap has tests of its own
# (tests/unit/test_exposure_cap.py) against the setting's real default.
os.environ.setdefault("MAX_EXPOSURE_PER_BORROWER_FEN", "1000000000000")

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from chalicelib.adapters.account_verification import SimulatedAccountVerifier
from chalicelib.adapters.bureau_intake_simulator import SimulatedBureauIntake
from chalicelib.services.deps import Dependencies
from chalicelib.settings import Settings
from local.journey import Journey
from tests.contract import validate_response
from tests.fakes.memory import (
    FakeContractSigning,
    FixedClock,
    MemoryBureauFiles,
    MemoryCoreBanking,
    MemoryCustomerRecords,
    MemoryDocuments,
    MemoryExternalRecords,
    MemoryIdentityRegister,
    MemoryOutbox,
    MemoryReports,
    MemoryRepository,
    MemorySessions,
    MemorySignIn,
    MemoryWarningStore,
    RecordingWorkflow,
    ReversibleCipher,
    ScriptedFaces,
    StaticBureau,
    StaticSecrets,
    StaticTax,
)
from tests.products import INCLUSIVE_BUSINESS_LOAN

logging.getLogger("werkzeug").setLevel(logging.WARNING)

# The order modules are handed to the workers (make test: two workers, a module whole on one): the longest first,
# so that no long module starts last while the other worker has run out of work; unit tests, short, fill the end.
_SCHEDULE = ("tests/workflow/test_daily_sweep.py", "tests/browser/", "tests/workflow/", "tests/api/",
             "tests/integration/", "tests/unit/")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    def rank(item: Any) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, prefix in enumerate(_SCHEDULE) if path.startswith(prefix)), len(_SCHEDULE))

    items.sort(key=rank)  # stable: within a group, modules and their tests keep their order


from chalicelib.adapters.pillow_images import PillowImages  # noqa: E402
from chalicelib.adapters.pillow_watermark import PillowStamp  # noqa: E402
from tests.fakes.sealer import InProcessSealer  # noqa: E402


def settings_for_tests(**overrides: object) -> Settings:
    base = dict(stage="local", region="us-east-1", table_name="t", uploads_bucket="u", contracts_bucket="c",
                origination_state_machine_arn="arn:o", drawdown_state_machine_arn="arn:d", user_pool_id="p",
                app_client_id="c", jwks_url="http://localhost/jwks", otp_secret_arn="arn:s", field_key_id="k",
                id_hash_secret_arn="arn:h", reports_bucket="r")
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


def build_memory_deps(core_banking: MemoryCoreBanking | None = None) -> Dependencies:
    """The real services over in-memory fakes that keep the adapters' guarantees."""
    settings, documents, signing = settings_for_tests(), MemoryDocuments(), FakeContractSigning()
    repo = MemoryRepository()
    return Dependencies(settings=settings, repo=repo, documents=documents,
                        workflow=RecordingWorkflow(), notifier=MemoryOutbox(),
                        core_banking=core_banking or MemoryCoreBanking(),
                        bureau=StaticBureau(), tax=StaticTax(), reports=MemoryReports(), clock=FixedClock(),
                        secrets=StaticSecrets(),
                        cipher=ReversibleCipher(), ocr_engines={}, faces=ScriptedFaces(),
                        contracts=signing, identities=MemoryIdentityRegister(),
                        accounts=SimulatedAccountVerifier(),
                        sealer=InProcessSealer(documents, signing, settings.contract_retention_days),
                        warnings=MemoryWarningStore(repo), external_records=MemoryExternalRecords(),
                        sign_in=MemorySignIn(), stamp=PillowStamp(), images=PillowImages(),
                        sessions=MemorySessions(), customer_records=MemoryCustomerRecords(),
                        bureau_intake=SimulatedBureauIntake(), bureau_files=MemoryBureauFiles())


@pytest.fixture
def memory_deps() -> Dependencies:
    return build_memory_deps()


@pytest.fixture
def product():  # type: ignore[no-untyped-def]
    return INCLUSIVE_BUSINESS_LOAN


@pytest.fixture(scope="session")
def stack(tmp_path_factory):  # type: ignore[no-untyped-def]
    from local import chalice_shim
    from local.ocr_check import loud, ocr_engine_problem
    from local.stack import Stack, free_port

    problem = ocr_engine_problem()
    if problem:  # every upload would wait for a reader that cannot load: stop now, not after many time-outs
        pytest.exit(loud(problem), returncode=1)

    os.environ["LOCAL_PKI_DIR"] = str(tmp_path_factory.mktemp("pki"))  # the tests' own test CA

    running = Stack(moto_port=free_port()).start()
    chalice_shim.install()
    from local import moto_reset

    _SEEDED["stack"] = (running, moto_reset.baseline(running.region))
    yield running
    _SEEDED.clear()
    running.stop()


_SEEDED: dict[str, Any] = {}  # the running stack and its data as seeded, once the session has started it


@pytest.fixture(scope="module", autouse=True)
def fresh_bank() -> None:
    """Each module of tests starts from the data the local stack was seeded with (local/moto_reset.py says why:
    left to grow, it made every later test slower and the process larger). Autouse and first of its scope, so
    a module's own set-up is never wiped; unit tests never start the stack, and nothing happens for them."""
    if "stack" in _SEEDED:
        from local import moto_reset

        running, seeded = _SEEDED["stack"]
        moto_reset.restore(running.region, seeded)


@pytest.fixture
def live(stack):  # type: ignore[no-untyped-def]
    """The local stack with clean dependency overrides before and after the test, and a bank that has not seen
    these people before: the register of who holds which ID number and where phones, devices and ID numbers
    were seen is emptied, since every test plays the same few synthetic card holders (a test of those rules
    sets them up within itself). The borrowers of a business go too: a registry or tax record reaches only the
    lines of the test that delivers it; and so do the standing records about a person or a business."""
    from chalicelib import bootstrap

    bootstrap.reset()
    forget_identity_register()
    yield stack
    bootstrap.reset()


def forget_identity_register() -> None:
    from local import moto_reset

    moto_reset.forget_partitions(os.environ["AWS_REGION"], os.environ["TABLE_NAME"],
                                 ("IDENTITY#", "SEEN#", "BUSINESS#", "SUBJECT#"))



class ApiClient:
    """Chalice's test client (the real app, the real authorizer) that checks each answer against OpenAPI."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def send(self, method: str, path: str, token: str | None, body: Any = None,
             headers: dict[str, str] | None = None, raw: bytes | str | None = None) -> tuple[int, Any]:
        h = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self._client.http.request(method, path, headers=h, body=data)
        payload = json.loads(response.body) if response.body else None
        validate_response(method, path, response.status_code, payload)
        return response.status_code, payload


def upload(url: str, fields: dict[str, str], data: bytes, content_type: str) -> int:
    return requests.post(url, data=fields, files={"file": ("doc", data, content_type)}, timeout=30).status_code


@pytest.fixture(scope="session")
def api(stack) -> ApiClient:  # type: ignore[no-untyped-def]
    from chalice.test import Client

    import app

    with Client(app.app, stage_name="local") as client:
        yield ApiClient(client)


@pytest.fixture(scope="session")
def tokens(stack) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {u["username"]: stack.token(u["username"]) for u in stack.users}


@pytest.fixture(scope="session")
def api_url(stack: Any) -> Any:
    """The API served as `make run` serves it (chalice local, on a port of its own), once per test process:
    chalice local makes its server by re-basing the app's class, which cannot be done twice in one process."""
    from local.stack import free_port, serve_api

    port = free_port()
    server = serve_api("127.0.0.1", port)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def journey(api: ApiClient, tokens: dict[str, str], live: Any) -> Callable[[str], Journey]:
    def make(user: str) -> Journey:
        return Journey(api.send, upload, tokens[user])

    return make
