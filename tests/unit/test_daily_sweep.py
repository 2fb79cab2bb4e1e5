"""The daily sweep of a shard on the in-memory fakes: the day's auto-debit, the bank's own signals (days past
due at 1 and 30 days, a failed debit, drawing to repay, the line drawn at once), classification at each
threshold with its history, catching up clearing the overdue causes, the shard's figures, and the monthly
bureau refresh with rescoring."""

from __future__ import annotations

import pytest

from chalicelib.domain.credit_line import CreditLineStatus
from chalicelib.domain.early_warning import Level
from chalicelib.domain.portfolio import SWEEP_SHARDS, add_up, shard_of
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.deps import Dependencies
from chalicelib.services.monitoring import sweep
from tests.unit.test_services import active_line, booked_loan


def swept(deps: Dependencies, line_id: str, days_later: int = 0) -> dict:
    """Sweeps the line's shard ``days_later`` days after the clock's business date (the clock moves too)."""
    if days_later:
        deps.clock.advance(days=days_later)  # type: ignore[attr-defined]
    return sweep.sweep_shard(deps, shard_of(line_id), deps.clock.today())


def first_due(deps: Dependencies, loan_id: str):  # type: ignore[no-untyped-def]
    return deps.repo.get_loan(loan_id).schedule[0].due_date


def overdue_loan(deps: Dependencies) -> tuple[str, str]:
    line_id = active_line(deps)
    loan_id = booked_loan(deps, line_id, "key-sweep-001", 12_000, M.EQUAL_INSTALMENT)
    deps.core_banking.refuse_collections = True  # type: ignore[attr-defined]
    return line_id, loan_id


def test_a_due_instalment_is_collected_by_the_sweep_once(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-sweep-000", 12_000, M.EQUAL_INSTALMENT)
    days = (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days
    assert swept(memory_deps, line_id, days)["collected"] == 1
    assert swept(memory_deps, line_id)["collected"] == 0
    assert memory_deps.repo.get_loan(loan_id).instalments_paid == 1
    assert memory_deps.warnings.open_warning_of_line(line_id) is None


def test_overdue_escalates_from_watchlist_to_red_and_classification_follows_each_threshold(
        memory_deps: Dependencies) -> None:
    line_id, loan_id = overdue_loan(memory_deps)
    days = (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days
    swept(memory_deps, line_id, days)  # the debit fails on the due date: watchlist (a failed debit)
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.level is Level.YELLOW
    assert warning.reason_codes == ("AUTO_DEBIT_FAILED",)
    assert memory_deps.repo.get_loan(loan_id).review.loan_class == "NORMAL"  # due today: not overdue yet
    swept(memory_deps, line_id, 1)
    assert memory_deps.repo.get_loan(loan_id).review.loan_class == "SPECIAL_MENTION"  # a day overdue: 关注
    assert "DAYS_PAST_DUE" in memory_deps.warnings.open_warning_of_line(line_id).reason_codes  # type: ignore[union-attr]
    swept(memory_deps, line_id, 29)  # 30 days past due: RED
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.level is Level.RED and warning.reason_codes[0] == "DAYS_PAST_DUE_30"
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    for days_past_due, expected in ((90, "SPECIAL_MENTION"), (91, "SUBSTANDARD"), (270, "SUBSTANDARD"),
                                    (271, "DOUBTFUL"), (360, "DOUBTFUL"), (361, "LOSS")):
        loan = memory_deps.repo.get_loan(loan_id)
        swept(memory_deps, line_id, days_past_due - loan.days_past_due(memory_deps.clock.today()))
        assert memory_deps.repo.get_loan(loan_id).review.loan_class == expected, days_past_due
    history = memory_deps.repo.classification_history(loan_id)
    assert [h["to"] for h in history] == ["SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS"]
    assert history[1]["reasons"][0] == "OVERDUE_OVER_SUBSTANDARD_THRESHOLD"


def test_catching_up_clears_the_overdue_causes_and_the_loan_goes_back_to_normal(memory_deps: Dependencies) -> None:
    line_id, loan_id = overdue_loan(memory_deps)
    days = (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days
    swept(memory_deps, line_id, days + 2)
    assert memory_deps.warnings.open_warning_of_line(line_id) is not None
    memory_deps.core_banking.refuse_collections = False  # type: ignore[attr-defined]
    swept(memory_deps, line_id, 1)  # the next run collects what was due
    assert memory_deps.repo.get_loan(loan_id).overdue_since is None
    assert memory_deps.warnings.open_warning_of_line(line_id) is None  # every cause gone: closed
    assert memory_deps.repo.get_loan(loan_id).review.loan_class == "NORMAL"


def test_the_whole_line_drawn_within_days_of_activation_is_watched(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    limit = memory_deps.repo.get_credit_line(line_id).limit.fen // 100
    booked_loan(memory_deps, line_id, "key-sweep-002", limit, M.EQUAL_INSTALMENT)
    swept(memory_deps, line_id, 2)
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.reason_codes == ("LINE_DRAWN_AT_ONCE",)


def test_the_shards_figures_add_up_to_the_portfolio(memory_deps: Dependencies) -> None:
    line_id, loan_id = overdue_loan(memory_deps)
    days = (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days
    swept(memory_deps, line_id, days + 5)
    day = memory_deps.clock.today()
    for shard in range(SWEEP_SHARDS):
        if shard != shard_of(line_id):
            sweep.sweep_shard(memory_deps, shard, day)
    total = add_up(memory_deps.repo.shard_figures(day))
    outstanding = memory_deps.repo.get_loan(loan_id).outstanding_principal.fen  # type: ignore[union-attr]
    assert total["shards"] == SWEEP_SHARDS and total["loans"] == 1
    assert total["outstanding_by_bucket"] == {"CURRENT": 0, "1-30": outstanding, "31-60": 0, "61-90": 0, "90+": 0}
    assert total["outstanding_by_class"]["SPECIAL_MENTION"] == outstanding
    assert total["lines_frozen"] == 1


def test_a_monthly_bureau_refresh_rescores_and_a_two_grade_fall_is_orange(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    booked_loan(memory_deps, line_id, "key-sweep-003", 10_000, M.EQUAL_INSTALMENT)
    memory_deps.bureau.history.update({"PAY_0": 3.0, "PAY_2": 2.0, "PAY_3": 2.0, "PAY_4": 1.0,  # type: ignore[attr-defined]
                                       **{f"PAY_AMT{i}": 0.0 for i in range(1, 7)},
                                       **{f"BILL_AMT{i}": 195_000.0 for i in range(1, 7)}})
    swept(memory_deps, line_id, 10)
    assert "rescores" not in memory_deps.warnings.monitoring_state("alice")  # not due before a month
    swept(memory_deps, line_id, 21)
    runs = memory_deps.warnings.monitoring_state("alice")["rescores"]
    assert len(runs) == 1 and runs[0]["grade"] in ("D", "E", "F")
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and "GRADE_FALL" in warning.reason_codes and warning.level >= Level.ORANGE
    swept(memory_deps, line_id, 1)
    assert len(memory_deps.warnings.monitoring_state("alice")["rescores"]) == 1  # monthly, not daily


@pytest.mark.parametrize("line_id", ["line_a", "line_b", "line_0123456789abcdef"])
def test_every_line_has_one_shard_within_range(line_id: str) -> None:
    assert 0 <= shard_of(line_id) < SWEEP_SHARDS and shard_of(line_id) == shard_of(line_id)


def test_the_state_machine_sweeps_every_shard() -> None:
    import json
    from pathlib import Path

    definition = json.loads((Path(__file__).parents[2] / "infra" / "sweep.asl.json").read_text(encoding="utf-8"))
    shards = definition["States"]["Shards"]["Parameters"]["shards.$"]
    assert shards == f"States.ArrayRange(0, {SWEEP_SHARDS - 1}, 1)"
    assert definition["States"]["SweepShards"]["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"



def test_a_bureau_that_does_not_answer_is_asked_again_tomorrow_and_the_sweep_goes_on(
        memory_deps: Dependencies) -> None:
    from chalicelib.adapters.not_connected import NotConnectedBureau

    line_id = active_line(memory_deps)
    booked_loan(memory_deps, line_id, "key-sweep-004", 10_000, M.EQUAL_INSTALMENT)
    connected = memory_deps.bureau
    memory_deps.bureau = NotConnectedBureau()  # type: ignore[misc]
    swept(memory_deps, line_id, 31)
    assert "rescores" not in memory_deps.warnings.monitoring_state("alice")
    memory_deps.bureau = connected  # type: ignore[misc]
    swept(memory_deps, line_id, 1)
    assert len(memory_deps.warnings.monitoring_state("alice")["rescores"]) == 1


def test_classification_and_warning_thresholds_come_from_the_settings(memory_deps: Dependencies) -> None:
    from dataclasses import replace

    from chalicelib.services import monitoring

    stricter = replace(memory_deps, settings=memory_deps.settings.model_copy(update={
        "classification_days": (60, 180, 300), "warning_tax_drop_ratio": 0.2}))
    policy = monitoring.classification_policy(stricter)
    assert (policy.substandard_after_days, policy.doubtful_after_days, policy.loss_after_days) == (60, 180, 300)
    assert monitoring.warning_policy(stricter.settings).tax_drop_ratio == 0.2
    laxer = replace(memory_deps, settings=memory_deps.settings.model_copy(
        update={"classification_days": (120, 270, 360)}))
    with pytest.raises(ValueError):
        monitoring.classification_policy(laxer)  # a setting laxer than the Measures fails loudly
