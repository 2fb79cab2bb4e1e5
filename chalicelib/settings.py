"""Typed settings, read once per Lambda container from environment variables.

In AWS the deploy template sets them (infra/resources.json, Globals); locally the local stack sets them from the
very same template. Nothing here has a default that points at a real resource.
"""

from __future__ import annotations

import os
from datetime import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    stage: str
    region: str
    table_name: str
    uploads_bucket: str
    contracts_bucket: str
    origination_state_machine_arn: str
    drawdown_state_machine_arn: str
    sweep_state_machine_arn: str = ""
    user_pool_id: str
    app_client_id: str
    jwks_url: str
    risk_officer_group: str = "risk-officers"
    offer_validity_seconds: int = 7 * 24 * 3600
    upload_url_seconds: int = 900
    download_url_seconds: int = 300
    review_copy_url_seconds: int = 60  # an officer's link to a watermarked card image: opened at once, then dead
    max_upload_bytes: int = 10 * 1024 * 1024
    # a picture is judged by its header before it is decoded: 50 million pixels is more than a phone's camera
    # gives in its ordinary modes (12-24 Mpx; 48-50 Mpx at most) and about 150 MB decoded, within the document
    # function's memory beside the OCR engine; larger, and the customer is asked for a new photo
    max_image_pixels: int = 50_000_000
    document_read_attempts: int = 3  # deliveries of an upload's event before a read that keeps failing asks for a
    #                                  new photo (below the queue's maxReceiveCount of 5, so it never dead-letters)
    contract_retention_days: int = 365 * 10
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5  # wrong guesses before a code locks
    otp_resend_seconds: int = 60  # cooldown between two codes of one purpose
    otp_daily_cap: int = 10  # codes of one purpose per application per Beijing day
    otp_secret_arn: str  # the key of the OTP hash lives in Secrets Manager, fetched once per container
    field_key_id: str  # KMS key for envelope encryption of ID numbers
    id_hash_secret_arn: str  # key of the ID number hash (duplicates, blacklist)
    ocr_engines: dict[str, str] = {"ID_CARD_FRONT": "rapidocr", "ID_CARD_BACK": "rapidocr",
                                   "BUSINESS_LICENCE": "rapidocr", "BANK_STATEMENT": "textract"}
    min_ocr_confidence: float = 0.80
    reports_bucket: str = ""
    bureau_data: Path = Path(__file__).resolve().parent.parent / "local" / "bureau_sample.csv"  # local simulator
    legal_rate_cap: Decimal = Decimal("0.1200")  # four times the one-year LPR
    dual_approval_above_fen: int = 10_000_000  # lines above 100,000 yuan need two different officers
    default_interest_multiple: Decimal = Decimal("1.5")  # 罚息: the annual rate times this, per day late
    drawdown_hours: str = ""  # "09:00-17:00" (Beijing time) restricts drawdowns to business hours; "" = always
    min_age: int = 18
    velocity_max_applications: int = 3  # one phone/device/ID number on more applications than this: refer
    velocity_window_days: int = 30
    limit_reduction_checker_above_fen: int = 5_000_000  # a limit cut by more than ¥50,000 needs a second officer
    # post-loan: the days past due above which a loan is at least substandard / doubtful / loss (the 2023 Measures'
    # floors; a bank may be stricter), and the early-warning thresholds (domain/early_warning.py: WarningPolicy)
    classification_days: tuple[int, int, int] = (90, 270, 360)
    warning_tax_drop_ratio: float = 0.30
    warning_overdue_elsewhere_fen: int = 1_000_000
    warning_red_days_past_due: int = 30
    admin_require_mfa: bool = True  # back-office routes need a token whose amr claim includes "mfa" (not local)
    max_age: int = 65
    archive_renewal_days: int = 730  # renew a contract's archive timestamp when the last is older than this
    seal_key_id: str = ""  # the bank's contract seal: an asymmetric KMS key (RSA_2048, SIGN_VERIFY)
    seal_contract_function: str = ""  # the function that may use the seal key (the API invokes it to sign)
    local_pki_dir: Path = Path(".local/pki")  # the local test CA's keys (local stage only)
    lender_name: str = "本地演示农村商业银行股份有限公司"
    lender_address: str = "演示县人民路1号"

    @property
    def is_local(self) -> bool:
        return self.stage == "local"

    @property
    def business_hours(self) -> tuple[time, time] | None:
        if not self.drawdown_hours:
            return None
        opens, _, closes = self.drawdown_hours.partition("-")
        return time.fromisoformat(opens), time.fromisoformat(closes)

    @property
    def token_issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"


SAMPLE_BUREAU_DATA = Path(__file__).resolve().parent.parent / "local" / "bureau_sample.csv"


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"missing setting {name}")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    region = _env("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION"))
    pool = _env("USER_POOL_ID")
    return Settings(
        stage=_env("STAGE"),
        region=region,
        table_name=_env("TABLE_NAME"),
        uploads_bucket=_env("UPLOADS_BUCKET"),
        contracts_bucket=_env("CONTRACTS_BUCKET"),
        origination_state_machine_arn=_env("ORIGINATION_STATE_MACHINE_ARN"),
        drawdown_state_machine_arn=_env("DRAWDOWN_STATE_MACHINE_ARN"),
        sweep_state_machine_arn=os.environ.get("SWEEP_STATE_MACHINE_ARN", ""),
        user_pool_id=pool,
        app_client_id=_env("APP_CLIENT_ID"),
        jwks_url=_env("JWKS_URL", f"https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json"),
        risk_officer_group=_env("RISK_OFFICER_GROUP", "risk-officers"),
        offer_validity_seconds=int(_env("OFFER_VALIDITY_SECONDS", str(7 * 24 * 3600))),
        contract_retention_days=int(_env("CONTRACT_RETENTION_DAYS", str(3650))),
        otp_secret_arn=_env("OTP_SECRET_ARN"),
        otp_ttl_seconds=int(_env("OTP_TTL_SECONDS", "300")),
        otp_max_attempts=int(_env("OTP_MAX_ATTEMPTS", "5")),
        otp_resend_seconds=int(_env("OTP_RESEND_SECONDS", "60")),
        otp_daily_cap=int(_env("OTP_DAILY_CAP", "10")),
        field_key_id=_env("FIELD_KEY_ID"),
        id_hash_secret_arn=_env("ID_HASH_SECRET_ARN"),
        ocr_engines=_ocr_engines(os.environ.get("OCR_ENGINES", "")),
        max_image_pixels=int(_env("MAX_IMAGE_PIXELS", "50000000")),
        document_read_attempts=int(_env("DOCUMENT_READ_ATTEMPTS", "3")),
        min_age=int(_env("MIN_AGE", "18")),
        velocity_max_applications=int(_env("VELOCITY_MAX_APPLICATIONS", "3")),
        velocity_window_days=int(_env("VELOCITY_WINDOW_DAYS", "30")),
        limit_reduction_checker_above_fen=int(_env("LIMIT_REDUCTION_CHECKER_ABOVE_FEN", "5000000")),
        classification_days=tuple(int(d) for d in _env("CLASSIFICATION_DAYS", "90,270,360").split(",")),  # type: ignore[arg-type]
        warning_tax_drop_ratio=float(_env("WARNING_TAX_DROP_RATIO", "0.30")),
        warning_overdue_elsewhere_fen=int(_env("WARNING_OVERDUE_ELSEWHERE_FEN", "1000000")),
        warning_red_days_past_due=int(_env("WARNING_RED_DAYS_PAST_DUE", "30")),
        admin_require_mfa=_env("ADMIN_REQUIRE_MFA", "false" if _env("STAGE") == "local" else "true") == "true",
        max_age=int(_env("MAX_AGE", "65")),
        reports_bucket=_env("REPORTS_BUCKET"),
        bureau_data=Path(_env("BUREAU_DATA", str(SAMPLE_BUREAU_DATA))),
        legal_rate_cap=Decimal(_env("LEGAL_RATE_CAP", "0.1200")),
        dual_approval_above_fen=int(_env("DUAL_APPROVAL_ABOVE_FEN", "10000000")),
        default_interest_multiple=Decimal(_env("DEFAULT_INTEREST_MULTIPLE", "1.5")),
        drawdown_hours=_env("DRAWDOWN_HOURS", ""),
        seal_key_id=_env("SEAL_KEY_ID", ""),
        seal_contract_function=_env("SEAL_CONTRACT_FUNCTION", ""),
        archive_renewal_days=int(_env("ARCHIVE_RENEWAL_DAYS", "730")),
        local_pki_dir=Path(_env("LOCAL_PKI_DIR", ".local/pki")),
        lender_name=_env("LENDER_NAME", "本地演示农村商业银行股份有限公司"),
        lender_address=_env("LENDER_ADDRESS", "演示县人民路1号"),
    )


def _ocr_engines(spec: str) -> dict[str, str]:
    """OCR_ENGINES="BANK_STATEMENT=rapidocr,ID_CARD_FRONT=rapidocr" overrides the defaults per document type."""
    engines = dict(Settings.model_fields["ocr_engines"].default)
    for part in filter(None, (p.strip() for p in spec.split(","))):
        doc_type, _, engine = part.partition("=")
        if engine not in ("rapidocr", "textract"):
            raise RuntimeError(f"unknown OCR engine {engine!r} for {doc_type}")
        engines[doc_type] = engine
    return engines
