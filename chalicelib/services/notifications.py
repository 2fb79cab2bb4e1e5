"""What the bank told a customer by SMS, as the local stage's outbox keeps it (a real gateway keeps none)."""

from __future__ import annotations

from ..ports import OutboxMessage
from .deps import Dependencies


def outbox(deps: Dependencies, customer_id: str) -> list[OutboxMessage]:
    return deps.notifier.outbox(customer_id)
