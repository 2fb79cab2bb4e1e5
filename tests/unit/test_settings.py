"""The settings are one model: each field read from its variable (its name in capitals), typed and checked by
pydantic, its default in one place. A missing required variable or a malformed value stops the container with
the variable's name, before any request is served."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from chalicelib.settings import from_environ

REQUIRED = {"STAGE": "prod", "AWS_REGION": "cn-north-1", "TABLE_NAME": "t", "UPLOADS_BUCKET": "u",
            "CONTRACTS_BUCKET": "c", "ORIGINATION_STATE_MACHINE_ARN": "arn:o", "DRAWDOWN_STATE_MACHINE_ARN": "arn:d",
            "USER_POOL_ID": "pool", "APP_CLIENT_ID": "client", "OTP_SECRET_ARN": "arn:s", "FIELD_KEY_ID": "k",
            "ID_HASH_SECRET_ARN": "arn:h", "REPORTS_BUCKET": "r"}


def test_each_setting_comes_from_its_variable_typed_with_its_default_otherwise() -> None:
    s = from_environ({**REQUIRED, "OTP_TTL_SECONDS": "120", "LEGAL_RATE_CAP": "0.1000", "ADMIN_REQUIRE_MFA": "false",
                      "CLASSIFICATION_DAYS": "60,180,360", "OCR_ENGINES": "BANK_STATEMENT=rapidocr"})
    assert (s.otp_ttl_seconds, s.legal_rate_cap, s.admin_require_mfa) == (120, Decimal("0.1000"), False)
    assert s.classification_days == (60, 180, 360)
    assert s.ocr_engines["BANK_STATEMENT"] == "rapidocr" and s.ocr_engines["ID_CARD_FRONT"] == "rapidocr"
    assert s.otp_max_attempts == 5 and s.max_image_pixels == 50_000_000  # defaults
    assert s.jwks_url == "https://cognito-idp.cn-north-1.amazonaws.com/pool/.well-known/jwks.json"
    assert s.admin_require_mfa is False and from_environ(REQUIRED).admin_require_mfa is True  # MFA but locally
    assert from_environ({**REQUIRED, "STAGE": "local"}).admin_require_mfa is False


def test_the_region_may_come_from_the_cli_variable() -> None:
    env = {k: v for k, v in REQUIRED.items() if k != "AWS_REGION"}
    assert from_environ({**env, "AWS_DEFAULT_REGION": "cn-northwest-1"}).region == "cn-northwest-1"


def test_a_missing_required_variable_is_named() -> None:
    with pytest.raises(RuntimeError, match="missing setting TABLE_NAME, FIELD_KEY_ID"):
        from_environ({k: v for k, v in REQUIRED.items() if k not in ("TABLE_NAME", "FIELD_KEY_ID")})
    with pytest.raises(RuntimeError, match="AWS_REGION"):
        from_environ({k: v for k, v in REQUIRED.items() if k != "AWS_REGION"})


@pytest.mark.parametrize(("variable", "value"), [("OTP_TTL_SECONDS", "five minutes"), ("OCR_ENGINES", "SELFIE=magic"),
                                                 ("CLASSIFICATION_DAYS", "90,x"), ("LEGAL_RATE_CAP", "12%")])
def test_a_malformed_value_stops_the_container(variable: str, value: str) -> None:
    with pytest.raises(ValidationError):
        from_environ({**REQUIRED, variable: value})
