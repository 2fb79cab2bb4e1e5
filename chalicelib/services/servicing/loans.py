"""A customer's loans as such: finding her own (the schedule, repayments and the daily run are elsewhere)."""

from __future__ import annotations

from ...domain.loan import Loan
from ..deps import Dependencies
from ..ownership import owned


def owned_loan(deps: Dependencies, customer_id: str, loan_id: str) -> Loan:
    return owned(deps.repo.get_loan, customer_id, loan_id, "loan")
