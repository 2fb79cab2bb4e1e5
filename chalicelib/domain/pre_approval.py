"""Pre-approval (预授信): a line the bank offers a customer it knows before she asks, from its own data only - no
credit-bureau query is made before she consents to one, so none is made here. The same expert scorecard as the
thin file (domain/bank_data.py) decides who is offered one; the amount is what her flows at the bank support.

Eligible: the scorecard approves; nothing past due on a loan here; inflows not falling; identified at KYC level 2
or above; at least six months of flows seen; an account that can receive a loan. The line: ``inflow_multiple``
months of her average inflow, within the product's bounds, in whole hundreds of yuan. Applying from it still
queries the bureau; the offer may be lower, and says why (``BELOW_PRE_APPROVAL``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .bank_data import BankDataPolicy, bank_knock_outs, inflow_cap, inflows_falling, thin_file_scorecard
from .customer_record import CustomerRecord, PreApproval
from .money import Money
from .products import Product

BELOW_PRE_APPROVAL = "BELOW_PRE_APPROVAL"
MIN_MONTHS_OBSERVED = 6


def pre_approval_for(record: CustomerRecord, product: Product, policy: BankDataPolicy, now: datetime,
                     valid_days: int) -> PreApproval | None:
    """Her pre-approval as of ``now``, or None when the bank's data does not support one."""
    rel = record.relationship(now.date())
    card = thin_file_scorecard(rel)
    if (card.outcome(policy) != "APPROVE" or bank_knock_outs(rel) or inflows_falling(rel) or rel.kyc_level < 2
            or rel.months_observed < MIN_MONTHS_OBSERVED or not record.payout_accounts):
        return None
    limit = min(inflow_cap(rel, policy), product.max_line)
    if limit < product.min_line:
        return None
    rate_from = max(product.min_rate, policy.lowest_rate)
    return PreApproval(record.customer_number, Money(limit.fen - limit.fen % 10_000), f"{rate_from:.4f}",
                       now + timedelta(days=valid_days), now, card.reasons)


def below_pre_approval(offered: Money, requested: Money, pre_approval: PreApproval | None) -> bool:
    """The offer is lower than both what she asked for and what was pre-approved: the bureau's data (or the
    verified revenue) lowered it, and the offer says so."""
    return pre_approval is not None and offered < min(requested, pre_approval.limit)
