"""Typed settings, read once per Lambda container from environment variables.

In AWS the deploy template sets them (infra/resources.json, Globals); locally the local stack sets them from the
very same template. Nothing here has a default that points at a real resource.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

_DEFAULT_OCR_ENGINES = {"ID_CARD_FRONT": "rapidocr", "ID_CARD_BACK": "rapidocr", "BUSINESS_LICENCE": "rapidocr",
                        "BANK_STATEMENT": "textract"}
_DERIVED = ("jwks_url", "admin_require_mfa")  # required, but derived from other settings when absent (_derived)


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
    jwks_url: str  # derived from the region and the pool when JWKS_URL is not set (the local stack sets it)
    risk_officer_group: str = "risk-officers"
    # the anti-money-laundering worklist's patterns (a bank sets its own; the large amount is the reporting rule's
    # ¥500,000 a day for a person's transfers) and how long a decided case is kept
    aml_large_amount_fen: int = 50_000_000
    aml_rapid_days: int = 7
    aml_rapid_cycles: int = 2
    aml_moved_on_share: float = 0.9
    aml_retention_days: int = 3650
    compliance_officer_group: str = "compliance-officers"  # decide sanctions hits; also risk officers (the console)
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
    ocr_engines: dict[str, str] = _DEFAULT_OCR_ENGINES
    min_ocr_confidence: float = 0.80
    reports_bucket: str
    bureau_data: Path = Path(__file__).resolve().parent.parent / "local" / "bureau_sample.csv"  # local simulator
    # the customer information system's simulator (local stage only): its records and sandbox logins
    customer_records_data: Path = Path(__file__).resolve().parent.parent / "local" / "bank_customers.json"
    legal_rate_cap: Decimal = Decimal("0.1200")  # four times the one-year LPR
    bank_inflow_limit_multiple: Decimal = Decimal("3")  # a known customer's line: at most this x her monthly inflow
    max_exposure_per_borrower_fen: int = 30_000_000  # one borrower's lines together: at most ¥300,000 (lines and drawn)
    pre_approval_valid_days: int = 30  # a pre-approval lapses unless the next batch run renews it
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
    warning_lender_jump: int = 2
    warning_inquiries_3m: int = 6
    warning_utilisation_jump: float = 0.30
    warning_red_days_past_due: int = 30
    warning_yellow_days_past_due: int = 1
    warning_grade_fall: int = 2
    warning_rescore_every_days: int = 30
    warning_pattern_window_days: int = 3
    warning_activation_window_days: int = 7
    warning_bank_flow_drop_ratio: float = 0.50
    warning_restricted_use_days: int = 7
    warning_restricted_use_share: float = 0.30
    admin_require_mfa: bool  # back-office routes need a token whose amr claim includes "mfa"; by default but locally
    max_age: int = 65
    archive_renewal_days: int = 730  # renew a contract's archive timestamp when the last is older than this
    seal_key_id: str = ""  # the bank's contract seal: an asymmetric KMS key (RSA_2048, SIGN_VERIFY)
    seal_contract_function: str = ""  # the function that may use the seal key (the API invokes it to sign)
    local_pki_dir: Path = Path(".local/pki")  # the local test CA's keys (local stage only)
    lender_name: str = "本地演示农村商业银行股份有限公司"
    lender_address: str = "演示县人民路1号"
    lender_service_phone: str = "96888"  # the bank's customer-service and complaint line, in the contract (v2)
    # a write-off of at most this much principal may be made by one officer; 0: every write-off takes two
    write_off_single_officer_max_fen: int = 0
    # contacts with a borrower about her repayments (reminders included) in any seven days, and when (Beijing)
    collection_max_contacts_per_week: int = 6
    collection_contact_opens: time = time(8, 0)
    collection_contact_closes: time = time(21, 0)
    # model monitoring: a month's PSI over fewer scores, or a vintage cohort of fewer loans, is 样本不足, not an alarm
    model_monitoring_min_sample: int = 100
    vintage_min_loans: int = 30

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, values: Any) -> Any:
        if isinstance(values, dict):
            values = dict(values)
            if "jwks_url" not in values and {"region", "user_pool_id"} <= set(values):
                values["jwks_url"] = (f"https://cognito-idp.{values['region']}.amazonaws.com/"
                                      f"{values['user_pool_id']}/.well-known/jwks.json")
            values.setdefault("admin_require_mfa", values.get("stage") != "local")
        return values

    @field_validator("classification_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        """CLASSIFICATION_DAYS="90,270,360"."""
        return tuple(int(d) for d in value.split(",")) if isinstance(value, str) else value

    @field_validator("ocr_engines", mode="before")
    @classmethod
    def _engines(cls, value: Any) -> Any:
        """OCR_ENGINES="BANK_STATEMENT=rapidocr,ID_CARD_FRONT=rapidocr" overrides the defaults per document type."""
        if not isinstance(value, str):
            return value
        engines = dict(_DEFAULT_OCR_ENGINES)
        for part in filter(None, (p.strip() for p in value.split(","))):
            doc_type, _, engine = part.partition("=")
            if engine not in ("rapidocr", "textract"):
                raise ValueError(f"unknown OCR engine {engine!r} for {doc_type}")
            engines[doc_type] = engine
        return engines

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
# A setting's environment variable is its name in capitals (TABLE_NAME for table_name), but for these:
_VARIABLES = {"region": ("AWS_REGION", "AWS_DEFAULT_REGION")}  # Lambda sets AWS_REGION; the CLI's is the other


def from_environ(environ: Mapping[str, str]) -> Settings:
    """The settings from the environment: each field from its variable, typed and checked by the model, its
    default where the variable is absent. A required one that is absent stops the container at once."""
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        variable = next((v for v in _VARIABLES.get(name, (name.upper(),)) if v in environ), None)
        if variable is not None:
            values[name] = environ[variable]
    missing = [_VARIABLES.get(n, (n.upper(),))[0] for n, f in Settings.model_fields.items()
               if f.is_required() and n not in values and n not in _DERIVED]
    if missing:
        raise RuntimeError(f"missing setting {', '.join(missing)}")
    return Settings.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return from_environ(os.environ)
