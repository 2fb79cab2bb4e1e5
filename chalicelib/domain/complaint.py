"""A customer's complaint (投诉): received with a due date for the bank's answer (15 days, as the rules on handling
banking consumers' complaints set), answered once by an officer, the answer told to the customer, every step in
the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from . import events as ev
from .errors import InvalidTransitionError, ValidationError

COMPLAINT_DUE_DAYS = 15


class ComplaintCategory(StrEnum):
    PRICING = "PRICING"  # 利率与费用
    COLLECTION = "COLLECTION"  # 催收
    SERVICE = "SERVICE"  # 服务
    PERSONAL_DATA = "PERSONAL_DATA"  # 个人信息
    CREDIT_REPORT = "CREDIT_REPORT"  # 征信
    OTHER = "OTHER"

    @property
    def name_zh(self) -> str:
        return _NAMES_ZH[self]


_NAMES_ZH = {ComplaintCategory.PRICING: "利率与费用", ComplaintCategory.COLLECTION: "催收",
             ComplaintCategory.SERVICE: "服务", ComplaintCategory.PERSONAL_DATA: "个人信息",
             ComplaintCategory.CREDIT_REPORT: "征信", ComplaintCategory.OTHER: "其他"}


class ComplaintStatus(StrEnum):
    OPEN = "OPEN"
    ANSWERED = "ANSWERED"


COMPLAINT_MOVES = {ComplaintStatus.OPEN: frozenset({ComplaintStatus.ANSWERED}),
                   ComplaintStatus.ANSWERED: frozenset()}


@dataclass
class Complaint:
    complaint_id: str
    customer_id: str
    category: ComplaintCategory
    text: str
    subject_id: str | None  # the line or loan it is about (hers: checked before it is received)
    opened_at: datetime
    due_at: datetime
    status: ComplaintStatus = ComplaintStatus.OPEN
    reply: str = ""
    replied_by: str = ""
    replied_at: datetime | None = None
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def receive(cls, customer_id: str, category: ComplaintCategory, text: str, subject_id: str | None,
                now: datetime) -> Complaint:
        text = text.strip()
        if len(text) < 5:
            raise ValidationError("say what the complaint is about in a few words", {"field": "text"})
        complaint = cls(f"cmp_{uuid.uuid4().hex}", customer_id, category, text, subject_id, now,
                        now + timedelta(days=COMPLAINT_DUE_DAYS))
        complaint.pending_events.append(ev.DomainEvent(
            ev.COMPLAINT_RECEIVED, complaint.complaint_id, f"customer:{customer_id}",
            {"category": category.value, "subject_id": subject_id, "due_at": complaint.due_at.isoformat()},
            occurred_at=now))
        return complaint

    def answer(self, officer_id: str, reply: str, now: datetime) -> None:
        """Once: an answered complaint is not answered again (a new one is a new complaint)."""
        if ComplaintStatus.ANSWERED not in COMPLAINT_MOVES[self.status]:
            raise InvalidTransitionError("the complaint is already answered", {"status": self.status.value})
        reply = reply.strip()
        if len(reply) < 10:
            raise ValidationError("an answer says what the bank found and did", {"field": "reply"})
        self.status, self.reply, self.replied_by, self.replied_at = ComplaintStatus.ANSWERED, reply, officer_id, now
        self.pending_events.append(ev.DomainEvent(
            ev.COMPLAINT_ANSWERED, self.complaint_id, ev.officer_actor(officer_id),
            {"category": self.category.value, "on_time": now <= self.due_at}, occurred_at=now))

    def overdue(self, now: datetime) -> bool:
        return self.status is ComplaintStatus.OPEN and now > self.due_at
