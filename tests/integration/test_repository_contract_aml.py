"""The anti-money-laundering worklist as the repository keeps it, against the in-memory fake and DynamoDB (moto):
a case is opened once per kind and cause, decided under its version (two officers at once: one wins), listed by
status oldest first, each step in its trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.aml import AmlCase, AmlCaseKind, AmlCaseStatus
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def opened(customer: str, cause: str, minutes: int = 0) -> AmlCase:
    return AmlCase.open(customer, AmlCaseKind.LARGE_AMOUNT, f"line_{cause}", cause, {"paid_out_fen": 60_000_000},
                        NOW + timedelta(minutes=minutes))


def test_a_case_is_opened_once_and_decided_once_under_its_version(repo: Any) -> None:
    customer = f"c-{uuid.uuid4().hex[:8]}"
    case = opened(customer, uuid.uuid4().hex)
    assert repo.add_aml_case(case)
    assert not repo.add_aml_case(opened(customer, case.subject_id.removeprefix("line_")))  # the same cause
    first, second = repo.get_aml_case(case.case_id), repo.get_aml_case(case.case_id)
    first.decide("clara", True, "核实为大额交易，已按规定报送", NOW + timedelta(days=1))
    repo.save_aml_case(first)
    second.decide("carl", False, "核实无需报送，予以排除", NOW + timedelta(days=1))
    with pytest.raises(ConcurrentModificationError):
        repo.save_aml_case(second)
    stored = repo.get_aml_case(case.case_id)
    assert stored.status is AmlCaseStatus.REPORTED and stored.decided_by == "clara"
    assert stored.evidence == {"paid_out_fen": 60_000_000}
    assert [e["event"] for e in repo.audit_trail(case.case_id)] == ["AmlCaseOpened", "AmlCaseDecided"]
    with pytest.raises(NotFoundError):
        repo.get_aml_case("aml_" + "0" * 32)


def test_cases_are_listed_by_status_oldest_first(repo: Any) -> None:
    customer = f"c-{uuid.uuid4().hex[:8]}"
    older, newer = opened(customer, uuid.uuid4().hex, 0), opened(customer, uuid.uuid4().hex, 5)
    for c in (newer, older):
        repo.add_aml_case(c)
    ours = {older.case_id, newer.case_id}
    assert [c.case_id for c in repo.aml_cases_with_status(AmlCaseStatus.OPEN) if c.case_id in ours] == [
        older.case_id, newer.case_id]
    closed = repo.get_aml_case(older.case_id)
    closed.decide("clara", False, "核实为正常经营往来，予以排除", NOW + timedelta(days=1))
    repo.save_aml_case(closed)
    assert older.case_id not in [c.case_id for c in repo.aml_cases_with_status(AmlCaseStatus.OPEN)]
    assert older.case_id in [c.case_id for c in repo.aml_cases_with_status(AmlCaseStatus.CLOSED)]
