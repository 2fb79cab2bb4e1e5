"""The credit decision: policy rules (knock-outs, each a named rule with its reason code), then the risk grade,
then the line and the price. Pure: the bureau report, tax figures and model assessment come in as values.

Line: verified annual revenue (tax) x a share by grade, less existing debt, never more than asked for, in whole
hundreds of yuan within the product's bounds. Price: the product's annual rate for the grade (its pricing grid in
the catalogue), never above the legal cap. With no
fees the APR (IRR-annualised, as PBoC requires it shown) equals the nominal annual rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .known_risks import KNOWN_COURT_RECORD, KnownRisks
from .money import Money
from .products import Product


@dataclass(frozen=True)
class CreditPolicy:
    """The bank's rules for one product: its eligibility (age, years in business) within the bank's settings."""

    min_age: int = 18
    max_age: int = 65
    min_business_years: int = 1
    max_debt_to_revenue: Decimal = Decimal("0.60")
    legal_rate_cap: Decimal = Decimal("0.1200")  # settings: four times the one-year LPR
    approve_grades: frozenset[str] = frozenset({"A", "B", "C"})
    refer_grades: frozenset[str] = frozenset({"D"})


@dataclass(frozen=True)
class CreditFacts:
    """What the rules look at. Amounts in fen."""

    birth_date: date | None
    identity_verdict: str | None
    business_years: int
    bureau_current_status: int | None  # PAY_0 of the bureau report; None: no report
    existing_debt: Money
    annual_revenue: Money  # verified by tax data (invoiced sales); zero when unknown
    requested: Money
    blacklisted: bool
    known_risks: KnownRisks = field(default_factory=KnownRisks)  # open warnings and records the bank holds


class PolicyRule:
    code = "POLICY"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        raise NotImplementedError


class ApplicantAgeMustBeWithinBounds(PolicyRule):
    code = "AGE_OUT_OF_BOUNDS"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        if facts.birth_date is None:
            return True
        b = facts.birth_date
        age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        return not policy.min_age <= age <= policy.max_age


class NoRepaymentMayBeOverdueNow(PolicyRule):
    code = "CURRENT_OVERDUE"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        return facts.bureau_current_status is not None and facts.bureau_current_status > 0


class IdentityMustBeVerified(PolicyRule):
    code = "IDENTITY_NOT_VERIFIED"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        return facts.identity_verdict not in ("PASS", "REVIEW")


class BusinessMustBeOldEnough(PolicyRule):
    code = "BUSINESS_TOO_YOUNG"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        return facts.business_years < policy.min_business_years


class ApplicantMustNotBeBlacklisted(PolicyRule):
    code = "BLACKLISTED"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        return facts.blacklisted


class NoCourtRecordMayStandAgainstTheApplicant(PolicyRule):
    """A RED court record (失信被执行人) the bank holds about the applicant - from a warning on her lines or a
    record delivered by the court feed - declines; weaker records refer (see refer_for_known_risks)."""

    code = KNOWN_COURT_RECORD

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        return facts.known_risks.declines


class DebtToRevenueMustBeBearable(PolicyRule):
    code = "DEBT_TO_INCOME_TOO_HIGH"

    def failed(self, facts: CreditFacts, policy: CreditPolicy, today: date) -> bool:
        if not facts.annual_revenue.is_positive():
            return True
        burden = Decimal(facts.existing_debt.fen + facts.requested.fen) / Decimal(facts.annual_revenue.fen)
        return burden > policy.max_debt_to_revenue


POLICY_RULES: tuple[PolicyRule, ...] = (IdentityMustBeVerified(), ApplicantAgeMustBeWithinBounds(),
                                        ApplicantMustNotBeBlacklisted(), NoCourtRecordMayStandAgainstTheApplicant(),
                                        NoRepaymentMayBeOverdueNow(),
                                        BusinessMustBeOldEnough(), DebtToRevenueMustBeBearable())


def knock_outs(facts: CreditFacts, policy: CreditPolicy, today: date) -> list[str]:
    return [rule.code for rule in POLICY_RULES if rule.failed(facts, policy, today)]


@dataclass(frozen=True)
class CreditTerms:
    credit_limit: Money
    annual_rate: Decimal
    apr: Decimal


def terms_for(grade: str, facts: CreditFacts, product: Product, policy: CreditPolicy) -> CreditTerms | None:
    """None when the capacity is below the product's minimum line."""
    share, rate = product.revenue_share_for(grade), product.rate_for(grade)  # the product's grid
    if share is None or rate is None:
        return None
    capacity = Money.from_decimal_fen(Decimal(facts.annual_revenue.fen) * share) - facts.existing_debt
    line = min(capacity, facts.requested, product.max_line)
    line = Money(line.fen - line.fen % 10_000)  # whole hundreds of yuan, rounded down
    if line < product.min_line:
        return None
    rate = min(max(rate, product.min_rate), product.max_rate, policy.legal_rate_cap)
    return CreditTerms(line, rate, apr=rate)



EXPOSURE_CAP_REACHED = "EXPOSURE_CAP_REACHED"
LIMIT_CAPPED_BY_EXPOSURE = "LIMIT_CAPPED_BY_EXPOSURE"


def within_exposure(limit: Money, other_limits: Money, cap: Money, product: Product) -> tuple[Money | None, str | None]:
    """One cap on a borrower's lines together (a setting): the new line is what is left of it, in whole hundreds
    of yuan (and says so), or none when less than the product's smallest line is left."""
    room = Money(max(0, cap.fen - other_limits.fen))
    if limit <= room:
        return limit, None
    room = Money(room.fen - room.fen % 10_000)
    if room < product.min_line:
        return None, EXPOSURE_CAP_REACHED
    return room, LIMIT_CAPPED_BY_EXPOSURE
