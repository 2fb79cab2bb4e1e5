"""What every use case may use: the clock, secrets, field encryption and notifications."""

from __future__ import annotations

import abc
from datetime import date, datetime

from ..domain.business_date import business_date
from .repository import OutboxMessage


class Notifier(abc.ABC):
    @abc.abstractmethod
    def send_sms(self, customer_id: str, phone: str, template: str, text: str) -> None: ...
    @abc.abstractmethod
    def outbox(self, customer_id: str) -> list[OutboxMessage]: ...

class Clock(abc.ABC):
    """The one source of "now" and of "today" (the Beijing business date of now): every date a loan, a quote,
    a due date or a daily run uses comes from here, so tests can stand at 23:59 or 00:01 Beijing time."""

    @abc.abstractmethod
    def now(self) -> datetime: ...

    def today(self) -> date:
        return business_date(self.now())

class Secrets(abc.ABC):
    @abc.abstractmethod
    def otp_key(self) -> str:
        """The key that makes OTP hashes useless to anyone who reads the table."""

class FieldCipher(abc.ABC):
    """Field-level protection of the ID number: envelope encryption bound to the application (encryption
    context), and a keyed hash for duplicate and blacklist look-ups that reveals nothing without the key."""

    @abc.abstractmethod
    def encrypt(self, plaintext: str, application_id: str) -> dict[str, str]: ...
    @abc.abstractmethod
    def decrypt(self, sealed: dict[str, str], application_id: str) -> str: ...
    @abc.abstractmethod
    def keyed_hash(self, value: str) -> str: ...
