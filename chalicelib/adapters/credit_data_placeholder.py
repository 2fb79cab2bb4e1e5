"""PLACEHOLDER credit data source (issue 4 replaces it with the bureau and tax clients and their simulators)."""

from __future__ import annotations

from typing import Any

from ..domain.application import LoanApplication
from ..ports import CreditDataSource


class PlaceholderCreditData(CreditDataSource):
    def gather(self, app: LoanApplication) -> dict[str, Any]:
        return {"bureau": "PLACEHOLDER_NOT_QUERIED", "tax": "PLACEHOLDER_NOT_QUERIED"}
