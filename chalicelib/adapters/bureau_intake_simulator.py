"""The credit bureau's reporting intake, simulated for the local stage: it checks a file as the intake's first
check does (the layout named in the header, the record count, each record's required fields, amounts in whole
fen) and answers a receipt derived from the date and the content, so the same file always gets the same receipt
and a changed one a new receipt. It keeps nothing."""

from __future__ import annotations

import hashlib
from datetime import date

from ..domain.bureau_reporting import LAYOUT, read_file
from ..domain.errors import ValidationError
from ..ports.bureau_reporting import BureauReportingIntake

REQUIRED = ("record_type", "account_id", "agreement_id", "reporting_date", "borrower", "open_date", "due_date",
            "amount_fen", "balance_fen", "amount_due_fen", "overdue_fen", "days_past_due", "status", "five_category")


class SimulatedBureauIntake(BureauReportingIntake):
    def check_connected(self) -> None:
        return None

    def submit(self, reporting_date: date, body: bytes, sha256: str) -> str:
        if hashlib.sha256(body).hexdigest() != sha256:
            raise ValidationError("the file does not hash to what was recorded")
        header, records = read_file(body)
        if header.get("layout") != LAYOUT or header.get("records") != len(records) \
                or header.get("reporting_date") != reporting_date.isoformat():
            raise ValidationError("the intake refuses the file's header", {"layout": header.get("layout")})
        for record in records:
            missing = [f for f in REQUIRED if f not in record]
            if missing or not record["borrower"].get("id_number"):
                raise ValidationError("the intake refuses a record", {"account_id": record.get("account_id"),
                                                                      "missing": missing})
            if any(not isinstance(record[f], int) for f in REQUIRED if f.endswith("_fen")):
                raise ValidationError("amounts are whole fen", {"account_id": record.get("account_id")})
        return f"SIM-{reporting_date:%Y%m%d}-{sha256[:12].upper()}"
