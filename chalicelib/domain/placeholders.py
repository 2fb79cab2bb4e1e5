"""PLACEHOLDER decision logic for the foundation (issue 2). Named so in the README.

Credit scoring (replaced by issue 4: bureau and tax data, policy rules, a trained risk model) is deliberately
simple here so that the whole journey runs end to end. Everything around it - persistence, audit, workflow,
API - is real. (Identity is no longer a placeholder but for the face step: see services/origination_steps.py.)
"""

from __future__ import annotations

from decimal import Decimal

from .application import Decision, DecisionOutcome, LoanApplication
from .money import Money
from .products import Product

REQUIRED_IDENTITY_DOCUMENTS = frozenset({"ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"})


def placeholder_score(app: LoanApplication, product: Product) -> Decision:
    """PLACEHOLDER (issue 4): a debt-to-revenue rule of thumb, so that approve, refer and decline can all be shown.

    requested / declared annual revenue <= 0.5 -> approve; <= 1.0 -> refer to a risk officer; else decline.
    A business younger than one year is declined.
    """
    revenue = app.business.annual_revenue
    if app.business.years_in_business < 1:
        return Decision(DecisionOutcome.DECLINE, ("BUSINESS_TOO_YOUNG",))
    if not revenue.is_positive():
        return Decision(DecisionOutcome.DECLINE, ("NO_VERIFIABLE_REVENUE",))
    ratio = Decimal(app.requested_amount.fen) / Decimal(revenue.fen)
    if ratio > 1:
        return Decision(DecisionOutcome.DECLINE, ("DEBT_TO_REVENUE_TOO_HIGH",))
    line = clamp_line(app.requested_amount, product)
    rate = Decimal("0.0720")
    if ratio > Decimal("0.5"):
        return Decision(DecisionOutcome.REFER, ("DEBT_TO_REVENUE_BORDERLINE",), line, rate)
    return Decision(DecisionOutcome.APPROVE, (), line, rate)


def clamp_line(amount: Money, product: Product) -> Money:
    """Whole hundreds of yuan, within the product's bounds."""
    hundreds = amount.fen - amount.fen % 10_000
    return Money(max(product.min_line.fen, min(product.max_line.fen, hundreds)))
