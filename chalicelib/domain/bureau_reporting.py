"""The monthly credit-bureau report (征信报送): one record per credit line and per loan as of the reporting date,
in a documented subset of the PBoC credit reference centre's personal lending records (docs/bank/
credit-bureau-reporting.md lists each field and the bureau's data item it carries).

A line is reported as its credit agreement (授信协议信息), each drawdown as a loan account under it (循环额度下
分账户): amounts in fen, days past due, the amount due in the month, its status and five-category class, and the
month's events, found by comparing with the previous report (an account not reported before was opened; one
reported open and now closed was paid off). A correction an officer decided on a dispute is reported once, in the
next report, as a record of its own naming the report it corrects.

Pure: the service gathers the accounts, this module words them; the same accounts give the same bytes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from .loan import Loan, LoanStatus

LAYOUT = "PBOC-PERSONAL-LENDING-SUBSET-2026.12"  # the layout's name and version, on every file


class RecordType(StrEnum):
    CREDIT_AGREEMENT = "CREDIT_AGREEMENT"  # 授信协议信息记录: the line
    LOAN_ACCOUNT = "LOAN_ACCOUNT"  # 个人借贷账户信息记录, 循环额度下分账户: one drawdown's loan
    CORRECTION = "CORRECTION"  # 更正: a record of an earlier report corrected after a dispute


class AccountStatus(StrEnum):
    NORMAL = "NORMAL"  # 正常
    OVERDUE = "OVERDUE"  # 逾期
    SETTLED = "SETTLED"  # 结清
    WRITTEN_OFF = "WRITTEN_OFF"  # 呆账: written off by the bank, the claim still owed
    FROZEN = "FROZEN"  # 额度冻结 (a credit agreement only)
    CLOSED = "CLOSED"  # 额度终止 (a credit agreement only)


class MonthEvent(StrEnum):
    OPENED = "OPENED"  # 开立
    PAID_OFF = "PAID_OFF"  # 结清
    OVERDUE = "OVERDUE"  # 发生逾期
    RESTRUCTURED = "RESTRUCTURED"  # 展期 / 重组: in the month it was restructured
    WRITTEN_OFF = "WRITTEN_OFF"  # 核销: in the month it was written off


NEGATIVE_CLASSES = ("SUBSTANDARD", "DOUBTFUL", "LOSS")


@dataclass(frozen=True)
class Borrower:
    """Whom the record is about, as the bureau matches it: her name and full ID number (the report is the one
    place they leave the bank in the clear; the file is encrypted at rest and never logged)."""

    name: str
    id_type: str  # 10: 居民身份证
    id_number: str


@dataclass(frozen=True)
class AccountRecord:
    record_type: RecordType
    account_id: str
    agreement_id: str  # the line (a line's own record names itself)
    reporting_date: date
    borrower: Borrower
    open_date: date
    due_date: date
    amount_fen: int  # the line's limit, or the loan's principal
    balance_fen: int  # drawn (a line) or principal outstanding (a loan)
    amount_due_fen: int  # what fell due in the reporting month and is still unpaid
    overdue_fen: int  # principal and interest past due at the reporting date
    overdue_periods: int
    days_past_due: int
    status: AccountStatus
    five_category: str  # NORMAL SPECIAL_MENTION SUBSTANDARD DOUBTFUL LOSS (a line: its worst loan's)
    events: tuple[MonthEvent, ...] = ()
    corrects_reporting_date: date | None = None  # a CORRECTION: the report it corrects
    dispute_id: str | None = None

    @property
    def negative(self) -> bool:
        """Negative information (不良信息): an overdue or a class below 关注. Before the first one about a person is
        reported she is told (征信业管理条例 Art. 15)."""
        return self.days_past_due > 0 or self.status is AccountStatus.OVERDUE or self.five_category in NEGATIVE_CLASSES

    def as_line(self) -> dict[str, Any]:
        out = asdict(self)
        out["borrower"] = asdict(self.borrower)
        for name in ("reporting_date", "open_date", "due_date", "corrects_reporting_date"):
            out[name] = out[name].isoformat() if out[name] else None
        out["record_type"], out["status"] = self.record_type.value, self.status.value
        out["events"] = [e.value for e in self.events]
        return {k: v for k, v in out.items() if v is not None}


def loan_record(loan: Loan, reporting_date: date, borrower: Borrower, previous: dict[str, Any] | None
                ) -> AccountRecord:
    """One loan as of the reporting date; ``previous``: its record in the last report (None: not reported)."""
    assert loan.outstanding_principal is not None
    month = reporting_date.isoformat()[:7]
    owed = loan.status is not LoanStatus.CLOSED  # a written-off loan is still owed (and still late)
    unpaid = loan.due_unpaid(reporting_date) if owed else []
    overdue = [i for i in unpaid if i.due_date < reporting_date]
    dpd = loan.days_past_due(reporting_date) if owed else 0
    due_this_month = sum(i.total.fen for i in unpaid if i.due_date.isoformat()[:7] == month)
    status = (AccountStatus.SETTLED if loan.status is LoanStatus.CLOSED
              else AccountStatus.WRITTEN_OFF if loan.status is LoanStatus.WRITTEN_OFF
              else AccountStatus.OVERDUE if dpd > 0 else AccountStatus.NORMAL)
    events: list[MonthEvent] = []
    if previous is None:
        events.append(MonthEvent.OPENED)
    if status is AccountStatus.SETTLED and (previous is None or previous.get("status") != AccountStatus.SETTLED):
        events.append(MonthEvent.PAID_OFF)
    if dpd > 0 and (previous is None or int(previous.get("days_past_due", 0)) == 0):
        events.append(MonthEvent.OVERDUE)
    if loan.restructured_on and loan.restructured_on.isoformat()[:7] == month:
        events.append(MonthEvent.RESTRUCTURED)
    if loan.written_off_on and loan.written_off_on.isoformat()[:7] == month:
        events.append(MonthEvent.WRITTEN_OFF)
    balance = (0 if loan.status is LoanStatus.CLOSED
               else loan.written_off_balance.fen if loan.status is LoanStatus.WRITTEN_OFF
               else loan.outstanding_principal.fen)
    return AccountRecord(
        RecordType.LOAN_ACCOUNT, loan.loan_id, loan.credit_line_id, reporting_date, borrower, loan.start_date,
        loan.schedule[-1].due_date, loan.principal.fen, balance, due_this_month,
        sum(i.total.fen for i in overdue), len(overdue), dpd, status,
        "NORMAL" if loan.status is LoanStatus.CLOSED else loan.review.loan_class, tuple(events))


@dataclass(frozen=True)
class LineFacts:
    credit_line_id: str
    status: str  # the line's own status (ACTIVE FROZEN CLOSED ...)
    opened_on: date
    valid_until: date
    limit_fen: int
    drawn_fen: int


_CLASS_ORDER = ("NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS")


def line_record(line: LineFacts, loans: list[AccountRecord], reporting_date: date, borrower: Borrower,
                previous: dict[str, Any] | None) -> AccountRecord:
    """The line's credit agreement, its figures the sum of its loans' (its class its worst loan's)."""
    dpd = max((r.days_past_due for r in loans), default=0)
    status = {"FROZEN": AccountStatus.FROZEN, "CLOSED": AccountStatus.CLOSED,
              "EXPIRED": AccountStatus.CLOSED}.get(line.status, AccountStatus.OVERDUE if dpd else AccountStatus.NORMAL)
    worst = max((r.five_category for r in loans), key=_CLASS_ORDER.index, default="NORMAL")
    return AccountRecord(
        RecordType.CREDIT_AGREEMENT, line.credit_line_id, line.credit_line_id, reporting_date, borrower,
        line.opened_on, line.valid_until, line.limit_fen, line.drawn_fen,
        sum(r.amount_due_fen for r in loans), sum(r.overdue_fen for r in loans),
        max((r.overdue_periods for r in loans), default=0), dpd, status, worst,
        (MonthEvent.OPENED,) if previous is None else ())


def correction(original: dict[str, Any], corrected: dict[str, Any], reporting_date: date,
               dispute_id: str) -> dict[str, Any]:
    """The record of an earlier report as it should have read: its fields, those the officer corrected replaced."""
    return {**original, **corrected, "record_type": RecordType.CORRECTION.value,
            "corrects_reporting_date": original["reporting_date"], "reporting_date": reporting_date.isoformat(),
            "dispute_id": dispute_id}


CORRECTABLE = ("balance_fen", "amount_due_fen", "overdue_fen", "overdue_periods", "days_past_due", "status",
               "five_category")


@dataclass(frozen=True)
class ReportFile:
    reporting_date: date
    body: bytes
    sha256: str
    accounts: int  # lines and loans
    corrections: int
    negative_subjects: tuple[str, ...]  # the customers with negative information in this report


def report_file(reporting_date: date, records: list[dict[str, Any]], negative: list[str]) -> ReportFile:
    """JSON Lines: a header, then one record per line, sorted by account (the same records, the same bytes)."""
    header = {"layout": LAYOUT, "reporting_date": reporting_date.isoformat(), "records": len(records)}
    rows = sorted(records, key=lambda r: (r["record_type"] == RecordType.CORRECTION.value, r["agreement_id"],
                                          r["record_type"] != RecordType.CREDIT_AGREEMENT.value, r["account_id"]))
    body = "\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in [header, *rows]).encode() + b"\n"
    fixes = sum(1 for r in rows if r["record_type"] == RecordType.CORRECTION.value)
    return ReportFile(reporting_date, body, hashlib.sha256(body).hexdigest(), len(rows) - fixes, fixes,
                      tuple(sorted(set(negative))))


def read_file(body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
    return lines[0], lines[1:]


def month_end(day: date) -> bool:
    """The reporting date is the month's last day."""
    return (day + timedelta(days=1)).day == 1


class ReportStatus(StrEnum):
    GENERATING = "GENERATING"
    GENERATED = "GENERATED"


@dataclass
class BureauReport:
    """One reporting date's report: claimed once (a second request for the date gets this one), then generated."""

    reporting_date: date
    status: ReportStatus
    requested_by: str
    requested_at: datetime
    s3_key: str = ""
    sha256: str = ""
    accounts: int = 0
    corrections: int = 0
    notices_sent: int = 0
    generated_at: datetime | None = None
    version: int = 0
    receipt: str = ""  # the bureau intake's receipt for the file

    def generated(self, key: str, file: ReportFile, notices: int, at: datetime) -> BureauReport:
        return replace(self, status=ReportStatus.GENERATED, s3_key=key, sha256=file.sha256, accounts=file.accounts,
                       corrections=file.corrections, notices_sent=notices, generated_at=at)
