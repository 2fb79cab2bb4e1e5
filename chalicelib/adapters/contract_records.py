"""A contract's record as plain JSON values: how it is stored on the application (dynamodb_codec.py) and how the
sealing function answers the API that invoked it (lambda_contract_sealer.py). One form for both, so that what the
sealing function signed is what the table records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.application import Contract
from ..domain.signature import SignatureRecord


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _drop_none(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None}


def contract_to_dict(c: Contract) -> dict[str, Any]:
    """A contract's record as plain JSON values (stored on the application; the sealing function's answer)."""
    return _drop_none({
        "s3_key": c.s3_key, "sha256": c.sha256, "template_version": c.template_version,
        "generated_at": _iso(c.generated_at), "signed_at": _iso(c.signed_at),
        "signed_s3_version": c.signed_s3_version, "contract_no": c.contract_no,
        "signed_sha256": c.signed_sha256, "pades_level": c.pades_level, "agreement_sha256": c.agreement_sha256,
        "signatures": [_drop_none({"field": r.field, "signer": r.signer, "serial": r.certificate_serial,
                                   "signed_at": _iso(r.signed_at), "timestamp_at": _iso(r.timestamp_at)})
                       for r in c.signatures]})


def contract_from_dict(c: dict[str, Any]) -> Contract:
    return Contract(
        c["s3_key"], c["sha256"], c["template_version"], datetime.fromisoformat(c["generated_at"]),
        _dt(c.get("signed_at")), c.get("signed_s3_version"), c.get("contract_no", ""), c.get("signed_sha256"),
        c.get("pades_level"), tuple(SignatureRecord(r["field"], r["signer"], r["serial"], _dt(r.get("signed_at")),
                                                    _dt(r.get("timestamp_at"))) for r in c.get("signatures", [])),
        c.get("agreement_sha256"))
