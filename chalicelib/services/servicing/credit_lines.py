"""A customer's credit line as such: finding her own, and closing it."""

from __future__ import annotations

from ...domain import events as ev
from ...domain.credit_line import CreditLine
from ...domain.errors import ConcurrentModificationError
from ...domain.events import DomainEvent
from ..deps import Dependencies
from ..ownership import owned


def owned_line(deps: Dependencies, customer_id: str, credit_line_id: str) -> CreditLine:
    return owned(deps.repo.get_credit_line, customer_id, credit_line_id, "credit line")


def close_line(deps: Dependencies, customer_id: str, credit_line_id: str) -> CreditLine:
    """The customer closes the line: allowed when nothing is drawn, reserved or owed; the check is repeated by the
    database's condition, so a drawdown reserving at the same moment either keeps the line open or is refused."""
    line = owned_line(deps, customer_id, credit_line_id)
    line.check_can_close()
    if not deps.repo.close_credit_line(line, DomainEvent(ev.CREDIT_LINE_CLOSED, credit_line_id,
                                                         f"customer:{customer_id}")):
        owned_line(deps, customer_id, credit_line_id).check_can_close()  # says why (in use, or closed already)
        raise ConcurrentModificationError("the credit line changed meanwhile; try again")
    return deps.repo.get_credit_line(credit_line_id)
