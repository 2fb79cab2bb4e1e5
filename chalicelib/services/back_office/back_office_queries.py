"""What a risk officer reads: a line's whole file, the warnings with their line's status, the drawdowns an early
warning holds, a signed contract with its download link. The read side of the back office, so that its routes ask
a use case and never a repository or a store. Group checks are the routes' (they run before any of these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ...domain.application import LoanApplication
from ...domain.credit_line import CreditLine
from ...domain.drawdown import Drawdown, DrawdownSummary
from ...domain.early_warning import EarlyWarning, Level, WarningStatus
from ...domain.errors import NotFoundError
from ...domain.ledger import LedgerTransaction
from ...domain.loan import Loan
from ...ports import DocumentStore, LendingRepository, WarningStore
from ...settings import Settings
from .. import monitoring
from ..origination import contracts
from . import customer_file


class BackOfficeQueryPorts(Protocol):
    """The ports the back office queries use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    documents: DocumentStore
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore


@dataclass(frozen=True)
class WarningWithLine:
    warning: EarlyWarning
    line_status: str


@dataclass(frozen=True)
class OfficerLineFile:
    line: CreditLine
    notice: str | None
    history: list[dict[str, Any]]
    drawdowns: list[DrawdownSummary]
    loans: list[tuple[Loan, list[dict[str, Any]]]]  # each loan with its classification history
    ledger: list[LedgerTransaction]
    open_warning: EarlyWarning | None
    # by loan: the schedules its restructurings replaced
    closed_schedules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def warnings(deps: BackOfficeQueryPorts, now: datetime, status: str, level: Level | None,
             overdue_only: bool) -> list[WarningWithLine]:
    if status == "OPEN":
        found = monitoring.worklist(deps.warnings, now, level, overdue_only=overdue_only)
    else:
        found = [w for w in deps.warnings.warnings(WarningStatus.CLOSED) if level is None or w.level is level]
    return [with_line(deps, w) for w in found]


def warning(deps: BackOfficeQueryPorts, warning_id: str) -> WarningWithLine:
    return with_line(deps, deps.warnings.get_warning(warning_id))


def with_line(deps: BackOfficeQueryPorts, warning: EarlyWarning) -> WarningWithLine:
    return WarningWithLine(warning, deps.repo.get_credit_line(warning.credit_line_id).status.value)


def line_file(deps: BackOfficeQueryPorts, credit_line_id: str) -> OfficerLineFile:
    line = deps.repo.get_credit_line(credit_line_id)
    loans = [(ln, deps.repo.classification_history(ln.loan_id))
             for ln in deps.repo.loans_of_line(line.customer_id, credit_line_id)]
    return OfficerLineFile(line, monitoring.notice_for(deps.warnings, line), deps.repo.audit_trail(credit_line_id),
                           customer_file.drawdowns_of_line(deps.repo, line), loans, deps.repo.ledger_of(credit_line_id),
                           deps.warnings.open_warning_of_line(credit_line_id),
                           {ln.loan_id: deps.repo.closed_schedules(ln.loan_id)
                            for ln, _ in loans if ln.restructured_on})


def customer_of_line(deps: BackOfficeQueryPorts, credit_line_id: str) -> str:
    return deps.repo.get_credit_line(credit_line_id).customer_id


def line_after_rescoring(deps: BackOfficeQueryPorts, credit_line_id: str) -> tuple[str, EarlyWarning | None]:
    """The line's status and its open warning, as a rescoring left them."""
    return (deps.repo.get_credit_line(credit_line_id).status.value,
            deps.warnings.open_warning_of_line(credit_line_id))


def awaiting_drawdowns(deps: BackOfficeQueryPorts) -> list[tuple[Drawdown, EarlyWarning | None]]:
    return [(dd, deps.warnings.open_warning_of_line(dd.credit_line_id))
            for dd in deps.repo.drawdowns_awaiting_approval()]


def application(deps: BackOfficeQueryPorts, application_id: str) -> LoanApplication:
    try:
        return deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None


def signed_contract(deps: BackOfficeQueryPorts, application_id: str) -> tuple[LoanApplication, str]:
    """The application and a short-lived download link to its signed contract's current version."""
    app = deps.repo.get_application(application_id)
    assert app.contract is not None
    url = deps.documents.presigned_contract_download(contracts.signed_key(application_id),
                                                     deps.settings.download_url_seconds, app.contract.signed_s3_version)
    return app, url
