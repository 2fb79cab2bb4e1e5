"""Telling the borrower: by SMS to the phone of her own application for the line (never anyone else's number), and
in the app's messages."""

from __future__ import annotations

import uuid
from typing import Protocol

from ...ports import Clock, CustomerMessage, LendingRepository, Notifier


class MessagePorts(Protocol):
    clock: Clock
    notifier: Notifier
    repo: LendingRepository


def borrower_phone(repo: LendingRepository, credit_line_id: str) -> str:
    """The phone she gave (and verified) when she applied for the line: the one number the bank contacts."""
    line = repo.get_credit_line(credit_line_id)
    return repo.get_application(line.application_id).applicant_phone


def tell_borrower(deps: MessagePorts, customer_id: str, credit_line_id: str, kind: str, title: str, text: str,
                  subject_id: str, sms: bool = True) -> None:
    if sms:
        deps.notifier.send_sms(customer_id, borrower_phone(deps.repo, credit_line_id), kind, text)
    deps.repo.add_customer_message(customer_id, CustomerMessage(f"msg_{uuid.uuid4().hex}", kind, title, text,
                                                                deps.clock.now(), subject_id))


def messages_of(deps: MessagePorts, customer_id: str) -> list[CustomerMessage]:
    return deps.repo.customer_messages(customer_id)
