"""What a customer reads about her own applications, lines, drawdowns and loans: the read side of the customer's
API, so that routes ask a use case and never a repository. Each list is one page, with the repository's opaque
cursor for the next (a forged one is refused there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..domain.application import ApplicationSummary, LoanApplication
from ..domain.credit_line import CreditLine, CreditLineSummary
from ..domain.drawdown import DrawdownSummary
from ..domain.loan import Loan
from ..ports import DocumentRecord, LendingRepository, WarningStore
from .monitoring.notices import notice_for, notices_for
from .origination.origination import owned_application


class CustomerQueryPorts(Protocol):
    """The ports the customer queries use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    repo: LendingRepository
    warnings: WarningStore


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def documents_of(deps: CustomerQueryPorts, app: LoanApplication) -> list[DocumentRecord]:
    """The application's documents (the caller has already found the application to be the customer's)."""
    return deps.repo.documents_of(app.application_id)


def my_application(deps: CustomerQueryPorts, customer_id: str, application_id: str) -> LoanApplication:
    """One of the customer's applications (NotFoundError for another customer's: its existence is not told)."""
    return owned_application(deps.repo, customer_id, application_id)


def my_applications(deps: CustomerQueryPorts, customer_id: str, limit: int, cursor: str | None) -> Page:
    found: list[ApplicationSummary]
    found, after = deps.repo.application_summaries_of(customer_id, limit, cursor)
    return Page(found, after)


def my_credit_lines(deps: CustomerQueryPorts, customer_id: str, limit: int, cursor: str | None) -> Page:
    lines: list[CreditLineSummary]
    lines, after = deps.repo.credit_lines_of(customer_id, limit, cursor)
    return Page(lines, after)


def notice_of(deps: CustomerQueryPorts, line: CreditLine | CreditLineSummary) -> str | None:
    """What the customer reads on her line: why it is paused, or that new drawdowns are reviewed."""
    return notice_for(deps.warnings, line)


def notices_of(deps: CustomerQueryPorts, lines: list[CreditLineSummary]) -> dict[str, str | None]:
    """Each line's notice, for a whole page in a bounded number of reads."""
    return notices_for(deps.warnings, lines)


def my_drawdowns(deps: CustomerQueryPorts, customer_id: str, limit: int, cursor: str | None) -> Page:
    found: list[DrawdownSummary]
    found, after = deps.repo.drawdowns_of(customer_id, limit, cursor)
    return Page(found, after)


def my_loans(deps: CustomerQueryPorts, customer_id: str, limit: int, cursor: str | None) -> Page:
    found: list[Loan]
    found, after = deps.repo.loans_of(customer_id, limit, cursor)
    return Page(found, after)


def line_trail(deps: CustomerQueryPorts, line: CreditLine) -> list[dict[str, Any]]:
    """The events of a line the caller has already found to be the customer's (its history is built from them)."""
    return deps.repo.audit_trail(line.credit_line_id)
