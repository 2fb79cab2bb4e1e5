"""What the repository contract builds on either repository, through the port only: a line, a drawdown moved by
the domain, a booked loan, a frozen line."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.domain import events as ev
from chalicelib.domain import ledger
from chalicelib.domain.credit_line import CreditLine
from chalicelib.domain.drawdown import Drawdown
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.loan import Loan, build_schedule
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod
from tests.products import INCLUSIVE_BUSINESS_LOAN
from tests.unit.test_application_states import new_app


def key() -> str:
    return uuid.uuid4().hex[:12]


def active_line(repo: Any, limit_yuan: int = 10_000, customer_id: str = "c1") -> CreditLine:
    app = new_app()
    app.customer_id = customer_id
    repo.add_application(app)
    app = repo.get_application(app.application_id)
    line = CreditLine(credit_line_id=f"line_{app.application_id[4:]}", customer_id=customer_id,
                      application_id=app.application_id, limit=Money.yuan(limit_yuan),
                      available=Money.yuan(limit_yuan), annual_rate=Decimal("0.0720"), term_months=(12,),
                      repayment_methods=(RepaymentMethod.EQUAL_INSTALMENT,), payout_account_no="6222021234567890123",
                      valid_until=datetime.now(UTC) + timedelta(days=365), product_code=INCLUSIVE_BUSINESS_LOAN.code)
    repo.activate_credit_line(app, line, DomainEvent(ev.CREDIT_LINE_ACTIVATED, line.credit_line_id, "test"))
    return line


def requested_drawdown(repo: Any, line: CreditLine, yuan: int, idem: str | None = None) -> Drawdown:
    idem = idem or key()
    dd = Drawdown.request(drawdown_id=f"dd_{idem}", credit_line_id=line.credit_line_id, customer_id=line.customer_id,
                          amount=Money.yuan(yuan), term_months=12, repayment_method=RepaymentMethod.EQUAL_INSTALMENT,
                          account_no=line.payout_account_no, request_hash=f"h-{idem}")
    return repo.add_drawdown(dd, f"key-{idem}")  # type: ignore[no-any-return]


def reserve(repo: Any, dd: Drawdown) -> None:
    """The domain's move, then the repository's reservation of it."""
    dd.reserve("test")
    repo.reserve_limit(dd)


def booked_loan(repo: Any, line: CreditLine, yuan: int = 1_000, term: int = 12) -> Loan:
    """A drawdown reserved, paid and booked as the workflow does it, through the port."""
    dd = requested_drawdown(repo, line, yuan)
    reserve(repo, dd)
    dd = repo.get_drawdown(dd.drawdown_id)
    dd.disbursed(f"core-{dd.drawdown_id}", "test")
    loan_id = f"loan_{dd.drawdown_id[3:]}"
    repo.save_drawdown(dd, ledger=ledger.disbursement(dd.drawdown_id, loan_id, dd.amount))
    dd = repo.get_drawdown(dd.drawdown_id)
    start = datetime.now(UTC).date()
    loan = Loan(loan_id, dd.drawdown_id, line.credit_line_id, line.customer_id, dd.amount, line.annual_rate, term,
                RepaymentMethod.EQUAL_INSTALMENT, start,
                build_schedule(dd.amount, line.annual_rate, term, RepaymentMethod.EQUAL_INSTALMENT, start))
    dd.book(loan.loan_id, "test")
    assert repo.book_loan(dd, loan)
    return repo.get_loan(loan.loan_id)  # type: ignore[no-any-return]


def warning_store(repo: Any) -> Any:
    """The warning store over the same data as ``repo`` (it freezes lines in the repository's table)."""
    from tests.fakes.memory import MemoryRepository, MemoryWarningStore

    if isinstance(repo, MemoryRepository):
        return MemoryWarningStore(repo)
    from chalicelib import bootstrap

    return bootstrap.deps().warnings


def freeze(repo: Any, line_id: str, customer_id: str = "c1") -> None:
    """A court record freezes the line, as early warning does (the warning and the freeze in one write)."""
    from chalicelib.domain.early_warning import Signal, Source, WarningPolicy, apply_signal

    signal = Signal("JUDICIAL_DISHONEST_DEBTOR", Source.JUDICIAL, f"case-{line_id}", datetime.now(UTC))
    warning = apply_signal(None, signal, WarningPolicy(), new_id=f"warn_{line_id[-12:]}", customer_id=customer_id,
                           credit_line_id=line_id).warning
    freeze = repo.get_credit_line(line_id).freeze(DomainEvent(ev.CREDIT_LINE_FROZEN, line_id, "system:early-warning"))
    warning_store(repo).save_warning(warning, freeze)
