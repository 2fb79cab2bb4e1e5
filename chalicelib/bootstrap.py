"""Wiring: builds the real adapters lazily, once per Lambda container, and hands them to the services.

Tests replace single dependencies with ``override(...)`` (e.g. a core banking that refuses, a credit bureau that
is down) and the handlers - run in-process by the local stack - pick them up."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from .services.deps import Dependencies, SystemClock
from .settings import get_settings

_lock = threading.Lock()
_deps: Dependencies | None = None
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


def _build() -> Dependencies:
    from .adapters.account_verification import SimulatedAccountVerifier
    from .adapters.cognito_sessions import CognitoSessionCheck
    from .adapters.cognito_sign_in import CognitoSignIn
    from .adapters.core_banking_simulator import SimulatedCoreBanking
    from .adapters.credit_simulators import SimulatedBureau, SimulatedTaxAuthority
    from .adapters.dynamodb_identity_register import DynamoDbIdentityRegister
    from .adapters.dynamodb_outbox import DynamoDbOutboxNotifier
    from .adapters.dynamodb_repository import DynamoDbLendingRepository
    from .adapters.dynamodb_warnings import DynamoDbWarningStore
    from .adapters.kms_field_cipher import KmsEnvelopeCipher
    from .adapters.lambda_contract_sealer import LambdaContractSealer
    from .adapters.not_connected import (
        NotConnectedAccountVerifier,
        NotConnectedBureau,
        NotConnectedCoreBanking,
        NotConnectedTaxAuthority,
    )
    from .adapters.pdf_contract_signing import PdfContractSigning
    from .adapters.pillow_images import PillowImages
    from .adapters.pillow_watermark import PillowStamp
    from .adapters.rapidocr_ocr import RapidOcr
    from .adapters.rekognition_faces import RekognitionFaces
    from .adapters.s3_document_store import S3DocumentStore
    from .adapters.s3_external_records import S3ExternalRecords
    from .adapters.s3_report_store import S3ReportStore
    from .adapters.secretsmanager_secrets import SecretsManagerSecrets
    from .adapters.sns_sms import SnsSmsNotifier
    from .adapters.stepfunctions_workflow import StepFunctionsWorkflow
    from .adapters.textract_ocr import TextractOcr

    settings = get_settings()
    dynamodb = _client("dynamodb")
    secretsmanager = _client("secretsmanager")
    cipher = KmsEnvelopeCipher(_client("kms"), settings.field_key_id, secretsmanager, settings.id_hash_secret_arn)
    return Dependencies(
        settings=settings,
        repo=DynamoDbLendingRepository(dynamodb, settings.table_name, cipher),
        documents=S3DocumentStore(_client("s3"), settings.uploads_bucket, settings.contracts_bucket),
        workflow=StepFunctionsWorkflow(_client("stepfunctions"), settings.origination_state_machine_arn,
                                       settings.drawdown_state_machine_arn, settings.sweep_state_machine_arn),
        notifier=DynamoDbOutboxNotifier(dynamodb, settings.table_name) if settings.is_local
        else SnsSmsNotifier(_client("sns")),
        # the core banking simulator pays only on the local stage; elsewhere payouts are refused (not connected)
        core_banking=SimulatedCoreBanking(dynamodb, settings.table_name) if settings.is_local
        else NotConnectedCoreBanking(),
        # the bureau and tax sources are simulators on the local stage only, until the bank's connections exist
        bureau=SimulatedBureau(settings.bureau_data, settings.bureau_data.parent / "bureau_test_identities.json")
        if settings.is_local else NotConnectedBureau(),
        tax=SimulatedTaxAuthority() if settings.is_local else NotConnectedTaxAuthority(),
        reports=S3ReportStore(_client("s3"), settings.reports_bucket),
        clock=SystemClock(),
        secrets=SecretsManagerSecrets(secretsmanager, settings.otp_secret_arn),
        cipher=cipher,
        ocr_engines={"rapidocr": RapidOcr(), "textract": TextractOcr(_client("textract"))},
        faces=RekognitionFaces(_client("rekognition")),
        # signing needs a CA for event certificates and a TSA: the local test CA on the local stage only
        contracts=PdfContractSigning(_client("kms"), settings.seal_key_id,
                                     settings.local_pki_dir if settings.is_local else None),
        sealer=LambdaContractSealer(_client("lambda"), settings.seal_contract_function),
        warnings=DynamoDbWarningStore(dynamodb, settings.table_name),
        external_records=S3ExternalRecords(_client("s3"), settings.reports_bucket),
        sign_in=CognitoSignIn(_client("cognito-idp"), settings.user_pool_id, settings.app_client_id, _verify),
        identities=DynamoDbIdentityRegister(dynamodb, settings.table_name),
        # the bank-card four-element check: a simulator on the local stage only, until the bank connects it
        accounts=SimulatedAccountVerifier() if settings.is_local else NotConnectedAccountVerifier(),
        stamp=PillowStamp(),  # Pillow itself is imported only when an officer opens card images
        images=PillowImages(),  # (and by the document function, when it judges an upload)
        sessions=CognitoSessionCheck(_client("cognito-idp")),  # signed out or disabled since the token was issued
    )


def _verify(token: str) -> Any:
    from .api.auth import verifier

    return verifier().verify(token)


def deps() -> Dependencies:
    global _deps
    if _deps is None:
        with _lock:
            if _deps is None:
                _deps = _build()
    return replace(_deps, **_overrides) if _overrides else _deps


def override(**replacements: Any) -> None:
    """Test hook: replace named dependencies until ``reset()``."""
    _overrides.update(replacements)


def reset() -> None:
    """Forget everything built: the next call re-reads settings and rebuilds the adapters."""
    global _deps
    _deps = None
    _overrides.clear()
    get_settings.cache_clear()
