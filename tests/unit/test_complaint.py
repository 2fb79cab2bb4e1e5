"""A complaint's own rules: received with words and a due date 15 days on, answered once with an answer that says
something, overdue only while open past its due date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.complaint import Complaint, ComplaintCategory, ComplaintStatus
from chalicelib.domain.errors import InvalidTransitionError, ValidationError

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_a_complaint_is_due_in_fifteen_days_and_needs_words() -> None:
    c = Complaint.receive("alice", ComplaintCategory.COLLECTION, "  催收电话太频繁  ", None, NOW)
    assert c.due_at == NOW + timedelta(days=15) and c.text == "催收电话太频繁" and c.status is ComplaintStatus.OPEN
    assert [e.name for e in c.pending_events] == ["ComplaintReceived"]
    with pytest.raises(ValidationError):
        Complaint.receive("alice", ComplaintCategory.OTHER, "差", None, NOW)


def test_an_answer_is_given_once_and_says_something() -> None:
    c = Complaint.receive("alice", ComplaintCategory.PRICING, "利率不对请核实", None, NOW)
    with pytest.raises(ValidationError):
        c.answer("olivia", "已处理", NOW)
    c.answer("olivia", "经核实利率无误，已向您说明计息方式。", NOW + timedelta(days=3))
    assert c.status is ComplaintStatus.ANSWERED and c.pending_events[-1].data["on_time"] is True
    with pytest.raises(InvalidTransitionError):
        c.answer("oscar", "再次答复：经核实利率无误。", NOW + timedelta(days=4))


def test_only_an_open_complaint_past_its_due_date_is_overdue() -> None:
    c = Complaint.receive("alice", ComplaintCategory.SERVICE, "客服电话打不通", None, NOW)
    assert not c.overdue(NOW + timedelta(days=15)) and c.overdue(NOW + timedelta(days=15, seconds=1))
    late = NOW + timedelta(days=20)
    c.answer("olivia", "已安排专人回电并致歉，感谢您的反馈。", late)
    assert not c.overdue(late) and c.pending_events[-1].data["on_time"] is False
    assert ComplaintCategory.PERSONAL_DATA.name_zh == "个人信息"
