"""The bank's customer information and account system (核心客户信息系统): who a mobile-banking login is, her
accounts and their monthly flows, the business and loans the bank knows. The lending product reads it; it
writes one fact back (a newer ID card's expiry)."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from datetime import date

from ..domain.customer_record import CustomerRecord


class CustomerRecords(abc.ABC):
    @abc.abstractmethod
    def record_of_login(self, login: str) -> CustomerRecord | None:
        """The record of the customer a mobile-banking login belongs to, or None for a login the bank has no
        record of (the login is the user pool's username, which the bank's mobile banking issues). Raises
        CustomerRecordsUnavailableError when the system does not answer."""
    @abc.abstractmethod
    def record(self, customer_number: str) -> CustomerRecord | None: ...
    @abc.abstractmethod
    def customer_numbers(self, segment: int, segments: int) -> Iterator[str]:
        """Every customer number in one of ``segments`` disjoint parts (a batch over all customers runs the
        parts side by side)."""
    @abc.abstractmethod
    def note_id_card_expiry(self, customer_number: str, valid_until: date | None) -> None:
        """A newer card with the record's number was read: its expiry (None: long-term) replaces the one on file."""
