"""Write-off (核销) by two officers, and the recoveries credited to a written-off loan afterwards."""

from __future__ import annotations

from typing import Any, Protocol

from ...domain import events as ev
from ...domain import ledger
from ...domain.errors import ConcurrentModificationError, NotFoundError
from ...domain.money import Money
from ...domain.write_off import (
    WriteOffProposal,
    WriteOffStatus,
    check_eligible,
    recover,
    write_off,
)
from ...observability import logger, metrics
from ...ports import Clock, CoreBanking, LendingRepository
from ...settings import Settings


class WriteOffPorts(Protocol):
    """The ports the write-off use cases touch, and no other."""

    clock: Clock
    core_banking: CoreBanking
    repo: LendingRepository
    settings: Settings


def propose_or_confirm(deps: WriteOffPorts, officer_id: str, loan_id: str, reason: str) -> WriteOffProposal:
    """``POST /v1/admin/loans/{id}/write-off``: the first officer's call proposes it; a second, different
    officer's call confirms it and books it (below the setting's amount, one officer's proposal is enough)."""
    loan = deps.repo.get_loan(loan_id)
    now = deps.clock.now()
    proposal = deps.repo.get_write_off(loan_id)
    single = deps.settings.write_off_single_officer_max_fen
    if proposal is None or proposal.status is WriteOffStatus.DECLINED:
        proposal = WriteOffProposal.propose(loan, officer_id, reason, now)
        deps.repo.propose_write_off(proposal)
        logger.info("write-off proposed", extra={"loan_id": loan_id})
        if proposal.needs_second_officer(single):
            return proposal
    check_eligible(loan)  # the loan may have been repaid, or reclassified, since it was proposed
    proposal.confirm(officer_id, reason, now, single)
    change = write_off(loan, proposal, _receivable(deps, loan.credit_line_id, loan_id), deps.clock.today(), now)
    line = deps.repo.get_credit_line(loan.credit_line_id)
    if not deps.repo.write_off_loan(loan, proposal, change, line.freeze(change.event)):
        raise ConcurrentModificationError("the loan or the proposal changed meanwhile; read them again")
    metrics.add_metric(name="LoansWrittenOff", unit="Count", value=1)
    logger.info("loan written off", extra={"loan_id": loan_id, "written_off_fen": change.written_off_fen})
    return proposal


def decline(deps: WriteOffPorts, officer_id: str, loan_id: str, comment: str) -> WriteOffProposal:
    proposal = deps.repo.get_write_off(loan_id)
    if proposal is None:
        raise NotFoundError("no write-off is proposed for this loan", {"loan_id": loan_id})
    proposal.decline(officer_id, comment, deps.clock.now())
    deps.repo.save_write_off(proposal)
    return proposal


def _receivable(deps: WriteOffPorts, credit_line_id: str, loan_id: str) -> Money:
    """The interest accrued on the loan and not paid: its receivable account's balance in the ledger."""
    return Money(max(0, ledger.balances(deps.repo.ledger_of(credit_line_id)).get(ledger.interest_receivable(loan_id),
                                                                                    0)))


def record_recovery(deps: WriteOffPorts, officer_id: str, loan_id: str, amount: Money,
                    idempotency_key: str) -> dict[str, Any]:
    """Money collected from the borrower's own account on a written-off loan, once per key (a retry with the same
    key answers the first recovery): the core collects first, then the recovery is credited."""
    recovery_id = f"rec_{loan_id.removeprefix('loan_')}_{idempotency_key}"
    loan = deps.repo.get_loan(loan_id)
    line = deps.repo.get_credit_line(loan.credit_line_id)
    found = recover(loan, recovery_id, amount, ev.officer_actor(officer_id), deps.clock.now())
    reference = deps.core_banking.collect(recovery_id, line.payout_account_no, amount)
    record = {"recovery_id": recovery_id, "loan_id": loan_id, "amount_fen": amount.fen, "core_reference": reference,
              "officer_id": officer_id, "at": deps.clock.now().isoformat()}
    if not deps.repo.record_recovery(loan, found, record):
        raise ConcurrentModificationError("this recovery was already recorded, or the loan changed meanwhile")
    metrics.add_metric(name="WriteOffRecoveries", unit="Count", value=1)
    return {**record, "owed_after_fen": loan.written_off_balance.fen - amount.fen}


def open_write_offs(deps: WriteOffPorts) -> list[WriteOffProposal]:
    return deps.repo.open_write_offs()
