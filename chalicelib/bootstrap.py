"""Wiring: builds the real adapters lazily, once per Lambda container, and hands them to the services.

Tests replace single dependencies with ``override(...)`` (e.g. a core banking that refuses, a credit bureau that
is down) and the handlers - run in-process by the local stack - pick them up."""

from __future__ import annotations

import threading
from typing import Any

from .services.deps import Dependencies, SystemClock
from .settings import get_settings

_lock = threading.Lock()
_deps: LazyDependencies | None = None
_overrides: dict[str, Any] = {}
_client_hooks: list[Any] = []  # dev only: local/stack.py answers Rekognition from saved responses


_clients: dict[tuple[str, ...], Any] = {}
_loader_lock = threading.Lock()


def _client(service: str) -> Any:
    """One client per service and container; the region is the settings' (Lambda sets AWS_REGION). Clients are
    kept across ``reset()``: they hold nothing of the settings but what is in their key, and building one costs
    more than most requests it sends."""
    import os

    settings = get_settings()
    key = (service, settings.region, str(settings.is_local), os.environ.get("AWS_ENDPOINT_URL", ""))
    with _loader_lock:
        client = _clients.get(key)
    if client is None:
        client = _new_client(service)
        with _loader_lock:
            client = _clients.setdefault(key, client)
    return client


def _new_client(service: str) -> Any:
    import boto3  # imported here so that the authorizer's cold start does not pay for it
    from botocore.config import Config

    # AWS answers in milliseconds; the local stack's moto can take seconds under load (its transactions copy whole
    # tables), and a read timeout there makes botocore resend a transaction that had already been applied.
    # (the sealing function's answer includes two time-stamp authority round trips: it gets longer)
    read_timeout = 120 if get_settings().is_local else 30 if service == "lambda" else 10
    # a Lambda invoke is not retried by the client: the sealing function writes a signed version each time it
    # runs, and a retry after a lost answer would sign twice (the customer may ask again; the API answers 5xx)
    attempts = 1 if service == "lambda" else 3
    config = Config(retries={"mode": "standard", "max_attempts": attempts}, connect_timeout=2,
                    read_timeout=read_timeout,
                    # one Lambda runs one invocation at a time; the local stack runs a sweep's shards side by side
                    # on the same clients (32 at a time, as the sweep's MaxConcurrency)
                    max_pool_connections=32 if get_settings().is_local else 10,
                    s3={"addressing_style": "path"} if service == "s3" else None,
                    # presigned uploads must be SigV4: S3 refuses version 2 for SSE-KMS buckets (ours are)
                    signature_version="s3v4" if service == "s3" else None)
    client = boto3.session.Session(botocore_session=_botocore_session(),
                                   region_name=get_settings().region).client(service, config=config)
    for hook in _client_hooks:
        hook(client)
    return client


_data_loader: Any = None


def _botocore_session() -> Any:
    """A session of its own for each client (credentials resolved afresh), all sharing one loader of botocore's
    data files: endpoints and every service model are parsed from JSON once per container, not once per client
    (a dozen clients each re-reading them cost ~0.15 s apiece, at every cold start)."""
    import botocore.session

    global _data_loader
    session = botocore.session.get_session()
    with _loader_lock:
        if _data_loader is None:
            _data_loader = session.get_component("data_loader")
        else:
            session.register_component("data_loader", _data_loader)
    return session


def on_client_created(hook: Any) -> None:
    """Dev/test seam: ``hook(client)`` runs for every client built here (never used in a deployed stage)."""
    if hook not in _client_hooks:
        _client_hooks.append(hook)
        with _loader_lock:
            _clients.clear()  # built without the hook: built again


class LazyDependencies(Dependencies):
    """The container's dependencies, each port built the first time a use case asks for it and kept: a request
    for a list builds the repository and its cipher, not the OCR engines, Rekognition, Step Functions or the
    sealing function's client (each client costs milliseconds to make, and a cold start paid for all of them).
    Overrides (tests) are answered before anything is built, and share what was built."""

    def __init__(self, overrides: dict[str, Any] | None = None, built: dict[str, Any] | None = None) -> None:
        # (the dataclass's fields are never set on the instance: __getattr__ answers each one)
        self.__dict__["_overrides"] = dict(overrides or {})
        self.__dict__["_built"] = {} if built is None else built

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in _FACTORIES:
            raise AttributeError(name)
        if name in self._overrides:
            return self._overrides[name]
        built = self._built
        if name not in built:
            with _build_lock:
                if name not in built:
                    built[name] = _FACTORIES[name](self)
        return built[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self._overrides[name] = value  # (a test that sets a port on the container it was handed)

    def with_overrides(self, overrides: dict[str, Any]) -> LazyDependencies:
        return LazyDependencies({**self._overrides, **overrides}, self._built)

    def built(self) -> set[str]:
        return set(self._built)

    def __repr__(self) -> str:  # (the dataclass's would build every port to show it)
        return f"LazyDependencies(built={sorted(self._built)}, overrides={sorted(self._overrides)})"


_build_lock = threading.RLock()  # a port's factory may ask for another (the repository for the cipher)


def _repo(d: Dependencies) -> Any:
    from .adapters.dynamodb_repository import DynamoDbLendingRepository

    return DynamoDbLendingRepository(_client("dynamodb"), d.settings.table_name, d.cipher)


def _cipher(d: Dependencies) -> Any:
    from .adapters.kms_field_cipher import KmsEnvelopeCipher

    return KmsEnvelopeCipher(_client("kms"), d.settings.field_key_id, _client("secretsmanager"),
                             d.settings.id_hash_secret_arn)


def _documents(d: Dependencies) -> Any:
    from .adapters.s3_document_store import S3DocumentStore

    return S3DocumentStore(_client("s3"), d.settings.uploads_bucket, d.settings.contracts_bucket)


def _workflow(d: Dependencies) -> Any:
    from .adapters.stepfunctions_workflow import StepFunctionsWorkflow

    s = d.settings
    return StepFunctionsWorkflow(_client("stepfunctions"), s.origination_state_machine_arn,
                                 s.drawdown_state_machine_arn, s.sweep_state_machine_arn)


def _notifier(d: Dependencies) -> Any:
    if d.settings.is_local:
        from .adapters.dynamodb_outbox import DynamoDbOutboxNotifier

        return DynamoDbOutboxNotifier(_client("dynamodb"), d.settings.table_name)
    from .adapters.sns_sms import SnsSmsNotifier

    return SnsSmsNotifier(_client("sns"))


def _core_banking(d: Dependencies) -> Any:
    """The core banking simulator pays only on the local stage; elsewhere payouts are refused (not connected)."""
    if d.settings.is_local:
        from .adapters.core_banking_simulator import SimulatedCoreBanking

        return SimulatedCoreBanking(_client("dynamodb"), d.settings.table_name)
    from .adapters.not_connected import NotConnectedCoreBanking

    return NotConnectedCoreBanking()


def _customer_records(d: Dependencies) -> Any:
    """The bank's customer information system: its simulator on the local stage only; elsewhere every read is
    refused (503) until the bank connects it - never answered as if the customer were new to the bank."""
    if d.settings.is_local:
        from .adapters.customer_records_simulator import SimulatedCustomerRecords

        return SimulatedCustomerRecords(d.settings.customer_records_data)
    from .adapters.not_connected import NotConnectedCustomerRecords

    return NotConnectedCustomerRecords()


def _bureau(d: Dependencies) -> Any:
    """The bureau and tax sources are simulators on the local stage only, until the bank's connections exist."""
    if d.settings.is_local:
        from .adapters.credit_simulators import SimulatedBureau

        data = d.settings.bureau_data
        return SimulatedBureau(data, data.parent / "bureau_test_identities.json")
    from .adapters.not_connected import NotConnectedBureau

    return NotConnectedBureau()


def _tax(d: Dependencies) -> Any:
    if d.settings.is_local:
        from .adapters.credit_simulators import SimulatedTaxAuthority

        return SimulatedTaxAuthority()
    from .adapters.not_connected import NotConnectedTaxAuthority

    return NotConnectedTaxAuthority()


def _reports(d: Dependencies) -> Any:
    from .adapters.s3_report_store import S3ReportStore

    return S3ReportStore(_client("s3"), d.settings.reports_bucket)


def _secrets(d: Dependencies) -> Any:
    from .adapters.secretsmanager_secrets import SecretsManagerSecrets

    return SecretsManagerSecrets(_client("secretsmanager"), d.settings.otp_secret_arn)


def _ocr_engines(d: Dependencies) -> Any:
    from .adapters.rapidocr_ocr import RapidOcr
    from .adapters.textract_ocr import TextractOcr

    return {"rapidocr": RapidOcr(), "textract": TextractOcr(_client("textract"))}


def _faces(d: Dependencies) -> Any:
    from .adapters.rekognition_faces import RekognitionFaces

    return RekognitionFaces(_client("rekognition"))


def _contracts(d: Dependencies) -> Any:
    """Signing needs a CA for event certificates and a TSA: the local test CA on the local stage only."""
    from .adapters.pdf_contract_signing import PdfContractSigning

    s = d.settings
    return PdfContractSigning(_client("kms"), s.seal_key_id, s.local_pki_dir if s.is_local else None)


def _sealer(d: Dependencies) -> Any:
    from .adapters.lambda_contract_sealer import LambdaContractSealer

    return LambdaContractSealer(_client("lambda"), d.settings.seal_contract_function)


def _warnings(d: Dependencies) -> Any:
    from .adapters.dynamodb_warnings import DynamoDbWarningStore

    return DynamoDbWarningStore(_client("dynamodb"), d.settings.table_name)


def _external_records(d: Dependencies) -> Any:
    from .adapters.s3_external_records import S3ExternalRecords

    return S3ExternalRecords(_client("s3"), d.settings.reports_bucket)


def _sign_in(d: Dependencies) -> Any:
    from .adapters.cognito_sign_in import CognitoSignIn

    return CognitoSignIn(_client("cognito-idp"), d.settings.user_pool_id, d.settings.app_client_id, _verify)


def _identities(d: Dependencies) -> Any:
    from .adapters.dynamodb_identity_register import DynamoDbIdentityRegister

    return DynamoDbIdentityRegister(_client("dynamodb"), d.settings.table_name)


def _accounts(d: Dependencies) -> Any:
    """The bank-card four-element check: a simulator on the local stage only, until the bank connects it."""
    if d.settings.is_local:
        from .adapters.account_verification import SimulatedAccountVerifier

        return SimulatedAccountVerifier()
    from .adapters.not_connected import NotConnectedAccountVerifier

    return NotConnectedAccountVerifier()


def _stamp(d: Dependencies) -> Any:
    from .adapters.pillow_watermark import PillowStamp

    return PillowStamp()  # Pillow itself is imported only when an officer opens card images


def _images(d: Dependencies) -> Any:
    from .adapters.pillow_images import PillowImages

    return PillowImages()  # (and by the document function, when it judges an upload)


def _sessions(d: Dependencies) -> Any:
    from .adapters.cognito_sessions import CognitoSessionCheck

    return CognitoSessionCheck(_client("cognito-idp"))  # signed out or disabled since the token was issued


def _bureau_intake(d: Dependencies) -> Any:
    """The credit bureau's reporting intake: its simulator on the local stage only; elsewhere 503 before any
    report is claimed or written, until the bank's connection to the credit reference centre exists."""
    if d.settings.is_local:
        from .adapters.bureau_intake_simulator import SimulatedBureauIntake

        return SimulatedBureauIntake()
    from .adapters.not_connected import NotConnectedBureauIntake

    return NotConnectedBureauIntake()


def _bureau_files(d: Dependencies) -> Any:
    from .adapters.s3_bureau_report_files import S3BureauReportFiles

    return S3BureauReportFiles(_client("s3"), d.settings.reports_bucket)


_FACTORIES: dict[str, Any] = {
    "settings": lambda d: get_settings(), "repo": _repo, "documents": _documents, "workflow": _workflow,
    "notifier": _notifier, "core_banking": _core_banking, "bureau": _bureau, "tax": _tax, "reports": _reports,
    "clock": lambda d: SystemClock(), "secrets": _secrets, "cipher": _cipher, "ocr_engines": _ocr_engines,
    "faces": _faces, "contracts": _contracts, "sealer": _sealer, "warnings": _warnings,
    "external_records": _external_records, "sign_in": _sign_in, "identities": _identities, "accounts": _accounts,
    "customer_records": _customer_records, "stamp": _stamp, "images": _images, "sessions": _sessions,
    "bureau_intake": _bureau_intake, "bureau_files": _bureau_files,
}


def _verify(token: str) -> Any:
    from .api.auth import verifier

    return verifier().verify(token)


def deps() -> Dependencies:
    global _deps
    if _deps is None:
        with _lock:
            if _deps is None:
                _deps = LazyDependencies()
    return _deps.with_overrides(_overrides) if _overrides else _deps


def override(**replacements: Any) -> None:
    """Test hook: replace named dependencies until ``reset()``."""
    _overrides.update(replacements)


def reset() -> None:
    """Forget everything built: the next call re-reads settings and rebuilds the adapters."""
    global _deps
    _deps = None
    _overrides.clear()
    get_settings.cache_clear()
