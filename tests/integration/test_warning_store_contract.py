"""The warning store's contract, run against the in-memory fake and against DynamoDB (moto): the services are
tested on the fake, so the fake must keep every guarantee the real store keeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain.credit_line import CreditLineStatus, LineChange, line_history
from chalicelib.domain.early_warning import (
    HistoryEntry,
    Level,
    Signal,
    Source,
    WarningEvent,
    WarningPolicy,
    WarningStatus,
    apply_signal,
)
from chalicelib.domain.errors import ConcurrentModificationError
from chalicelib.domain.events import DomainEvent
from tests.integration.builders import active_line

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "dynamodb"])
def stores(request: Any) -> Iterator[tuple[Any, Any]]:
    if request.param == "memory":
        from tests.fakes.memory import MemoryRepository, MemoryWarningStore

        repo = MemoryRepository()
        yield repo, MemoryWarningStore(repo)
    else:
        request.getfixturevalue("live")
        from chalicelib import bootstrap
        from chalicelib.adapters.dynamodb_warnings import DynamoDbWarningStore

        deps = bootstrap.deps()
        yield deps.repo, DynamoDbWarningStore(bootstrap._client("dynamodb"), deps.settings.table_name)


def raised(line_id: str, cause: str = "case-1", kind: str = "JUDICIAL_DISHONEST_DEBTOR") -> Any:
    signal = Signal(kind, Source.JUDICIAL, cause, NOW, {}, {"case_no": "（2026）浙0102执****号"})
    outcome = apply_signal(None, signal, WarningPolicy(), new_id=f"warn_{cause}_{line_id[-8:]}", customer_id="c1",
                           credit_line_id=line_id)
    return outcome.warning


def freeze(line_id: str) -> LineChange:
    return LineChange(line_id, CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN,
                            DomainEvent(ev.CREDIT_LINE_FROZEN, line_id, "system:early-warning", {"warning": "w"}))


def test_a_warning_and_the_freeze_it_orders_are_written_together(stores: tuple[Any, Any]) -> None:
    repo, store = stores
    line = active_line(repo)
    warning = raised(line.credit_line_id)
    store.save_warning(warning, freeze(line.credit_line_id))
    assert store.open_warning_of_line(line.credit_line_id).warning_id == warning.warning_id
    assert store.get_warning(warning.warning_id).level is Level.RED
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.FROZEN
    history = line_history(repo.audit_trail(line.credit_line_id))
    assert history[-1].event == ev.CREDIT_LINE_FROZEN and history[-1].status_after is CreditLineStatus.FROZEN


def test_one_open_warning_per_line_even_when_two_signals_race(stores: tuple[Any, Any]) -> None:
    repo, store = stores
    line = active_line(repo)
    store.save_warning(raised(line.credit_line_id, "case-1"))
    with pytest.raises(ConcurrentModificationError):  # the other signal read "no open warning" too
        store.save_warning(raised(line.credit_line_id, "case-2"))
    assert [c.cause_key for c in store.open_warning_of_line(line.credit_line_id).causes] == ["case-1"]


def test_a_stale_warning_or_a_line_not_as_expected_writes_nothing(stores: tuple[Any, Any]) -> None:
    repo, store = stores
    line = active_line(repo)
    warning = raised(line.credit_line_id)
    store.save_warning(warning)
    stale = store.get_warning(warning.warning_id)
    fresh = store.get_warning(warning.warning_id)
    note = HistoryEntry(WarningEvent.DISPOSED, datetime.now(UTC), action="KEEP_FROZEN", by="o1", comment="note")
    fresh.history.append(note)
    store.save_warning(fresh)
    stale.history.append(HistoryEntry(WarningEvent.DISPOSED, datetime.now(UTC), comment="lost"))
    with pytest.raises(ConcurrentModificationError):
        store.save_warning(stale)
    unfreeze = LineChange(line.credit_line_id, CreditLineStatus.FROZEN, CreditLineStatus.ACTIVE,
                                DomainEvent(ev.CREDIT_LINE_UNFROZEN, line.credit_line_id, "officer:o1"))
    current = store.get_warning(warning.warning_id)
    current.history.append(HistoryEntry(WarningEvent.DISPOSED, datetime.now(UTC), action="UNFREEZE"))
    with pytest.raises(ConcurrentModificationError):  # the line is ACTIVE, not FROZEN: nothing is written
        store.save_warning(current, unfreeze)
    assert store.get_warning(warning.warning_id).history[-1] == note  # typed, as it was written
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.ACTIVE


def test_closing_settles_its_causes_and_frees_the_line_for_a_new_warning(stores: tuple[Any, Any]) -> None:
    repo, store = stores
    line = active_line(repo)
    warning = raised(line.credit_line_id)
    store.save_warning(warning)
    closing = store.get_warning(warning.warning_id)
    closing.status = WarningStatus.CLOSED
    store.save_warning(closing, settle=("case-1",))
    assert store.open_warning_of_line(line.credit_line_id) is None
    assert store.settled_causes(line.credit_line_id) == frozenset({"case-1"})
    assert warning.warning_id in {w.warning_id for w in store.warnings(WarningStatus.CLOSED)}
    store.save_warning(raised(line.credit_line_id, "case-2"))
    assert store.open_warning_of_line(line.credit_line_id).causes[0].cause_key == "case-2"


def test_a_limit_cut_is_written_with_the_warning_and_never_below_what_is_available(stores: tuple[Any, Any]) -> None:
    repo, store = stores
    line = active_line(repo)
    warning = raised(line.credit_line_id, cause="case-cut")
    store.save_warning(warning)
    too_much = line.available.fen + 1
    cut = lambda fen: LineChange(line.credit_line_id, CreditLineStatus.ACTIVE,  # noqa: E731
                                       CreditLineStatus.ACTIVE, DomainEvent(
                                           ev.CREDIT_LINE_LIMIT_REDUCED, line.credit_line_id, "officer:olivia",
                                           {"reduction_fen": fen}), fen)
    with pytest.raises(ConcurrentModificationError):
        store.save_warning(warning, cut(too_much))
    assert repo.get_credit_line(line.credit_line_id).limit == line.limit  # nothing written
    store.save_warning(warning, cut(100_000))
    after = repo.get_credit_line(line.credit_line_id)
    assert (after.limit.fen, after.available.fen) == (line.limit.fen - 100_000, line.available.fen - 100_000)
    assert line_history(repo.audit_trail(line.credit_line_id))[-1].available_change.fen == -100_000


def test_grade_counters_and_monitoring_state(stores: tuple[Any, Any]) -> None:
    _, store = stores
    month = f"2026-{datetime.now(UTC).microsecond % 12 + 1:02d}-x"  # a period of its own (the stack is shared)
    for grade in ("A", "B", "B"):
        store.count_grade(month, "NEW_APPLICATIONS", grade)
    assert store.grade_counts(month, "NEW_APPLICATIONS") == {"A": 1, "B": 2}
    assert store.grade_counts(month, "RESCORED_BOOK") == {}
    store.save_monitoring_state("contract-customer", {"bureau": {"lenders": 2}, "rescores": []})
    assert store.monitoring_state("contract-customer")["bureau"] == {"lenders": 2}
    assert store.monitoring_state("nobody") == {}


def test_a_standing_record_about_a_person_is_kept_by_hash_until_it_is_cleared(stores: tuple[Any, Any]) -> None:
    from chalicelib.domain.early_warning import Cause

    _, store = stores
    subject = f"hash-{datetime.now(UTC).timestamp()}"
    court = Cause("JUDICIAL_DISHONEST_DEBTOR:（2026）浙0102执1号", "DISHONEST_DEBTOR", Level.RED, Source.JUDICIAL, NOW,
                  {"court": "上城区法院", "amount_fen": 8_600_000})
    lawsuit = Cause("JUDICIAL_LAWSUIT:（2026）浙0102民2号", "NEW_LAWSUIT", Level.YELLOW, Source.JUDICIAL,
                    NOW.replace(hour=3), {"court": "上城区法院"})
    store.note_subject_record(subject, lawsuit, cleared=False)
    store.note_subject_record(subject, court, cleared=False)
    store.note_subject_record(subject, court, cleared=False)  # delivered again: one record
    assert store.subject_records(subject) == [court, lawsuit]  # oldest first, evidence as written
    assert store.subject_records("another-hash") == []
    store.note_subject_record(subject, court, cleared=True)
    assert store.subject_records(subject) == [lawsuit]


def test_the_open_warnings_of_a_page_of_lines_come_in_a_bounded_number_of_reads(stores: tuple[Any, Any]) -> None:
    """A customer's list of lines showed each live line's notice with two reads per line."""
    repo, store = stores
    lines = [active_line(repo) for _ in range(4)]
    warned = lines[:3]
    for line in warned:
        store.save_warning(raised(line.credit_line_id, f"case-{line.credit_line_id[-6:]}"))
    calls: list[str] = []
    client = getattr(store, "_client", None)
    if client is not None:
        client.meta.events.register("before-call", lambda model, **_: calls.append(model.name),
                                    unique_id="count-page-reads")
    try:
        found = store.open_warnings_of_lines([x.credit_line_id for x in lines])
    finally:
        if client is not None:
            client.meta.events.unregister("before-call", unique_id="count-page-reads")
    assert set(found) == {x.credit_line_id for x in warned}
    assert all(found[x.credit_line_id].credit_line_id == x.credit_line_id for x in warned)
    assert len(calls) <= 2  # (DynamoDB: the pointers, then the warnings; the fake makes no call)
