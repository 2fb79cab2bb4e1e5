"""The pre-approval batch: every customer of the bank, a segment at a time (the state machine runs the segments
side by side, infra/pre_approval.asl.json), each given the line her own data supports, or none. No bureau query:
she has not consented to one. A run replaces what an earlier run left: a customer no longer eligible loses hers."""

from __future__ import annotations

from typing import Any, Protocol

from ...domain.bank_data import BankDataPolicy
from ...domain.pre_approval import pre_approval_for
from ...domain.products import PRODUCTS
from ...observability import logger, metrics
from ...ports import Clock, CustomerRecords, LendingRepository
from ...settings import Settings

PRE_APPROVAL_SEGMENTS = 64  # the state machine's map: 64 segments, 32 side by side (2 million customers in time)


class PreApprovalPorts(Protocol):
    """The ports the pre-approval batch touches, and no other."""

    clock: Clock
    customer_records: CustomerRecords
    repo: LendingRepository
    settings: Settings


def policy_of(settings: Settings) -> BankDataPolicy:
    return BankDataPolicy(inflow_multiple=settings.bank_inflow_limit_multiple)


def run_segment(deps: PreApprovalPorts, segment: int, segments: int = PRE_APPROVAL_SEGMENTS) -> dict[str, Any]:
    """One segment of the customers: each one's pre-approval saved, or withdrawn. Safe to run again."""
    now, policy = deps.clock.now(), policy_of(deps.settings)
    product = PRODUCTS.pre_approved
    offered = withdrawn = 0
    limit_fen = 0
    for number in deps.customer_records.customer_numbers(segment, segments):
        record = deps.customer_records.record(number)
        found = None if record is None or product is None else pre_approval_for(
            record, product, policy, now, deps.settings.pre_approval_valid_days)
        if found is None:
            deps.repo.withdraw_pre_approval(number)
            withdrawn += 1
        else:
            deps.repo.save_pre_approval(found)
            offered += 1
            limit_fen += found.limit.fen
    metrics.add_metric(name="PreApprovalsOffered", unit="Count", value=offered)
    logger.info("pre-approval segment", extra={"segment": segment, "offered": offered, "not_offered": withdrawn})
    return {"segment": segment, "offered": offered, "not_offered": withdrawn, "limit_fen": limit_fen}
