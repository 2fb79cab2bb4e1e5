"""A customer's credit line as such: finding her own, and closing it."""

from __future__ import annotations

from typing import Protocol

from ...domain import events as ev
from ...domain.credit_line import CreditLine
from ...domain.errors import ConcurrentModificationError, NotFoundError
from ...domain.events import DomainEvent
from ...ports import CoreBanking, LendingRepository
from ..ownership import owned


class CreditLinePorts(Protocol):
    """The ports the credit lines use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    repo: LendingRepository


def owned_line(deps: CreditLinePorts, customer_id: str, credit_line_id: str) -> CreditLine:
    return owned(deps.repo.get_credit_line, customer_id, credit_line_id, "credit line")


def close_line(deps: CreditLinePorts, customer_id: str, credit_line_id: str) -> CreditLine:
    """The customer closes the line: allowed when nothing is drawn, reserved or owed; the check is repeated by the
    database's condition, so a drawdown reserving at the same moment either keeps the line open or is refused."""
    line = owned_line(deps, customer_id, credit_line_id)
    line.check_can_close()
    if not deps.repo.close_credit_line(line, DomainEvent(ev.CREDIT_LINE_CLOSED, credit_line_id,
                                                         f"customer:{customer_id}")):
        owned_line(deps, customer_id, credit_line_id).check_can_close()  # says why (in use, or closed already)
        raise ConcurrentModificationError("the credit line changed meanwhile; try again")
    return deps.repo.get_credit_line(credit_line_id)


class TopUpPorts(Protocol):
    core_banking: CoreBanking
    repo: LendingRepository


def top_up(deps: TopUpPorts, customer_id: str, credit_line_id: str) -> str:
    """The local stage's core simulator: money arrives on her line's repayment account (its masked number)."""
    line = owned_line(deps, customer_id, credit_line_id)
    top_up_account = getattr(deps.core_banking, "top_up", None)
    if top_up_account is None:
        raise NotFoundError("not found")  # a real core's accounts are funded by their holders, not by this route
    top_up_account(line.payout_account_no)
    return line.payout_account_masked
