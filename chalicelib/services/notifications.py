"""What the bank told a customer by SMS, as the local stage's outbox keeps it (a real gateway keeps none)."""

from __future__ import annotations

from typing import Protocol

from ..ports import Notifier, OutboxMessage


class NotificationPorts(Protocol):
    """The ports the notifications use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    notifier: Notifier


def outbox(deps: NotificationPorts, customer_id: str) -> list[OutboxMessage]:
    return deps.notifier.outbox(customer_id)
