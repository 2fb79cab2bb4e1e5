"""Complaints as the repository keeps them, against the in-memory fake and DynamoDB (moto): received once, answered
under the version read (two officers at once: one wins), listed per customer (only hers) and open by due date,
each step in the complaint's trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.complaint import Complaint, ComplaintCategory, ComplaintStatus
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def received(customer: str, minutes: int = 0) -> Complaint:
    return Complaint.receive(customer, ComplaintCategory.PRICING, "利率与合同不一致，请核实", None,
                             NOW + timedelta(minutes=minutes))


def test_a_complaint_is_received_once_and_answered_once_under_its_version(repo: Any) -> None:
    customer = f"c-{uuid.uuid4().hex[:8]}"
    complaint = received(customer)
    repo.add_complaint(complaint)
    with pytest.raises(ConcurrentModificationError):
        repo.add_complaint(complaint)  # the same complaint again
    first, second = repo.get_complaint(complaint.complaint_id), repo.get_complaint(complaint.complaint_id)
    first.answer("olivia", "经核实，利率与合同一致，已向您说明计息方式。", NOW + timedelta(days=1))
    repo.save_complaint(first)
    second.answer("oscar", "经核实，利率与合同一致，已向您说明。", NOW + timedelta(days=1))
    with pytest.raises(ConcurrentModificationError):
        repo.save_complaint(second)  # two officers at once: one answer stands
    stored = repo.get_complaint(complaint.complaint_id)
    assert stored.status is ComplaintStatus.ANSWERED and stored.replied_by == "olivia"
    assert [e["event"] for e in repo.audit_trail(complaint.complaint_id)] == ["ComplaintReceived",
                                                                             "ComplaintAnswered"]
    with pytest.raises(NotFoundError):
        repo.get_complaint("cmp_" + "0" * 32)


def test_a_customer_lists_only_hers_and_officers_the_open_ones_earliest_due_first(repo: Any) -> None:
    alice, bob = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    older, newer, bobs = received(alice, 0), received(alice, 5), received(bob, 2)
    for c in (older, newer, bobs):
        repo.add_complaint(c)
    assert [c.complaint_id for c in repo.complaints_of(alice)] == [newer.complaint_id, older.complaint_id]
    assert [c.complaint_id for c in repo.complaints_of(bob)] == [bobs.complaint_id]
    open_ids = [c.complaint_id for c in repo.open_complaints()]
    mine = [i for i in open_ids if i in {older.complaint_id, newer.complaint_id, bobs.complaint_id}]
    assert mine == [older.complaint_id, bobs.complaint_id, newer.complaint_id]
    answered = repo.get_complaint(older.complaint_id)
    answered.answer("olivia", "已核实并为您调整，感谢您的反馈。", NOW + timedelta(days=2))
    repo.save_complaint(answered)
    assert older.complaint_id not in [c.complaint_id for c in repo.open_complaints()]
