"""Complaints (投诉): a customer files one from the app, about her own line or loan if about one; officers see the
open ones earliest due first and answer each once; the answer is sent to her by SMS and shown in the app."""

from __future__ import annotations

from typing import Protocol

from ...domain.complaint import Complaint, ComplaintCategory
from ...domain.errors import NotFoundError
from ...observability import logger, metrics
from ...ports import Clock, LendingRepository, Notifier

ANSWERED_SMS = "【农商银行】您于{day}提交的投诉已有答复：{reply}（详情请在手机银行“我的投诉”查看）"


class ComplaintPorts(Protocol):
    """The ports the complaints' use cases touch, and no other."""

    clock: Clock
    notifier: Notifier
    repo: LendingRepository


def _check_subject(deps: ComplaintPorts, customer_id: str, subject_id: str) -> None:
    """A complaint about a line or a loan names one of hers; another customer's answers as none (not found)."""
    if subject_id.startswith("line_"):
        owner = deps.repo.get_credit_line(subject_id).customer_id
    elif subject_id.startswith("loan_"):
        owner = deps.repo.get_loan(subject_id).customer_id
    else:
        raise NotFoundError("no line or loan of yours has this id", {"subject_id": subject_id})
    if owner != customer_id:
        raise NotFoundError("no line or loan of yours has this id", {"subject_id": subject_id})


def file_complaint(deps: ComplaintPorts, customer_id: str, category: ComplaintCategory, text: str,
                   subject_id: str | None) -> Complaint:
    if subject_id is not None:
        try:
            _check_subject(deps, customer_id, subject_id)
        except NotFoundError:
            raise NotFoundError("no line or loan of yours has this id", {"subject_id": subject_id}) from None
    complaint = Complaint.receive(customer_id, category, text, subject_id, deps.clock.now())
    deps.repo.add_complaint(complaint)
    metrics.add_metric(name="ComplaintsReceived", unit="Count", value=1)
    logger.info("complaint received", extra={"complaint_id": complaint.complaint_id, "category": category.value})
    return complaint


def my_complaints(deps: ComplaintPorts, customer_id: str) -> list[Complaint]:
    return deps.repo.complaints_of(customer_id)


def open_complaints(deps: ComplaintPorts) -> list[Complaint]:
    return deps.repo.open_complaints()


def answer(deps: ComplaintPorts, officer_id: str, complaint_id: str, reply: str) -> Complaint:
    """Once, under the version read; the customer is told by SMS (the app shows it too)."""
    complaint = deps.repo.get_complaint(complaint_id)
    complaint.answer(officer_id, reply, deps.clock.now())
    deps.repo.save_complaint(complaint)
    app = next(iter(deps.repo.applications_of_customer(complaint.customer_id)), None)
    if app is not None:  # the phone she applied with (a complaint before any application is answered in the app)
        deps.notifier.send_sms(app.customer_id, app.applicant_phone, "COMPLAINT_ANSWERED",
                               ANSWERED_SMS.format(day=complaint.opened_at.date().isoformat(),
                                                   reply=complaint.reply[:60]))
    return complaint
