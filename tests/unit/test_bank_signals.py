"""Early warning from the bank's own data: her flows at the bank falling sharply, and the loan's money moved on
within days to a securities, futures or property counterparty (use-of-funds monitoring) - the rules, then the
daily sweep raising each at the level the policy sets, with its evidence for the officer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.application import BankCustomerLink
from chalicelib.domain.customer_record import OutgoingPayment
from chalicelib.domain.early_warning import Level, WarningPolicy
from chalicelib.domain.portfolio import shard_of
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.warning_signals import bank_flows_falling, funds_to_restricted_use
from chalicelib.services.deps import Dependencies
from chalicelib.services.monitoring import sweep
from tests.unit.test_bank_data import record
from tests.unit.test_services import active_line, booked_loan

PAYOUT = date(2026, 11, 2)


def test_money_moved_on_to_a_restricted_counterparty_within_days_is_found() -> None:
    moved = [OutgoingPayment(PAYOUT + timedelta(days=2), 400_000, "SECURITIES")]
    found = funds_to_restricted_use(PAYOUT, 1_000_000, moved, days=7, share=0.3)
    assert found is not None and found["moved_fen"] == 400_000
    assert found["payments"] == [{"on": "2026-11-04", "amount_fen": 400_000, "category": "SECURITIES"}]
    assert funds_to_restricted_use(PAYOUT, 1_000_000, [replace(moved[0], amount_fen=200_000)], 7, 0.3) is None
    late = [replace(moved[0], on=PAYOUT + timedelta(days=9))]
    assert funds_to_restricted_use(PAYOUT, 1_000_000, late, 7, 0.3) is None
    assert funds_to_restricted_use(PAYOUT, 1_000_000, [replace(moved[0], counterparty_category="SUPPLIER")], 7,
                                   0.3) is None
    split = [OutgoingPayment(PAYOUT, 200_000, "FUTURES"), OutgoingPayment(PAYOUT, 150_000, "REAL_ESTATE")]
    assert funds_to_restricted_use(PAYOUT, 1_000_000, split, 7, 0.3) is not None  # together past the share


def test_a_sharp_fall_of_inflows_or_balances_is_found() -> None:
    today = date(2026, 12, 1)
    falling = bank_flows_falling(record(latest_factor=0.35).relationship(today), 0.5)
    assert falling is not None and falling["drop_ratio"] == 0.65 and falling["inflow_before_fen"] == 6_000_000
    assert bank_flows_falling(record(latest_factor=0.7).relationship(today), 0.5) is None


def known_customer_line(deps: Dependencies, **record_facts: object) -> tuple[str, object]:
    """alice's line, her application linked to her record at the bank (as the known path links it)."""
    line_id = active_line(deps)
    line = deps.repo.get_credit_line(line_id)
    app = deps.repo.get_application(line.application_id)
    app.bank_customer = BankCustomerLink("8801000000017", "hash")
    deps.repo.save_application(app)
    rec = record(**record_facts)  # type: ignore[arg-type]
    deps.customer_records.add("alice", rec)  # type: ignore[attr-defined]
    return line_id, rec


def test_the_sweep_raises_money_moved_to_securities_after_a_payout(memory_deps: Dependencies) -> None:
    line_id, rec = known_customer_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-use-001", 20_000, M.EQUAL_INSTALMENT)
    payout = memory_deps.repo.get_loan(loan_id).start_date
    account = replace(rec.accounts[0], payments=(OutgoingPayment(payout + timedelta(days=1), 900_000, "FUTURES"),))
    memory_deps.customer_records.add("alice", replace(rec, accounts=(account, *rec.accounts[1:])))  # type: ignore
    memory_deps.clock.advance(days=2)  # type: ignore[attr-defined]
    sweep.sweep_shard(memory_deps, shard_of(line_id), memory_deps.clock.today())
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.level is Level.ORANGE
    assert warning.reason_codes == ("FUNDS_TO_RESTRICTED_USE",)
    evidence = warning.causes[0].evidence
    assert evidence["loan_id"] == loan_id and evidence["moved_fen"] == 900_000
    assert evidence["payments"][0]["category"] == "FUTURES"


def test_the_sweep_raises_falling_flows_when_a_month_closes(memory_deps: Dependencies) -> None:
    first = datetime.combine(date(2026, 12, 1), time(1, 30), UTC)
    memory_deps.clock.current = first - timedelta(days=1)  # type: ignore[attr-defined]
    line_id, _ = known_customer_line(memory_deps, latest_factor=0.3)
    booked_loan(memory_deps, line_id, "key-flows-001", 20_000, M.EQUAL_INSTALMENT)
    sweep.sweep_shard(memory_deps, shard_of(line_id), memory_deps.clock.today())  # the 30th: not looked at
    assert memory_deps.warnings.open_warning_of_line(line_id) is None
    memory_deps.clock.current = first  # type: ignore[attr-defined]
    sweep.sweep_shard(memory_deps, shard_of(line_id), memory_deps.clock.today())
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.reason_codes == ("BANK_FLOWS_FALLING",) and warning.level is Level.ORANGE
    assert warning.causes[0].evidence["inflow_drop"] == 0.7


def test_the_thresholds_are_the_policys() -> None:
    policy = WarningPolicy()
    assert (policy.bank_flow_drop_ratio, policy.restricted_use_days, policy.restricted_use_share) == (0.5, 7, 0.3)
