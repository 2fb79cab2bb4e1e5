"""Restructuring (展期): the borrower asks in the app, or an officer proposes; two different officers decide; the
approval books the new schedule (domain/restructuring.py) and tells her, by SMS and in the app's messages."""

from __future__ import annotations

import uuid
from typing import Protocol

from ...domain import events as ev
from ...domain.errors import ConcurrentModificationError, ValidationError
from ...domain.loan import Loan
from ...domain.products import PRODUCTS
from ...domain.restructuring import (
    RestructuringKind,
    RestructuringOutcome,
    RestructuringRequest,
    RestructuringStatus,
    check_extension,
    extend,
)
from ...domain.schedules import add_months
from ...observability import logger, metrics
from ...ports import Clock, LendingRepository, Notifier
from ...settings import Settings
from ..ownership import owned
from .messages import tell_borrower

APPROVED_TEXT = ("【农商银行】您的贷款延期还款申请已获批准：还款期限延长{months}个月，新的到期日为{maturity}。"
                 "新的还款计划请在手机银行查看。")
DECLINED_TEXT = "【农商银行】您的贷款延期还款申请未获批准：{comment}。原还款计划不变，如有困难请致电{phone}。"


class RestructuringPorts(Protocol):
    """The ports the restructuring use cases touch, and no other."""

    clock: Clock
    notifier: Notifier
    repo: LendingRepository
    settings: Settings


def _check_product(loan: Loan, line_product: str, extra_months: int) -> None:
    """A seasonal loan still matures in a harvest month after the extension (it is repaid from a harvest)."""
    product = PRODUCTS[line_product]
    if product.seasonal:
        maturity = add_months(loan.start_date, loan.term_months + extra_months)
        if maturity.month not in product.harvest_months:
            raise ValidationError(f"a seasonal loan matures in a harvest month {list(product.harvest_months)}",
                                  {"field": "extra_months"}, code="TERM_NOT_AT_HARVEST")


def ask(deps: RestructuringPorts, loan: Loan, kind: RestructuringKind, extra_months: int, reason: str,
        actor: str) -> RestructuringRequest:
    now = deps.clock.now()
    check_extension(loan, extra_months, deps.clock.today())
    _check_product(loan, deps.repo.get_credit_line(loan.credit_line_id).product_code, extra_months)
    request = RestructuringRequest.ask(f"rs_{uuid.uuid4().hex}", loan, kind, extra_months, reason, actor, now)
    deps.repo.add_restructuring_request(request)
    metrics.add_metric(name="RestructuringRequested", unit="Count", value=1)
    logger.info("restructuring requested", extra={"request_id": request.request_id, "loan_id": loan.loan_id})
    return request


def customer_asks(deps: RestructuringPorts, customer_id: str, loan_id: str, kind: RestructuringKind,
                  extra_months: int, reason: str) -> RestructuringRequest:
    """Her own loan only: another customer's answers as none (404)."""
    loan = owned(deps.repo.get_loan, customer_id, loan_id, "loan")
    return ask(deps, loan, kind, extra_months, reason, f"customer:{customer_id}")


def officer_proposes(deps: RestructuringPorts, officer_id: str, loan_id: str, kind: RestructuringKind,
                     extra_months: int, reason: str) -> RestructuringRequest:
    return ask(deps, deps.repo.get_loan(loan_id), kind, extra_months, reason, ev.officer_actor(officer_id))


def decide(deps: RestructuringPorts, officer_id: str, request_id: str, outcome: RestructuringOutcome,
           comment: str) -> RestructuringRequest:
    """One officer's decision; the second approval books the new schedule in the same transaction."""
    request = deps.repo.get_restructuring_request(request_id)
    now = deps.clock.now()
    request.decide(officer_id, outcome, comment, now)
    if request.status is not RestructuringStatus.APPROVED:
        deps.repo.save_restructuring_request(request)
        if request.status is RestructuringStatus.DECLINED:
            _tell(deps, request, "RESTRUCTURING_DECLINED", "延期还款申请未获批准",
                  DECLINED_TEXT.format(comment=comment.strip()[:40], phone=deps.settings.lender_service_phone))
        return request
    loan = deps.repo.get_loan(request.loan_id)
    change = extend(loan, request, deps.clock.today(), now)
    if not deps.repo.restructure_loan(loan, request, change):
        raise ConcurrentModificationError("the loan or the request changed meanwhile; read them again")
    metrics.add_metric(name="LoansRestructured", unit="Count", value=1)
    logger.info("loan restructured", extra={"request_id": request_id, "loan_id": loan.loan_id,
                                            "extra_months": request.extra_months})
    maturity = change.schedule[-1].due_date
    _tell(deps, request, "RESTRUCTURING_APPROVED", "延期还款申请已获批准",
          APPROVED_TEXT.format(months=request.extra_months,
                               maturity=f"{maturity.year}年{maturity.month}月{maturity.day}日"))
    return request


def _tell(deps: RestructuringPorts, request: RestructuringRequest, kind: str, title: str, text: str) -> None:
    """About the loan (the app's message opens it, where the request and the new schedule are shown)."""
    tell_borrower(deps, request.customer_id, request.credit_line_id, kind, title, text, request.loan_id)


def open_requests(deps: RestructuringPorts) -> list[RestructuringRequest]:
    return deps.repo.open_restructuring_requests()


def requests_of(deps: RestructuringPorts, customer_id: str) -> list[RestructuringRequest]:
    return deps.repo.restructuring_requests_of(customer_id)
