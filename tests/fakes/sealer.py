"""The contract sealer for tests with in-memory dependencies: signs in the calling process, as the sealing function
does on its own (on every stage the API invokes that function, whose role alone may use the seal key)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.application import Contract, LoanApplication
from chalicelib.ports import ContractSealer, ContractSigning, DocumentStore
from chalicelib.services.origination import contracts


class InProcessSealer(ContractSealer):
    def __init__(self, documents: DocumentStore, signing: ContractSigning, retention_days: int) -> None:
        self._documents, self._signing, self._retention_days = documents, signing, retention_days

    def seal(self, app: LoanApplication, now: datetime) -> Contract:
        return contracts.sign(self._documents, self._signing, self._retention_days, app, now)
