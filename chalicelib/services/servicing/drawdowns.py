"""Drawdowns: the API accepts (idempotently), the workflow reserves, pays, books and notifies.

Money safety, in order of defence:
1. the drawdown id is fixed before anything happens, stored with a permanent idempotency record;
2. the reservation is one conditional transaction (never read-then-write);
3. the payout carries the drawdown id, and after an unknown outcome the core is asked by that id before paying;
4. compensation (release) is a conditional transition RESERVED -> FAILED: it can happen once only.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ...domain import events as ev
from ...domain import ledger
from ...domain.aml import AmlCaseKind
from ...domain.credit_line import CreditLine
from ...domain.drawdown import DECLINED_BY_OFFICER, Drawdown, DrawdownStatus
from ...domain.drawdown_outcomes import LINE_NOT_ACTIVE_AT_PAYOUT, PAYOUT_ACCOUNT_REFUSED, not_paid_sms
from ...domain.drawdown_rules import DrawdownRequest, check_drawdown
from ...domain.early_warning import EarlyWarning, Level
from ...domain.errors import (
    CreditLineNotActiveError,
    DisbursementRefusedError,
    DrawdownRuleViolatedError,
    IdempotencyKeyReusedError,
    InvalidTransitionError,
    ValidationError,
)
from ...domain.funnel import first_payout_data
from ...domain.idempotency import check_key
from ...domain.loan import Loan, new_loan
from ...domain.loan import price_of as loan_price
from ...domain.money import Money
from ...domain.pricing import PriceDisclosure
from ...domain.products import PRODUCTS
from ...domain.repayment_method import RepaymentMethod
from ...observability import logger, metrics
from ...ports import (
    AccountVerifier,
    Clock,
    CoreBanking,
    CustomerRecords,
    FieldCipher,
    IdentityRegister,
    LendingRepository,
    Notifier,
    WarningStore,
    Workflow,
)
from ...settings import Settings
from ..compliance import aml
from ..monitoring.feeds import known_risks_of
from ..origination import known_customer
from ..ownership import owned
from .credit_lines import owned_line


class DrawdownPorts(Protocol):
    """The ports the drawdowns use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    accounts: AccountVerifier
    cipher: FieldCipher
    clock: Clock
    core_banking: CoreBanking
    customer_records: CustomerRecords
    identities: IdentityRegister
    notifier: Notifier
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore
    workflow: Workflow


SYSTEM = "system:drawdown-workflow"


@dataclass(frozen=True)
class DrawdownCommand:
    """The payee is named once: by number (``account_no``), or as one of her own accounts at the bank by its id
    (``payout_account_id``, resolved from the record of ``login``)."""

    credit_line_id: str
    amount: Money
    term_months: int
    repayment_method: RepaymentMethod
    account_no: str | None
    payout_account_id: str | None = None
    login: str = ""

    def request_hash(self) -> str:
        payee = {"account_no": self.account_no} if self.payout_account_id is None else {
            "payout_account_id": self.payout_account_id}
        canonical = json.dumps({"credit_line_id": self.credit_line_id, "amount_fen": self.amount.fen,
                                "term_months": self.term_months, "repayment_method": self.repayment_method.value,
                                **payee}, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _identity_valid_until(deps: DrawdownPorts, line: CreditLine) -> str:
    identity = deps.repo.get_application(line.application_id).identity
    return identity.valid_until if identity else ""


def own_account_at_bank(deps: DrawdownPorts, line: CreditLine, account_no: str) -> bool:
    """Whether the bank's record holds the account in the borrower's name, active and able to receive a loan (read
    afresh each time: an account frozen since the request is not paid into)."""
    link = deps.repo.get_application(line.application_id).bank_customer
    record = deps.customer_records.record(link.customer_number) if link is not None else None
    account = record.holds_account_no(account_no) if record is not None else None
    return account is not None and account.can_receive_payout


def _payee_of(deps: DrawdownPorts, line: CreditLine, cmd: DrawdownCommand) -> str:
    """The account number the command names: typed, or one of her own accounts at the bank by its id (the
    login's record must be the line's borrower's; another customer's account id answers as no account)."""
    if cmd.payout_account_id is None:
        assert cmd.account_no is not None
        return cmd.account_no
    record = known_customer.record_of(deps, cmd.login)
    link = deps.repo.get_application(line.application_id).bank_customer
    if record is None or link is None or link.customer_number != record.customer_number:
        raise known_customer.unknown_account()
    return known_customer.own_payout_account(record, cmd.payout_account_id).account_no


def payee_verified(deps: DrawdownPorts, line: CreditLine, account_no: str, check_now: bool) -> bool:
    """Whether the payee account passed the four-element check for this customer. ``check_now``: run the check
    if it has not been (the first drawdown to the account); a mismatch is refused with its element, an
    unanswered check is a 503 - either way before anything is recorded or paid. An account the bank holds in
    her name needs no check (the caller asks ``own_account_at_bank`` first)."""
    account_hash = deps.cipher.keyed_hash(f"account:{account_no}")
    if deps.identities.account_verified(line.customer_id, account_hash):
        return True
    if not check_now or account_no != line.payout_account_no:
        return False  # another account is refused by its own rule; the workflow never calls out
    app = deps.repo.get_application(line.application_id)
    front = next(d for d in deps.repo.documents_of(app.application_id) if d.doc_type == "ID_CARD_FRONT")
    id_number = deps.cipher.decrypt(front.fields["id_number_sealed"], app.application_id)
    check = deps.accounts.verify(app.applicant_name, id_number, account_no, app.applicant_phone)
    if check.outcome != "MATCH":
        logger.warning("payee account failed the four-element check",
                       extra={"credit_line_id": line.credit_line_id, "outcome": check.outcome})
        raise DrawdownRuleViolatedError("the payee account could not be verified as yours",
                                        {"rule": "PayeeAccountMustBeVerified", "element": check.outcome},
                                        code="PAYEE_ACCOUNT_NOT_VERIFIED")
    deps.identities.record_account_verified(line.customer_id, account_hash, check.reference, deps.clock.now())
    return True


def review_overdue(warning: EarlyWarning, now: datetime) -> bool:
    """The line's yearly re-review is past its due date: new drawdowns wait for an officer."""
    return now > warning.task_due_at and any(c.rule == "ANNUAL_REVIEW_DUE" for c in warning.causes)


NOT_AVAILABLE = "DRAWDOWN_NOT_AVAILABLE"  # what she is told when screening stops a drawdown (never why)


def screen(deps: DrawdownPorts, line: CreditLine) -> None:
    """Each drawdown is screened against the sanctions and watch-list entries standing about the borrower or her
    business (by keyed hash), when she asks and again before the reservation: a listing freezes her line when it
    arrives, and this catches one the freeze has not (a line unfrozen while the entry stood, a record about her
    business). She is told only that the drawdown cannot be made; the compliance officers see the hit."""
    app = deps.repo.get_application(line.application_id)
    known = known_risks_of(deps, line.customer_id, app.identity.id_number_hash if app.identity else "",
                           app.business.registration_no)
    if known.sanctioned:
        logger.warning("drawdown stopped by sanctions screening", extra={"credit_line_id": line.credit_line_id})
        aml.open_case(deps.repo, deps.clock.now(), line.customer_id, AmlCaseKind.SANCTIONS_HIT, line.credit_line_id,
                      f"drawdown:{line.credit_line_id}:{deps.clock.today().isoformat()}",
                      {"at": "DRAWDOWN", "credit_line_id": line.credit_line_id})
        metrics.add_metric(name="SanctionsScreeningHits", unit="Count", value=1)
        raise DrawdownRuleViolatedError("this drawdown cannot be made; contact the bank", code=NOT_AVAILABLE)


def borrower_drawn(deps: DrawdownPorts, customer_id: str) -> int:
    """What she owes or has reserved across all her lines (each line's limit less its available amount)."""
    drawn, cursor = 0, None
    while True:
        page, cursor = deps.repo.credit_lines_of(customer_id, 50, cursor)
        drawn += sum(x.limit.fen - x.available.fen for x in page)
        if cursor is None:
            return drawn


def loan_id_for(drawdown_id: str) -> str:
    return "loan_" + drawdown_id.removeprefix("dd_")


def owned_drawdown(deps: DrawdownPorts, customer_id: str, drawdown_id: str) -> Drawdown:
    return owned(deps.repo.get_drawdown, customer_id, drawdown_id, "drawdown")


def request_drawdown(deps: DrawdownPorts, customer_id: str, idempotency_key: str,
                     cmd: DrawdownCommand) -> Drawdown:
    check_key(idempotency_key)
    request_hash = cmd.request_hash()
    # The same request always gets the same answer: a key used before is answered from its record before any
    # rule is looked at, even once the line is used up or business hours have ended.
    replayed = deps.repo.drawdown_for_key(customer_id, idempotency_key)
    if replayed is not None:
        if replayed.request_hash != request_hash:
            raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different request")
        if replayed.status is not DrawdownStatus.AWAITING_APPROVAL and replayed.failure_reason != DECLINED_BY_OFFICER:
            deps.workflow.start_drawdown(replayed.drawdown_id)  # idempotent by name: resumes a lost start
        return replayed
    line = owned_line(deps, customer_id, cmd.credit_line_id)
    account_no = _payee_of(deps, line, cmd)
    own = own_account_at_bank(deps, line, account_no)
    verified = own or payee_verified(deps, line, account_no, check_now=True)
    # Rules first, for a clear 4xx. The workflow's reservation is the authoritative, atomic check.
    check_drawdown(DrawdownRequest(cmd.amount, cmd.term_months, cmd.repayment_method, account_no,
                                   _identity_valid_until(deps, line), deps.settings.business_hours, verified, own,
                                   borrower_drawn(deps, customer_id), deps.settings.max_exposure_per_borrower_fen),
                   line, PRODUCTS[line.product_code], deps.clock.now())
    screen(deps, line)
    warning = deps.warnings.open_warning_of_line(line.credit_line_id)
    held = warning.warning_id if warning is not None and (
        warning.level >= Level.ORANGE or review_overdue(warning, deps.clock.now())) else None
    candidate = Drawdown.request(drawdown_id=f"dd_{uuid.uuid4().hex}", customer_id=customer_id,
                                 credit_line_id=line.credit_line_id, amount=cmd.amount, term_months=cmd.term_months,
                                 repayment_method=cmd.repayment_method, account_no=account_no,
                                 request_hash=request_hash, held_by_warning=held)
    stored = deps.repo.add_drawdown(candidate, idempotency_key)
    if stored.request_hash != request_hash:
        raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different request")
    if stored.status is DrawdownStatus.AWAITING_APPROVAL:
        metrics.add_metric(name="DrawdownAwaitingApproval", unit="Count", value=1)
        return stored
    # Started on every accepted or replayed request: idempotent by execution name, so nothing is lost if the
    # first attempt died between the write and the start.
    deps.workflow.start_drawdown(stored.drawdown_id)
    return stored


def quote_drawdown(deps: DrawdownPorts, customer_id: str, credit_line_id: str, amount: Money, term_months: int,
                   method: RepaymentMethod) -> tuple[Loan, PriceDisclosure]:
    """What drawing this would be: the loan it would book today, schedule and all, under the same rules as the
    drawdown itself (the payee account aside: it is checked when the customer confirms). Nothing is recorded,
    reserved or started; the loan returned is not stored."""
    line = owned_line(deps, customer_id, credit_line_id)
    check_drawdown(DrawdownRequest(amount, term_months, method, line.payout_account_no,
                                   _identity_valid_until(deps, line), deps.settings.business_hours, True),
                   line, PRODUCTS[line.product_code], deps.clock.now())
    product = PRODUCTS[line.product_code]
    loan = new_loan("quote", "quote", line.credit_line_id, customer_id, amount, line.annual_rate, term_months, method,
                    deps.clock.today(), product.grace_months)
    return loan, loan_price(loan, product.fees)


def decide_awaiting(deps: DrawdownPorts, officer_id: str, drawdown_id: str, approve: bool, comment: str) -> Drawdown:
    """An officer's decision on a drawdown held by an ORANGE warning: approved, it goes on as any drawdown (the
    workflow reserves, pays and books; the rules are checked again there); declined, nothing was reserved."""
    if len(comment.strip()) < 4:
        raise ValidationError("a decision needs a comment that says why", {"field": "comment"})
    dd = deps.repo.get_drawdown(drawdown_id)
    if dd.status is not DrawdownStatus.AWAITING_APPROVAL:
        raise InvalidTransitionError("the drawdown is not waiting for an officer", {"status": dd.status.value})
    if approve:
        dd.approve(officer_id, comment.strip())
        deps.repo.save_drawdown(dd)
        deps.workflow.start_drawdown(drawdown_id)
    else:
        dd.decline(officer_id, comment.strip())
        deps.repo.save_drawdown(dd)
        tell_not_paid(deps, dd)
    return dd


# ---- workflow steps (infra/drawdown.asl.json) ----------------------------------------------------------
def reserve_limit(deps: DrawdownPorts, drawdown_id: str) -> dict[str, Any]:
    dd = deps.repo.get_drawdown(drawdown_id)
    if dd.status is not DrawdownStatus.REQUESTED:
        return {"reserved": dd.status not in (DrawdownStatus.REJECTED,), "status": dd.status.value}
    line = deps.repo.get_credit_line(dd.credit_line_id)
    own = own_account_at_bank(deps, line, dd.account_no)
    req = DrawdownRequest(dd.amount, dd.term_months, dd.repayment_method, dd.account_no,
                          _identity_valid_until(deps, line),  # business hours apply when the customer asks
                          account_verified=own or payee_verified(deps, line, dd.account_no, check_now=False),
                          own_account_at_bank=own, borrower_drawn_fen=borrower_drawn(deps, dd.customer_id),
                          exposure_cap_fen=deps.settings.max_exposure_per_borrower_fen)
    try:
        check_drawdown(req, line, PRODUCTS[line.product_code], deps.clock.now())
        screen(deps, line)
        dd.reserve(SYSTEM)
        deps.repo.reserve_limit(dd)
    except DrawdownRuleViolatedError as err:
        dd = deps.repo.get_drawdown(drawdown_id)  # as stored: a refused reservation wrote nothing
        dd.reject(err.code, SYSTEM)
        deps.repo.save_drawdown(dd)
        metrics.add_metric(name="DrawdownRejected", unit="Count", value=1)
        tell_not_paid(deps, dd)
        return {"reserved": False, "status": dd.status.value, "reason": err.code}
    return {"reserved": True, "status": dd.status.value}


def disburse(deps: DrawdownPorts, drawdown_id: str) -> dict[str, Any]:
    """Pays the customer. Asks the core for an earlier outcome by drawdown id first, so a retry never pays twice."""
    dd = deps.repo.get_drawdown(drawdown_id)
    if dd.status in (DrawdownStatus.DISBURSED, DrawdownStatus.BOOKED):
        return {"core_reference": dd.core_reference}
    if dd.status is not DrawdownStatus.RESERVED:
        raise InvalidTransitionError(f"drawdown is {dd.status}, not reserved")
    reference = deps.core_banking.outcome(drawdown_id)  # paid by an earlier attempt
    if reference is None:
        try:  # the payout starts only while the line is active: a freeze recorded first stops it
            if dd.start_payout(SYSTEM, deps.clock.now()):
                deps.repo.claim_payout(dd)
        except CreditLineNotActiveError as err:
            raise DisbursementRefusedError("the credit line was frozen before the payout started") from err
        reference = deps.core_banking.pay(drawdown_id, dd.account_no, dd.amount)
    dd.disbursed(reference, SYSTEM)
    deps.repo.save_drawdown(dd, ledger=ledger.disbursement(dd.drawdown_id, loan_id_for(dd.drawdown_id), dd.amount))
    metrics.add_metric(name="FundsDisbursedFen", unit="Count", value=dd.amount.fen)
    return {"core_reference": reference}


def release_reservation(deps: DrawdownPorts, drawdown_id: str, error: dict[str, Any]) -> dict[str, Any]:
    """Compensation after a definitive refusal. Exactly once, by a conditional transition."""
    dd = deps.repo.get_drawdown(drawdown_id)
    released = dd.status is DrawdownStatus.RESERVED
    if released:
        dd.release(_refusal_reason(deps, dd), SYSTEM)
        released = deps.repo.release_reservation(dd)
    logger.info("reservation released" if released else "reservation was already released",
                extra={"drawdown_id": drawdown_id, "reason": dd.failure_reason})
    if released:
        tell_not_paid(deps, dd)
    return {"released": released}


def _refusal_reason(deps: DrawdownPorts, dd: Drawdown) -> str:
    """Why the payout was refused, from the facts (the workflow hands over only the error's name): a line no longer
    active stopped it before the payout began; otherwise the core refused to credit the account."""
    line = deps.repo.get_credit_line(dd.credit_line_id)
    return LINE_NOT_ACTIVE_AT_PAYOUT if not line.is_usable(deps.clock.now()) else PAYOUT_ACCOUNT_REFUSED


def tell_not_paid(deps: DrawdownPorts, dd: Drawdown) -> None:
    """The customer was told the drawdown was accepted (202): she is told by SMS when its money will not come."""
    app = deps.repo.get_application(deps.repo.get_credit_line(dd.credit_line_id).application_id)
    deps.notifier.send_sms(dd.customer_id, app.applicant_phone, "DRAWDOWN_NOT_PAID", not_paid_sms(dd))


def book_loan(deps: DrawdownPorts, drawdown_id: str) -> dict[str, Any]:
    dd = deps.repo.get_drawdown(drawdown_id)
    if dd.status is DrawdownStatus.BOOKED:
        return {"loan_id": dd.loan_id}
    if dd.status is not DrawdownStatus.DISBURSED:
        raise InvalidTransitionError(f"drawdown is {dd.status}, not disbursed")
    line = deps.repo.get_credit_line(dd.credit_line_id)
    start = deps.clock.today()  # the Beijing business date: a loan drawn at 00:01 is dated that day
    loan = new_loan(loan_id_for(drawdown_id), drawdown_id,  # one loan per drawdown, by construction
                    dd.credit_line_id, dd.customer_id, dd.amount, line.annual_rate, dd.term_months,
                    dd.repayment_method, start, PRODUCTS[line.product_code].grace_months)
    data: dict[str, Any] = {}
    if not deps.repo.loans_of_line(dd.customer_id, dd.credit_line_id):  # the line's first payout: a funnel stage
        data.update(first_payout_data(line.credit_line_id, deps.repo.get_application(line.application_id).submitted_at))
    dd.book(loan.loan_id, SYSTEM, data)
    deps.repo.book_loan(dd, loan)
    return {"loan_id": loan.loan_id}


def notify_disbursed(deps: DrawdownPorts, drawdown_id: str) -> dict[str, Any]:
    dd = deps.repo.get_drawdown(drawdown_id)
    line = deps.repo.get_credit_line(dd.credit_line_id)
    app = deps.repo.get_application(line.application_id)
    deps.notifier.send_sms(dd.customer_id, app.applicant_phone, "FUNDS_DISBURSED",
                           f"【农商银行】您的借款 {dd.amount} 已发放至尾号 {dd.account_no[-4:]} 的账户。")
    return {"notified": True}


def record_drawdown_failure(deps: DrawdownPorts, drawdown_id: str, error: dict[str, Any]) -> dict[str, Any]:
    """A step failed for good. The reservation is kept: money may have moved; the reconciliation report shows
    operations whether the core paid, and they act on it. The reason is recorded for operations."""
    dd = deps.repo.get_drawdown(drawdown_id)
    reason = str(error.get("Error", "UnknownError"))
    dd.needs_attention(reason, SYSTEM)
    deps.repo.save_drawdown(dd)
    metrics.add_metric(name=ev.DRAWDOWN_NEEDS_ATTENTION, unit="Count", value=1)
    return {"status": dd.status.value, "reason": reason}
