"""The anti-money-laundering worklist on the in-memory fakes: the sweep's patterns (a large amount paid out in a
day, loans drawn and repaid in full within days again and again, a payout moved on at once) each open one case
however often they are found; only a compliance officer decides one, once; the decided case is kept write-once for
ten years."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.aml import AmlCaseKind, AmlCaseStatus, passed_through
from chalicelib.domain.customer_record import OutgoingPayment
from chalicelib.domain.errors import ComplianceOfficerRequiredError, InvalidTransitionError
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.compliance import aml
from chalicelib.services.deps import Dependencies
from chalicelib.services.servicing import repayments
from tests.unit.test_daily_sweep import swept
from tests.unit.test_services import active_line, booked_loan


def repaid_in_full(deps: Dependencies, loan_id: str, key: str) -> None:
    _, quote = repayments.quote(deps, "alice", loan_id)
    repayments.repay(deps, "alice", loan_id, key, quote.total.fen)


def test_repeated_draw_and_repay_within_days_opens_one_case_however_often_it_is_swept(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    first = booked_loan(memory_deps, line_id, "key-aml-01", 10_000, M.EQUAL_INSTALMENT)
    memory_deps.clock.advance(days=1)  # type: ignore[attr-defined]
    repaid_in_full(memory_deps, first, "key-aml-r1")
    swept(memory_deps, line_id)
    assert aml.open_cases(memory_deps) == []  # one cycle is a customer repaying early, not a pattern
    second = booked_loan(memory_deps, line_id, "key-aml-02", 10_000, M.EQUAL_INSTALMENT)
    memory_deps.clock.advance(days=1)  # type: ignore[attr-defined]
    repaid_in_full(memory_deps, second, "key-aml-r2")
    swept(memory_deps, line_id)
    swept(memory_deps, line_id)  # the same day again
    [case] = aml.open_cases(memory_deps)
    assert case.kind is AmlCaseKind.RAPID_DRAW_REPAY and case.evidence["loans"] == sorted([first, second])
    assert case.evidence["drawn_fen"] == 2_000_000 and "张三" not in str(case.evidence)


def test_a_large_amount_paid_out_in_a_day_opens_a_case(memory_deps: Dependencies) -> None:
    memory_deps.settings = memory_deps.settings.model_copy(update={"aml_large_amount_fen": 1_500_000})
    line_id = active_line(memory_deps)
    booked_loan(memory_deps, line_id, "key-aml-03", 10_000, M.EQUAL_INSTALMENT)
    swept(memory_deps, line_id)
    assert aml.open_cases(memory_deps) == []  # ¥10,000: under the amount
    booked_loan(memory_deps, line_id, "key-aml-04", 6_000, M.EQUAL_INSTALMENT)
    swept(memory_deps, line_id)
    [case] = aml.open_cases(memory_deps)
    assert case.kind is AmlCaseKind.LARGE_AMOUNT and case.evidence["paid_out_fen"] == 1_600_000


def test_a_payout_moved_on_at_once_is_found_and_a_slow_one_is_not() -> None:
    from tests.unit.test_early_repayment import loan

    drawn = loan(amount=100_000)
    at_once = [OutgoingPayment(drawn.start_date, 60_000_00, "SUPPLIER"),
               OutgoingPayment(drawn.start_date + timedelta(days=1), 35_000_00, "SUPPLIER")]
    moved = passed_through(drawn, at_once, 0.9)
    assert moved is not None and moved["moved_fen"] == 95_000_00
    later = [OutgoingPayment(drawn.start_date + timedelta(days=5), 95_000_00, "SUPPLIER")]
    assert passed_through(drawn, later, 0.9) is None
    assert passed_through(drawn, at_once[:1], 0.9) is None  # 60%: the shop buying stock


def test_only_a_compliance_officer_decides_a_case_once_and_it_is_kept_ten_years(memory_deps: Dependencies) -> None:
    aml.open_case(memory_deps.repo, memory_deps.clock.now(), "alice", AmlCaseKind.SANCTIONS_HIT, "app_x",
                  "application:app_x", {"at": "APPLICATION"})
    [case] = aml.open_cases(memory_deps)
    with pytest.raises(ComplianceOfficerRequiredError):
        aml.decide(memory_deps, "olivia", case.case_id, True, "我来替合规部门上报这笔", compliance_officer=False)
    decided = aml.decide(memory_deps, "clara", case.case_id, True, "名单核实一致，已报送可疑交易报告",
                         compliance_officer=True)
    assert decided.status is AmlCaseStatus.REPORTED and aml.open_cases(memory_deps) == []
    with pytest.raises(InvalidTransitionError):
        aml.decide(memory_deps, "clara", case.case_id, False, "再次处理同一案件试试", compliance_officer=True)
    key = aml.retention_key(case.case_id)
    kept = memory_deps.documents.retained_until[key]  # type: ignore[attr-defined]
    assert (kept - memory_deps.clock.now()).days == 3650 and b"REPORTED" in memory_deps.documents.contracts[key]  # type: ignore[attr-defined]
    assert [e["event"] for e in memory_deps.repo.audit_trail(case.case_id)] == ["AmlCaseOpened", "AmlCaseDecided"]
    assert not aml.open_case(memory_deps.repo, memory_deps.clock.now(), "alice", AmlCaseKind.SANCTIONS_HIT,
                             "app_x", "application:app_x", {})  # the same cause: not a second case
