"""What a contract's electronic signatures are, and what checking them again found (filled in by the signing
adapter; kept with the contract and shown to the customer and the back office)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SignatureRecord:
    field: str  # Borrower, BankSeal, ArchiveTimestamp
    signer: str  # the certificate's subject (the borrower's name and masked ID, or the bank's seal)
    certificate_serial: str
    signed_at: datetime | None  # the signer's claimed time
    timestamp_at: datetime | None  # the TSA's time: the one that counts


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    certificate_serial: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact, the signature verifies, the chain reaches a trust root, not revoked, timestamp valid
    coverage: str  # ENTIRE_FILE for the last revision; ENTIRE_REVISION for an earlier one
    problem: str | None


@dataclass(frozen=True)
class VerificationReport:
    intact: bool
    valid: bool
    pades_level: str  # B-B, B-T, B-LT, B-LTA or NONE
    signatures: tuple[SignatureCheck, ...]
    modified_after_last_signature: bool
    summary: str
