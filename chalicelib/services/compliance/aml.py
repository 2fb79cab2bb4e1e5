"""The anti-money-laundering worklist: cases opened by the daily sweep's patterns and by every sanctions hit (an
applicant, a borrower, a drawdown), decided once by a compliance officer, the decided case kept write-once for ten
years (Object Lock, ``AML_RETENTION_DAYS``)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from ...domain.aml import AmlCase, AmlCaseKind, AmlCaseStatus, paid_out_on, passed_through, rapid_cycles
from ...domain.errors import ComplianceOfficerRequiredError
from ...observability import logger, metrics
from ...ports import Clock, CustomerRecords, DocumentStore, LendingRepository, SweptLine
from ...settings import Settings


class AmlPorts(Protocol):
    clock: Clock
    customer_records: CustomerRecords
    repo: LendingRepository
    settings: Settings


class AmlDecisionPorts(Protocol):
    clock: Clock
    documents: DocumentStore
    repo: LendingRepository
    settings: Settings


def open_case(repo: LendingRepository, now: datetime, customer_id: str, kind: AmlCaseKind, subject_id: str,
              cause: str, evidence: dict[str, Any]) -> bool:
    """Once per kind and cause (a pattern found again, a retried step: the same case)."""
    opened = repo.add_aml_case(AmlCase.open(customer_id, kind, subject_id, cause, evidence, now))
    if opened:
        metrics.add_metric(name="AmlCasesOpened", unit="Count", value=1)
        logger.info("aml case opened", extra={"kind": kind.value, "subject_id": subject_id})
    return opened


def screen_line(deps: AmlPorts, line: SweptLine, day: date, now: datetime) -> int:
    """The day's patterns on one line: a large amount paid out, repeated draw-and-repay cycles, a payout moved on
    at once (the last read from her record at the bank, only on the days after a payout)."""
    s = deps.settings
    loans = deps.repo.loans_of_line(line.customer_id, line.credit_line_id)
    if not loans:
        return 0
    opened = 0
    paid = paid_out_on(loans, day)
    if paid >= s.aml_large_amount_fen:
        opened += open_case(deps.repo, now, line.customer_id, AmlCaseKind.LARGE_AMOUNT, line.credit_line_id,
                            f"{line.credit_line_id}:{day.isoformat()}",
                            {"paid_out_fen": paid, "day": day.isoformat(), "threshold_fen": s.aml_large_amount_fen})
    cycles = rapid_cycles(loans, day, s.aml_rapid_days)
    if len(cycles) >= s.aml_rapid_cycles:
        ids = sorted(loan.loan_id for loan in cycles)
        opened += open_case(deps.repo, now, line.customer_id, AmlCaseKind.RAPID_DRAW_REPAY, line.credit_line_id,
                            "+".join(ids), {"loans": ids, "within_days": s.aml_rapid_days,
                                            "drawn_fen": sum(loan.principal.fen for loan in cycles)})
    recent = [loan for loan in loans if timedelta(0) <= day - loan.start_date <= timedelta(days=2)]
    if recent:
        link = deps.repo.get_application(deps.repo.get_credit_line(line.credit_line_id).application_id).bank_customer
        record = deps.customer_records.record(link.customer_number) if link is not None else None
        payments = [p for account in record.accounts for p in account.payments] if record else []
        for loan in recent:
            moved = passed_through(loan, payments, s.aml_moved_on_share)
            if moved is not None:
                opened += open_case(deps.repo, now, line.customer_id, AmlCaseKind.FUNDS_MOVED_ON, loan.loan_id,
                                    loan.loan_id, moved)
    return opened


def open_cases(deps: AmlPorts) -> list[AmlCase]:
    return deps.repo.aml_cases_with_status(AmlCaseStatus.OPEN)


def retention_key(case_id: str) -> str:
    return f"aml/{case_id}.json"


def decide(deps: AmlDecisionPorts, officer_id: str, case_id: str, report: bool, comment: str,
           compliance_officer: bool) -> AmlCase:
    """A compliance officer's decision (report as suspicious, or close), once; the case and its decision then
    written once to the write-once bucket, kept ``aml_retention_days``."""
    if not compliance_officer:
        raise ComplianceOfficerRequiredError("anti-money-laundering cases are decided by a compliance officer")
    case = deps.repo.get_aml_case(case_id)
    now = deps.clock.now()
    case.decide(officer_id, report, comment, now)
    deps.repo.save_aml_case(case)
    deps.documents.put_contract(retention_key(case.case_id),
                                json.dumps(case.record(), ensure_ascii=False, sort_keys=True).encode(),
                                now + timedelta(days=deps.settings.aml_retention_days))
    return case
