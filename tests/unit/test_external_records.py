"""Records from the feeds (court lists, registry, tax, bureau refresh) on the in-memory fakes: each source's
record becomes the right signal, reaches the customers it is about and only them, a withdrawn record clears its
cause, a bureau refresh is compared with the last one and rescored with the risk model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.credit_line import CreditLineStatus
from chalicelib.domain.early_warning import Level, WarningStatus
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.external_records import FeedSource, signals_of
from chalicelib.services import monitoring
from chalicelib.services.deps import Dependencies
from tests.fakes.memory import GOOD_HISTORY
from tests.unit.test_services import active_line

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ALICE_ID = "330102199001010012"
ALICE_SHOP = "91330100MA2B3C4D5N"
BUREAU = {"report_no": "PBOC-2026-12-0001", "lenders": 2, "inquiries_3m": 1, "overdue_fen": 0,
          "credit_limit_fen": 10_000_000, "balance_fen": 2_000_000}


def deliver(deps: Dependencies, source: str, record: dict, id_number: str | None = ALICE_ID,
            registration_no: str | None = None) -> list[monitoring.Outcome]:
    received = monitoring.receive(FeedSource(source), record, NOW, id_number if not registration_no else None,
                                  registration_no)
    return monitoring.on_external_record(deps, deps.external_records.deliver(received))


def alices_line(deps: Dependencies) -> str:
    line_id = active_line(deps)
    deps.identities.bind_identity(deps.cipher.keyed_hash(ALICE_ID), "alice")
    return line_id


def test_a_court_listing_by_id_number_freezes_the_holders_line(memory_deps: Dependencies) -> None:
    line_id = alices_line(memory_deps)
    outcomes = deliver(memory_deps, "JUDICIAL", {"kind": "DISHONEST_DEBTOR", "case_no": "（2026）浙0102执77号",
                                                 "court": "上城区法院", "name": "张三", "id_number": ALICE_ID})
    assert [o.action for o in outcomes] == ["RAISED"]
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    evidence = outcomes[0].warning.causes[0].evidence  # type: ignore[union-attr]
    assert evidence["case_no"] == "（2026）浙0102执77号" and "name" not in evidence and "id_number" not in evidence


def test_a_record_about_someone_else_touches_nobody(memory_deps: Dependencies) -> None:
    line_id = alices_line(memory_deps)
    assert deliver(memory_deps, "JUDICIAL", {"kind": "DISHONEST_DEBTOR", "case_no": "c-1"},
                   id_number="11010519491231002X") == []
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE


def test_a_withdrawn_court_record_clears_its_cause_and_closes_the_warning(memory_deps: Dependencies) -> None:
    alices_line(memory_deps)
    deliver(memory_deps, "JUDICIAL", {"kind": "ENFORCEMENT", "case_no": "c-2", "amount_fen": 500_000})
    [closed] = deliver(memory_deps, "JUDICIAL", {"kind": "ENFORCEMENT", "case_no": "c-2", "status": "REMOVED"})
    assert closed.action == "CLOSED" and closed.warning.status is WarningStatus.CLOSED  # type: ignore[union-attr]


@pytest.mark.parametrize("kind, level", [("DEREGISTERED", Level.RED), ("REVOKED", Level.RED),
                                         ("ABNORMAL_OPERATIONS", Level.ORANGE),
                                         ("LEGAL_REP_CHANGED", Level.YELLOW)])
def test_registry_records_reach_the_businesss_borrowers(memory_deps: Dependencies, kind: str, level: Level) -> None:
    alices_line(memory_deps)  # activation recorded alice as the borrower for her shop's registration number
    [outcome] = deliver(memory_deps, "REGISTRY", {"kind": kind, "decision_no": f"{kind}-1"},
                        registration_no=ALICE_SHOP)
    assert outcome.warning is not None and outcome.warning.level is level


def test_tax_arrears_and_a_sales_drop_are_orange_and_a_steady_business_is_not(memory_deps: Dependencies) -> None:
    alices_line(memory_deps)
    steady = {f"2025-{m:02d}": 4_000_000 for m in range(1, 13)} | {f"2026-{m:02d}": 4_000_000 for m in range(1, 12)}
    assert deliver(memory_deps, "TAX", {"kind": "MONTHLY_SALES", "record_no": "t-0", "monthly_sales_fen": steady},
                   registration_no=ALICE_SHOP) == []
    fell = {**steady, "2026-09": 1_000_000, "2026-10": 1_000_000, "2026-11": 1_000_000}
    [dropped] = deliver(memory_deps, "TAX", {"kind": "MONTHLY_SALES", "record_no": "t-1", "monthly_sales_fen": fell},
                        registration_no=ALICE_SHOP)
    assert dropped.action == "RAISED" and dropped.rule is not None and dropped.rule.code == "TAX_SALES_DROP"
    [arrears] = deliver(memory_deps, "TAX", {"kind": "ARREARS_NOTICE", "record_no": "n-1", "amount_fen": 90_000},
                        registration_no=ALICE_SHOP)
    assert arrears.action == "ADDED" and arrears.warning.level is Level.ORANGE  # type: ignore[union-attr]


def test_bureau_refreshes_are_compared_with_the_last_one(memory_deps: Dependencies) -> None:
    alices_line(memory_deps)
    first = deliver(memory_deps, "BUREAU", BUREAU)
    assert [o.rule.code for o in first if o.rule] == []  # one inquiry, nothing overdue: no risk on its own
    later = {**BUREAU, "report_no": "PBOC-2027-01-0001", "lenders": 5, "overdue_fen": 1_500_000,
             "balance_fen": 7_000_000}
    rules = {o.rule.code for o in deliver(memory_deps, "BUREAU", later) if o.rule}
    assert rules == {"NEW_OVERDUE_ELSEWHERE", "MULTI_LENDER_JUMP", "UTILISATION_JUMP"}
    state = memory_deps.warnings.monitoring_state("alice")
    assert state["bureau"]["lenders"] == 5


def test_a_rescore_two_grades_down_is_a_signal_and_every_run_is_kept(memory_deps: Dependencies) -> None:
    alices_line(memory_deps)
    deliver(memory_deps, "BUREAU", {**BUREAU, "report": {k: v for k, v in GOOD_HISTORY.items() if k != "record"}})
    late = {**GOOD_HISTORY, "PAY_0": 3.0, "PAY_2": 2.0, "PAY_3": 2.0, "PAY_4": 1.0,
            **{f"PAY_AMT{i}": 0.0 for i in range(1, 7)}, **{f"BILL_AMT{i}": 195_000.0 for i in range(1, 7)}}
    del late["record"]
    outcomes = deliver(memory_deps, "BUREAU", {**BUREAU, "report_no": "PBOC-2027-01-0002", "report": late})
    runs = memory_deps.warnings.monitoring_state("alice")["rescores"]
    assert len(runs) == 2 and {"pd", "grade", "reasons", "at"} <= set(runs[-1])
    assert any(o.rule is not None and o.rule.code == "GRADE_FALL" for o in outcomes), runs


@pytest.mark.parametrize("source, record, field", [
    ("JUDICIAL", {"kind": "SPEEDING", "case_no": "x"}, "record.kind"),
    ("JUDICIAL", {"kind": "LAWSUIT"}, "record.case_no"),
    ("TAX", {"kind": "ARREARS_NOTICE", "record_no": "n", "amount_fen": 1.5}, "record.amount_fen"),
    ("BUREAU", {**BUREAU, "lenders": True}, "record.lenders"),
])
def test_malformed_records_are_refused(source: str, record: dict, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        monitoring.receive(FeedSource(source), record, NOW, ALICE_ID)
    assert refused.value.details["field"] == field


def test_a_record_names_exactly_one_subject() -> None:
    with pytest.raises(ValidationError):
        monitoring.receive(FeedSource.JUDICIAL, {"kind": "LAWSUIT", "case_no": "c"}, NOW, ALICE_ID, ALICE_SHOP)
    with pytest.raises(ValidationError):
        monitoring.receive(FeedSource.JUDICIAL, {"kind": "LAWSUIT", "case_no": "c"}, NOW)


def test_the_subject_is_never_in_a_records_repr() -> None:
    record = monitoring.receive(FeedSource.JUDICIAL, {"kind": "LAWSUIT", "case_no": "c"}, NOW, ALICE_ID)
    assert ALICE_ID not in repr(record)
    assert signals_of(record)[0].cause_key == "JUDICIAL_LAWSUIT:c"


def test_a_sanctions_listing_freezes_the_holders_line_red_and_a_delisting_clears_it(memory_deps: Dependencies) -> None:
    line_id = alices_line(memory_deps)
    [raised] = deliver(memory_deps, "SANCTIONS", {"kind": "SANCTIONS", "entry_no": "SAN-1", "list_name": "演示名单",
                                                  "name": "张三", "id_number": ALICE_ID})
    assert raised.warning is not None and raised.warning.level is Level.RED
    assert raised.warning.causes[0].rule == "SANCTIONS_LISTED"
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    evidence = raised.warning.causes[0].evidence
    assert evidence["list_name"] == "演示名单" and "name" not in evidence and "id_number" not in evidence
    [cleared] = deliver(memory_deps, "SANCTIONS", {"kind": "SANCTIONS", "entry_no": "SAN-1", "status": "REMOVED"})
    assert cleared.action == "CLOSED"


@pytest.mark.parametrize("record", [{"kind": "FRIENDS", "entry_no": "SAN-2"}, {"kind": "WATCH"}])
def test_a_sanctions_record_without_its_kind_or_entry_is_refused(record: dict) -> None:
    with pytest.raises(ValidationError):
        monitoring.receive(FeedSource.SANCTIONS, record, NOW, ALICE_ID)
