"""What post-loan monitoring needs: the warnings' store and the feeds of outside records."""

from __future__ import annotations

import abc
from typing import Any

from ..domain.credit_line import LineChange
from ..domain.early_warning import Cause, EarlyWarning, WarningStatus
from ..domain.events import DomainEvent
from ..domain.external_records import ExternalRecord


class WarningStore(abc.ABC):
    """Post-loan early warnings. At most one open warning per line (enforced by the store, not by readers); a
    warning is written with a version check, together with the line status it sets; the causes of a closed
    warning are settled for that line."""

    @abc.abstractmethod
    def open_warning_of_line(self, credit_line_id: str) -> EarlyWarning | None: ...
    @abc.abstractmethod
    def open_warnings_of_lines(self, credit_line_ids: list[str]) -> dict[str, EarlyWarning]:
        """The open warning of each of the lines that has one, in a bounded number of reads (a list's page)."""
    @abc.abstractmethod
    def settled_causes(self, credit_line_id: str) -> frozenset[str]: ...
    @abc.abstractmethod
    def get_warning(self, warning_id: str) -> EarlyWarning: ...
    @abc.abstractmethod
    def save_warning(self, warning: EarlyWarning, line_change: LineChange | None = None,
                     settle: tuple[str, ...] = (), audit: DomainEvent | None = None) -> None:
        """Raises ConcurrentModificationError when the warning changed since it was read, another warning is
        already open for the line, or the line is not in the expected status; nothing is written then. ``audit``
        (an officer's disposition) is written to the warning's trail in the same transaction."""
    @abc.abstractmethod
    def warnings(self, status: WarningStatus | None = None) -> list[EarlyWarning]: ...
    @abc.abstractmethod
    def monitoring_state(self, customer_id: str) -> dict[str, Any]:
        """What monitoring remembers of a customer between records: the last bureau snapshot, the rescoring
        runs (PD, grade, reasons, when); empty for a customer never monitored."""
    @abc.abstractmethod
    def save_monitoring_state(self, customer_id: str, state: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    def note_subject_record(self, subject_hash: str, cause: Cause, cleared: bool) -> None:
        """Keeps what a record from outside the bank says about a person or business (by the keyed hash of the ID
        or registration number), so that an application made later finds it; a cleared record is forgotten."""
    @abc.abstractmethod
    def subject_records(self, subject_hash: str) -> list[Cause]:
        """The standing records about a person or business, oldest first."""
    @abc.abstractmethod
    def count_grade(self, month: str, population: str, grade: str) -> None:
        """One more score in a grade band this month (an atomic counter), for the model's stability (PSI)."""
    @abc.abstractmethod
    def grade_counts(self, month: str, population: str) -> dict[str, int]: ...

class ExternalRecordFeed(abc.ABC):
    """Records from outside the bank about our borrowers (court lists, the business registry, tax, bureau
    refreshes). The feed's writer delivers each record as it arrives, with the ID or registration number it is
    about; its arrival is an event (the monitoring handler evaluates the subject's lines)."""

    @abc.abstractmethod
    def deliver(self, record: ExternalRecord) -> str:
        """Stores the record and returns its key (a record delivered again is stored again: the same record id
        is the same cause, so it raises nothing twice)."""
    @abc.abstractmethod
    def read(self, key: str) -> ExternalRecord: ...
