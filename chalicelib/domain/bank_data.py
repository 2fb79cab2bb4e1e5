"""The bank's own data in the credit decision, for a customer it knows (``BankRelationship``):

1. **Policy.** A loan she holds at the bank that is past due declines (``BANK_LOAN_OVERDUE``); the line is never
   more than ``inflow_multiple`` times her average monthly inflow into her accounts here (``LIMIT_CAPPED_BY_BANK_
   INFLOWS`` when that is what bounds it). Bureau data still comes first where it exists: these add to its
   rules, never replace them.
2. **The thin-file scorecard.** An applicant with no bureau history (most of a rural bank's sole traders) is, by
   the bureau alone, a referral. Her relationship with the bank is scored by the points below - **the bank's
   expert judgement, written down, not a trained model** - and a strong one gets a line at grade C's terms (the
   most conservative the product approves), a middling one still goes to a risk officer, with the points and
   their reasons in front of them. Every reason names the bank data it read.

Points (out of 100), each with its reason code:

| fact                                   | points | reason                      |
|----------------------------------------|--------|-----------------------------|
| a customer for 5 years or more          | 25     | BANK_RELATIONSHIP_LONG      |
| ... for 2 to 5 years                   | 15     | BANK_RELATIONSHIP_ESTABLISHED |
| average monthly inflow >= 50,000 yuan  | 25     | BANK_INFLOWS_STRONG         |
| ... >= 20,000 yuan                      | 15     | BANK_INFLOWS_STEADY         |
| average balance >= 50,000 yuan          | 20     | BANK_BALANCE_STRONG         |
| ... >= 10,000 yuan                      | 10     | BANK_BALANCE_STEADY         |
| card-acquiring turnover >= 30,000 yuan a month | 15 | BANK_ACQUIRING_TURNOVER   |
| identified in person (KYC level 3)      | 15     | BANK_KYC_FULL               |
| latest month's inflow below half of the three before | -40 | BANK_INFLOWS_FALLING   |

70 or more approves at grade C's terms, 45 to 69 refers, below 45 refers as ``THIN_FILE_WEAK_RELATIONSHIP``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .credit import CreditTerms
from .customer_record import BankRelationship
from .money import Money
from .products import Product

BANK_LOAN_OVERDUE = "BANK_LOAN_OVERDUE"
LIMIT_CAPPED_BY_BANK_INFLOWS = "LIMIT_CAPPED_BY_BANK_INFLOWS"
THIN_FILE_APPROVED_ON_BANK_DATA = "THIN_FILE_APPROVED_ON_BANK_DATA"
THIN_FILE_REFERRED_ON_BANK_DATA = "THIN_FILE_REFERRED_ON_BANK_DATA"
THIN_FILE_WEAK_RELATIONSHIP = "THIN_FILE_WEAK_RELATIONSHIP"


@dataclass(frozen=True)
class BankDataPolicy:
    inflow_multiple: Decimal = Decimal("3")  # settings: the line at most this many months of average inflow
    approve_points: int = 70
    refer_points: int = 45
    thin_file_grade: str = "C"  # the terms a thin file approved on the bank's data gets
    lowest_rate: Decimal = Decimal("0.0450")  # what a pre-approval says its rate starts from (grade A's)


YUAN = 100


# (threshold in the fact's unit, points, reason): the first row a fact reaches counts, per fact
_TENURE = ((60, 25, "BANK_RELATIONSHIP_LONG"), (24, 15, "BANK_RELATIONSHIP_ESTABLISHED"))
_INFLOW = ((50_000 * YUAN, 25, "BANK_INFLOWS_STRONG"), (20_000 * YUAN, 15, "BANK_INFLOWS_STEADY"))
_BALANCE = ((50_000 * YUAN, 20, "BANK_BALANCE_STRONG"), (10_000 * YUAN, 10, "BANK_BALANCE_STEADY"))
_ACQUIRING = ((30_000 * YUAN, 15, "BANK_ACQUIRING_TURNOVER"),)
FALLING_INFLOWS_POINTS = -40


@dataclass(frozen=True)
class Scorecard:
    points: int
    reasons: tuple[str, ...]  # every fact that scored, strongest first; a fall in inflows first of all

    def outcome(self, policy: BankDataPolicy) -> str:
        if self.points >= policy.approve_points:
            return "APPROVE"
        return "REFER"


def _band(value: int, rows: tuple[tuple[int, int, str], ...]) -> tuple[int, str] | None:
    return next(((points, reason) for threshold, points, reason in rows if value >= threshold), None)


def inflows_falling(rel: BankRelationship) -> bool:
    """The latest month's inflow below half of the average of the three months before it."""
    return rel.previous_three_inflow_fen > 0 and rel.latest_inflow_fen * 2 < rel.previous_three_inflow_fen


def thin_file_scorecard(rel: BankRelationship) -> Scorecard:
    scored = [hit for hit in (_band(rel.tenure_months, _TENURE), _band(rel.average_monthly_inflow_fen, _INFLOW),
                              _band(rel.average_balance_fen, _BALANCE), _band(rel.acquiring_monthly_fen, _ACQUIRING),
                              (15, "BANK_KYC_FULL") if rel.kyc_level >= 3 else None) if hit is not None]
    if inflows_falling(rel):
        scored.insert(0, (FALLING_INFLOWS_POINTS, "BANK_INFLOWS_FALLING"))
    ordered = sorted(scored, key=lambda hit: (hit[0] > 0, -hit[0]))  # a deduction first, then the largest
    return Scorecard(sum(points for points, _ in scored), tuple(reason for _, reason in ordered))


def bank_knock_outs(rel: BankRelationship) -> list[str]:
    return [BANK_LOAN_OVERDUE] if rel.loans_days_past_due > 0 else []


def inflow_cap(rel: BankRelationship, policy: BankDataPolicy) -> Money:
    """The most the bank's own flows support: ``inflow_multiple`` months of her average inflow, in whole hundreds
    of yuan."""
    cap = Money.from_decimal_fen(Decimal(rel.average_monthly_inflow_fen) * policy.inflow_multiple)
    return Money(cap.fen - cap.fen % 10_000)


def capped_terms(terms: CreditTerms, rel: BankRelationship, policy: BankDataPolicy,
                 product: Product) -> tuple[CreditTerms | None, tuple[str, ...]]:
    """The terms within what her flows at the bank support: the line lowered to the cap (and said so), or None
    when the cap is below the product's smallest line."""
    cap = inflow_cap(rel, policy)
    if terms.credit_limit <= cap:
        return terms, ()
    if cap < product.min_line:
        return None, (LIMIT_CAPPED_BY_BANK_INFLOWS,)
    return CreditTerms(cap, terms.annual_rate, terms.apr), (LIMIT_CAPPED_BY_BANK_INFLOWS,)
