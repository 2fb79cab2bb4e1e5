"""Post-loan monitoring on the services: a signal raises the line's warning, RED freezes the line in the same
write, officers dispose; run on the in-memory fakes (the warning store's contract holds them to DynamoDB's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain.credit_line import CreditLineStatus, line_history
from chalicelib.domain.early_warning import Level, Signal, Source, WarningEvent, WarningStatus
from chalicelib.domain.errors import (
    DisbursementRefusedError,
    DrawdownRuleViolatedError,
    InvalidTransitionError,
    ValidationError,
)
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services import monitoring
from chalicelib.services.deps import Dependencies
from chalicelib.services.monitoring import Disposition, DispositionRequest
from chalicelib.services.servicing import drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from tests.unit.test_services import ACCOUNT, active_line

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def court(cause: str = "（2026）浙0102执1234号", kind: str = "JUDICIAL_DISHONEST_DEBTOR") -> Signal:
    return Signal(kind, Source.JUDICIAL, cause, NOW, {}, {"case_no": cause[:8] + "****"})


def tax_drop(ratio: float = 0.4) -> Signal:
    return Signal("TAX_SALES_DROP", Source.TAX, "tax:2026-09..11", NOW, {"drop_ratio": ratio}, {"basis": "yoy"})


def texts(deps: Dependencies) -> list[str]:
    return [template for _, _, template, _ in deps.notifier.sent]  # type: ignore[attr-defined]


def test_a_dishonest_debtor_record_freezes_the_line_and_tells_the_customer(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    outcome = monitoring.evaluate(memory_deps, line_id, court())
    assert outcome.action == "RAISED" and outcome.warning is not None and outcome.warning.level is Level.RED
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.status is CreditLineStatus.FROZEN
    assert "CREDIT_LINE_FROZEN" in texts(memory_deps)
    history = line_history(memory_deps.repo.audit_trail(line_id))
    assert history[-1].event == ev.CREDIT_LINE_FROZEN
    # a drawdown asked for now is refused with the line's reason, and nothing is reserved
    with pytest.raises(DrawdownRuleViolatedError) as refused:
        drawdowns.request_drawdown(memory_deps, "alice", "key-frozen-01",
                                   DrawdownCommand(line_id, Money.yuan(1_000), 6, M.EQUAL_PRINCIPAL, ACCOUNT))
    assert refused.value.code == "CREDIT_LINE_NOT_ACTIVE" and "FROZEN" in str(refused.value)
    assert memory_deps.repo.get_credit_line(line_id).available == line.limit


def test_the_same_record_twice_is_one_warning_and_one_text(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    monitoring.evaluate(memory_deps, line_id, court())
    again = monitoring.evaluate(memory_deps, line_id, court())
    assert again.action == "DUPLICATE"
    assert len(memory_deps.warnings.warnings()) == 1 and texts(memory_deps).count("CREDIT_LINE_FROZEN") == 1


def test_an_orange_warning_leaves_the_line_usable_and_a_red_one_then_escalates_and_freezes(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    orange = monitoring.evaluate(memory_deps, line_id, tax_drop())
    assert orange.action == "RAISED" and orange.warning is not None and orange.warning.level is Level.ORANGE
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE
    red = monitoring.evaluate(memory_deps, line_id, court())
    assert red.action == "ESCALATED" and memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    assert red.warning is not None and red.warning.warning_id == orange.warning.warning_id


def test_an_officer_unfreezes_with_a_comment_and_the_same_record_does_not_freeze_again(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    warning = monitoring.evaluate(memory_deps, line_id, court()).warning
    assert warning is not None
    with pytest.raises(ValidationError):
        monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(Disposition.UNFREEZE, " "),
                           NOW)
    kept = monitoring.dispose(memory_deps, "olivia", warning.warning_id,
                              DispositionRequest(Disposition.KEEP_FROZEN, "执行案件未结，维持冻结"), NOW)
    assert kept.status is WarningStatus.OPEN
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    closed = monitoring.dispose(memory_deps, "olivia", warning.warning_id,
                                DispositionRequest(Disposition.UNFREEZE, "案件已和解，客户经营正常，恢复额度"), NOW)
    assert closed.status is WarningStatus.CLOSED
    assert closed.history[-1].by == "olivia" and closed.history[-1].action == "UNFREEZE"
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE
    assert texts(memory_deps)[-1] == "CREDIT_LINE_UNFROZEN"
    assert monitoring.evaluate(memory_deps, line_id, court()).action == "DUPLICATE"
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE
    with pytest.raises(InvalidTransitionError):
        monitoring.dispose(memory_deps, "olivia", warning.warning_id,
                           DispositionRequest(Disposition.FALSE_ALARM, "重复处置"), NOW)


def test_closing_a_warning_does_not_unfreeze_a_line_frozen_for_an_overdue_loan(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    line = memory_deps.repo.get_credit_line(line_id)
    line.status = CreditLineStatus.FROZEN  # frozen by the auto-debit for a late instalment
    memory_deps.repo.lines[line_id] = line  # type: ignore[attr-defined]
    memory_deps.repo._append(line_id, [DomainEvent(ev.LOAN_OVERDUE, line_id, "system")])  # type: ignore[attr-defined]
    warning = monitoring.evaluate(memory_deps, line_id, court("case-x", "JUDICIAL_LAWSUIT")).warning
    assert warning is not None
    monitoring.dispose(memory_deps, "olivia", warning.warning_id,
                       DispositionRequest(Disposition.FALSE_ALARM, "诉讼与本客户无关"), NOW)
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN


def test_the_worklist_is_open_warnings_strongest_first_and_can_show_overdue_tasks(memory_deps: Dependencies) -> None:
    first, second = active_line(memory_deps), active_line(memory_deps)
    monitoring.evaluate(memory_deps, first, tax_drop())
    monitoring.evaluate(memory_deps, second, court())
    listed = monitoring.worklist(memory_deps.warnings, NOW)
    assert [w.level for w in listed] == [Level.RED, Level.ORANGE]
    assert monitoring.worklist(memory_deps.warnings, NOW, level=Level.ORANGE)[0].credit_line_id == first
    assert monitoring.worklist(memory_deps.warnings, NOW, overdue_only=True) == []
    late = monitoring.worklist(memory_deps.warnings, NOW + timedelta(hours=25), overdue_only=True)
    assert [w.level for w in late] == [Level.RED]  # the RED task was due within 24 hours


def reserved_drawdown(deps: Dependencies, line_id: str, key: str) -> str:
    dd = drawdowns.request_drawdown(deps, "alice", key,
                                    DrawdownCommand(line_id, Money.yuan(5_000), 6, M.EQUAL_PRINCIPAL, ACCOUNT))
    assert drawdowns.reserve_limit(deps, dd.drawdown_id)["reserved"]
    return dd.drawdown_id


def test_a_reserved_drawdown_is_not_paid_once_the_line_is_frozen_and_its_reservation_is_released(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    drawdown_id = reserved_drawdown(memory_deps, line_id, "key-race-0001")
    monitoring.evaluate(memory_deps, line_id, court())
    with pytest.raises(DisbursementRefusedError, match="frozen"):
        drawdowns.disburse(memory_deps, drawdown_id)
    assert memory_deps.core_banking.payouts == {}  # type: ignore[attr-defined]
    drawdowns.release_reservation(memory_deps, drawdown_id, {"Error": "DisbursementRefusedError"})
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.available == line.limit and line.status is CreditLineStatus.FROZEN


def test_a_payout_that_started_before_the_freeze_completes_once(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    drawdown_id = reserved_drawdown(memory_deps, line_id, "key-race-0002")
    dd = memory_deps.repo.get_drawdown(drawdown_id)
    dd.start_payout("system", memory_deps.clock.now())
    memory_deps.repo.claim_payout(dd)  # the step began
    monitoring.evaluate(memory_deps, line_id, court())  # ... and the freeze lands while it pays
    first = drawdowns.disburse(memory_deps, drawdown_id)
    assert drawdowns.disburse(memory_deps, drawdown_id) == first
    assert len(memory_deps.core_banking.payouts) == 1  # type: ignore[attr-defined]


def test_a_limit_cut_never_goes_below_what_is_drawn_and_a_large_one_needs_a_second_officer(
        memory_deps: Dependencies) -> None:
    from dataclasses import replace

    from chalicelib.domain.errors import SecondOfficerRequiredError
    from tests.unit.test_services import booked_loan

    memory_deps = replace(memory_deps, settings=memory_deps.settings.model_copy(
        update={"limit_reduction_checker_above_fen": 2_000_000}))  # cuts above ¥20,000 need a second officer
    line_id = active_line(memory_deps)
    booked_loan(memory_deps, line_id, "key-cut-0001", 10_000, M.EQUAL_INSTALMENT)
    warning = monitoring.evaluate(memory_deps, line_id, court()).warning
    assert warning is not None
    line = memory_deps.repo.get_credit_line(line_id)
    drawn = line.limit.fen - line.available.fen
    with pytest.raises(ValidationError):
        monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(
            Disposition.REDUCE_LIMIT, "降至已用额度以下", drawn - 100), NOW)
    with pytest.raises(ValidationError):
        monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(
            Disposition.REDUCE_LIMIT, "未给出新额度"), NOW)
    proposed = monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(
        Disposition.REDUCE_LIMIT, "降额至已用额度", drawn), NOW)  # a cut above ¥20,000: proposed only
    assert proposed.status is WarningStatus.OPEN and proposed.history[-1].event is WarningEvent.LIMIT_REDUCTION_PROPOSED
    assert memory_deps.repo.get_credit_line(line_id).limit == line.limit
    with pytest.raises(SecondOfficerRequiredError):
        monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(
            Disposition.CONFIRM_LIMIT_REDUCTION, "我自己确认"), NOW)
    done = monitoring.dispose(memory_deps, "oscar", warning.warning_id, DispositionRequest(
        Disposition.CONFIRM_LIMIT_REDUCTION, "复核同意降额"), NOW)
    after = memory_deps.repo.get_credit_line(line_id)
    assert done.status is WarningStatus.CLOSED and after.limit.fen == drawn and after.available.fen == 0
    assert after.status is CreditLineStatus.ACTIVE  # given back at the lower limit
    movements = line_history(memory_deps.repo.audit_trail(line_id))
    cut = next(m for m in movements if m.event == ev.CREDIT_LINE_LIMIT_REDUCED)
    assert cut.available_change.fen == -(line.limit.fen - drawn) and cut.status_after is CreditLineStatus.ACTIVE
    assert "CREDIT_LINE_LIMIT_REDUCED" in texts(memory_deps)


def test_a_small_cut_is_applied_at_once_and_acceleration_is_proposed_with_the_line_frozen(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    limit = memory_deps.repo.get_credit_line(line_id).limit
    warning = monitoring.evaluate(memory_deps, line_id, tax_drop()).warning
    assert warning is not None
    done = monitoring.dispose(memory_deps, "olivia", warning.warning_id, DispositionRequest(
        Disposition.REDUCE_LIMIT, "销售下滑，小幅降额", limit.fen - 1_000_000), NOW)
    assert done.status is WarningStatus.CLOSED
    assert memory_deps.repo.get_credit_line(line_id).limit.fen == limit.fen - 1_000_000
    red = monitoring.evaluate(memory_deps, line_id, court("（2026）浙0102执9999号")).warning
    assert red is not None
    proposed = monitoring.dispose(memory_deps, "olivia", red.warning_id, DispositionRequest(
        Disposition.PROPOSE_ACCELERATION, "失信被执行人，建议宣布提前到期"), NOW)
    assert proposed.status is WarningStatus.OPEN and proposed.history[-1].event is WarningEvent.ACCELERATION_PROPOSED
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    events = [m.event for m in line_history(memory_deps.repo.audit_trail(line_id))]
    assert ev.LOAN_ACCELERATION_PROPOSED in events
