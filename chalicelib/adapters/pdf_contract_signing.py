"""ContractSigning with reportlab (render) and pyHanko (sign, verify). The libraries and the test CA load on first
use, so that API functions that never touch a contract do not pay for them at a cold start.

Local stage: the local test CA issues event certificates and runs the TSA; the seal key is the KMS key of the
stack (moto). Other stages: signing is NOT CONNECTED until the bank's licensed CA (event certificates) and TSA are
(see README) - a request to sign fails with a clear 503 and nothing is stored; rendering and verification work
against the trust roots configured for the stage."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.contract import Agreement
from ..domain.errors import ContractSigningUnavailableError
from ..domain.signature import SignatureRecord, VerificationReport
from ..ports import ContractSigning


class PdfContractSigning(ContractSigning):
    def __init__(self, kms_client: Any, seal_key_id: str, local_pki_dir: Path | None) -> None:
        self._kms, self._seal_key_id, self._pki_dir = kms_client, seal_key_id, local_pki_dir
        self._signer: Any = None
        self._lock = threading.Lock()

    def render(self, agreement: Agreement) -> bytes:
        from .reportlab_contract_pdf import render_agreement

        return render_agreement(agreement)

    def _pades(self) -> Any:
        if self._pki_dir is None or not self._seal_key_id:
            raise ContractSigningUnavailableError("contract signing is not connected on this stage")
        with self._lock:
            if self._signer is None:
                from .local_test_ca import LocalTestCa
                from .pyhanko_pades import KmsSigner, PadesContractSigner

                ca = LocalTestCa(self._pki_dir)
                public = self._kms.get_public_key(KeyId=self._seal_key_id)["PublicKey"]
                seal = ca.seal_certificate(public, self._seal_key_id)
                self._signer = PadesContractSigner(ca, KmsSigner(self._kms, self._seal_key_id, seal,
                                                                 [ca.root.certificate]))
            return self._signer

    def sign(self, unsigned: bytes, borrower_name: str, borrower_id_masked: str,
             now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        signed, records = self._pades().sign(unsigned, borrower_name, borrower_id_masked, now)
        return signed, records

    def renew_archive(self, signed: bytes, now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        renewed, records = self._pades().renew_archive(signed, now)
        return renewed, records

    def verify(self, pdf: bytes) -> VerificationReport:
        from .pyhanko_pades import verify

        return verify(pdf, [self._pades().ca.root.certificate])
