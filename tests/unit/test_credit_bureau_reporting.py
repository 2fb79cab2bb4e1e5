"""The monthly credit-bureau report on the in-memory fakes, the abuses first: a date generated twice gives one
file; a date that is not a month's end, or not yet ended, is refused; a stage without the intake refuses before
anything changes; then what the file says of each line and loan, the month's events against the last report, the
SMS before a person's first negative report (once), and a dispute corrected in the next report (only hers)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from chalicelib.adapters.not_connected import NotConnectedBureauIntake
from chalicelib.domain.bureau_reporting import LAYOUT, read_file
from chalicelib.domain.credit_dispute import DisputeStatus
from chalicelib.domain.errors import BureauReportingUnavailableError, NotFoundError, ValidationError
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.compliance import credit_reporting
from chalicelib.services.deps import Dependencies
from tests.unit.test_daily_sweep import first_due, swept
from tests.unit.test_services import active_line, booked_loan

JAN = date(2026, 1, 31)  # the fakes' clock starts on this month end


def records(deps: Dependencies, day: date) -> dict[str, dict]:
    body = deps.bureau_files.get(day)  # type: ignore[attr-defined]
    assert body is not None
    header, rows = read_file(body)
    assert header["layout"] == LAYOUT and header["records"] == len(rows)
    return {r["account_id"] + ("#fix" if r["record_type"] == "CORRECTION" else ""): r for r in rows}


def test_a_date_generated_twice_gives_one_file_and_the_second_request_is_answered_with_the_first(
        memory_deps: Dependencies) -> None:
    active_line(memory_deps)
    first, made = credit_reporting.report(memory_deps, JAN, "olivia")
    again, made_again = credit_reporting.report(memory_deps, JAN, "oscar")
    assert made and not made_again and again.sha256 == first.sha256 and again.requested_by == "olivia"
    answers: list[bool] = []
    feb = date(2026, 2, 28)
    threads = [threading.Thread(target=lambda: answers.append(credit_reporting.report(memory_deps, feb, "x")[1]))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [False, False, False, True]  # four at once: one generated


def test_a_date_not_at_a_month_end_or_a_stage_without_the_intake_is_refused_before_anything_changes(
        memory_deps: Dependencies) -> None:
    with pytest.raises(ValidationError):
        credit_reporting.report(memory_deps, date(2026, 1, 30), "olivia")
    memory_deps.bureau_intake = NotConnectedBureauIntake()
    with pytest.raises(BureauReportingUnavailableError):
        credit_reporting.report(memory_deps, JAN, "olivia")
    assert memory_deps.repo.bureau_reports() == [] and memory_deps.bureau_files.get(JAN) is None  # type: ignore[attr-defined]


def test_each_line_and_loan_is_reported_with_its_figures_and_the_months_events(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-report-01", 12_000, M.EQUAL_INSTALMENT)
    report, _ = credit_reporting.report(memory_deps, JAN, "olivia")
    assert report.accounts == 2 and report.receipt.startswith("SIM-20260131-")
    rows = records(memory_deps, JAN)
    line, loan = rows[line_id], rows[loan_id]
    assert line["record_type"] == "CREDIT_AGREEMENT" and loan["record_type"] == "LOAN_ACCOUNT"
    assert line["amount_fen"] == memory_deps.repo.get_credit_line(line_id).limit.fen
    assert line["balance_fen"] == loan["balance_fen"] == loan["amount_fen"] == 1_200_000
    assert loan["events"] == ["OPENED"] and loan["status"] == "NORMAL" and loan["days_past_due"] == 0
    assert loan["borrower"] == {"name": "张三", "id_type": "10", "id_number": "330102199001010012"}
    assert loan["agreement_id"] == line_id and loan["five_category"] == "NORMAL"
    # a month later, the first instalment collected: no new event; the loan is still open
    swept(memory_deps, line_id, (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days)
    credit_reporting.report(memory_deps, date(2026, 2, 28), "olivia")
    feb = records(memory_deps, date(2026, 2, 28))
    assert feb[loan_id]["events"] == [] and feb[loan_id]["balance_fen"] < 1_200_000


def test_she_is_told_once_before_her_first_negative_report(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-report-02", 12_000, M.EQUAL_INSTALMENT)
    memory_deps.core_banking.refuse_collections = True  # type: ignore[attr-defined]
    swept(memory_deps, line_id, (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days + 3)
    report, _ = credit_reporting.report(memory_deps, date(2026, 3, 31), "olivia")
    rows = records(memory_deps, date(2026, 3, 31))
    assert rows[loan_id]["status"] == "OVERDUE" and rows[loan_id]["days_past_due"] > 0
    assert "OVERDUE" in rows[loan_id]["events"] and rows[loan_id]["overdue_fen"] > 0
    notices = [m for m in memory_deps.notifier.sent if m[2] == "CREDIT_BUREAU_NEGATIVE_NOTICE"]  # type: ignore[attr-defined]
    assert report.notices_sent == 1 and len(notices) == 1 and "征信业管理条例" in notices[0][3]
    credit_reporting.report(memory_deps, date(2026, 4, 30), "olivia")
    assert len([m for m in memory_deps.notifier.sent  # type: ignore[attr-defined]
                if m[2] == "CREDIT_BUREAU_NEGATIVE_NOTICE"]) == 1  # once per person


def test_a_dispute_found_right_is_corrected_once_in_the_next_report_and_only_hers_can_be_disputed(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-report-03", 12_000, M.EQUAL_INSTALMENT)
    credit_reporting.report(memory_deps, JAN, "olivia")
    with pytest.raises(NotFoundError):
        credit_reporting.file_dispute(memory_deps, "mallory", loan_id, JAN, "这不是我的借款记录", "customer:mallory")
    with pytest.raises(ValidationError):
        credit_reporting.file_dispute(memory_deps, "alice", loan_id, date(2025, 12, 31), "那个月没有报送过", "c")
    dispute = credit_reporting.file_dispute(memory_deps, "alice", loan_id, None, "我的借款余额报错了",
                                            "customer:alice")
    assert dispute.reporting_date == JAN and (dispute.due_at - dispute.opened_at).days == 20
    credit_reporting.resolve_dispute(memory_deps, "olivia", dispute.dispute_id, True,
                                     "核实放款记录，余额应为一万一千元，予以更正", {"balance_fen": 1_100_000})
    assert any(m[2] == "CREDIT_DISPUTE_ANSWERED" for m in memory_deps.notifier.sent)  # type: ignore[attr-defined]
    credit_reporting.report(memory_deps, date(2026, 2, 28), "olivia")
    rows = records(memory_deps, date(2026, 2, 28))
    fix = rows[loan_id + "#fix"]
    assert fix["corrects_reporting_date"] == "2026-01-31" and fix["balance_fen"] == 1_100_000
    assert fix["dispute_id"] == dispute.dispute_id and fix["reporting_date"] == "2026-02-28"
    assert memory_deps.repo.get_dispute(dispute.dispute_id).status is DisputeStatus.REPORTED
    credit_reporting.report(memory_deps, date(2026, 3, 31), "olivia")
    assert loan_id + "#fix" not in records(memory_deps, date(2026, 3, 31))  # once
