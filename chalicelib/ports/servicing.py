"""What servicing needs from outside: the workflows and the core banking system."""

from __future__ import annotations

import abc
from datetime import date
from typing import Any

from ..domain.money import Money


class Workflow(abc.ABC):
    @abc.abstractmethod
    def start_origination(self, application_id: str) -> None: ...
    @abc.abstractmethod
    def start_drawdown(self, drawdown_id: str) -> None: ...
    @abc.abstractmethod
    def start_daily_sweep(self, day: date) -> None:
        """Once per business day (the execution is named by the day)."""
    @abc.abstractmethod
    def resume(self, task_token: str, output: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def fail(self, task_token: str, error: str, cause: str) -> None: ...

class CoreBanking(abc.ABC):
    """The bank's core system. ``drawdown_id`` is the payment's idempotency reference on the core side."""

    @abc.abstractmethod
    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        """Returns the core reference. Raises DisbursementRefusedError or DisbursementOutcomeUnknownError."""
    @abc.abstractmethod
    def outcome(self, drawdown_id: str) -> str | None:
        """The core reference of a completed payment for this drawdown, or None if none was made."""
    @abc.abstractmethod
    def statement(self) -> list[dict[str, Any]]:
        """Every payout and collection the core made: {"kind": PAYOUT|COLLECTION, "id", "amount_fen"}."""
    @abc.abstractmethod
    def collect(self, repayment_id: str, account_no: str, amount: Money) -> str:
        """Debits the customer's account once per repayment id; a repeat returns the first reference.
        Raises DisbursementRefusedError-like RepaymentRefusedError when the account cannot pay."""
    @abc.abstractmethod
    def collection_outcome(self, repayment_id: str) -> str | None:
        """The core reference of a collection made under this id, or None if none was made."""
