"""The credit bureau's reporting intake (征信报送: the PBoC credit reference centre's interface for the files an
institution submits) and the bank's own copy of each file it submits."""

from __future__ import annotations

import abc
from datetime import date


class BureauReportingIntake(abc.ABC):
    @abc.abstractmethod
    def check_connected(self) -> None:
        """Raises BureauReportingUnavailableError where no intake is connected: asked before a report is claimed,
        written or any customer told, so that nothing changes on a stage that cannot submit."""
    @abc.abstractmethod
    def submit(self, reporting_date: date, body: bytes, sha256: str) -> str:
        """Hands one reporting date's file to the bureau; its receipt. The same file again gets the same receipt
        (the intake keys a submission by institution, date and content)."""


class BureauReportFiles(abc.ABC):
    @abc.abstractmethod
    def put(self, reporting_date: date, body: bytes) -> str:
        """The bank's copy of the file, one per reporting date (the key names the date); its key."""
    @abc.abstractmethod
    def get(self, reporting_date: date) -> bytes | None: ...
