"""How a loan is repaid: the methods, the idempotency scopes of repayment records, early repayment's quote (whole
or part) and penalty interest on a late instalment. The schedule itself, and the schedule after a part
prepayment, are the loan's (loan.py); the services book what these decide (servicing/repayments.py for the
customer's repayment, auto_debit.py for the daily collection, repayment_booking.py for the ledger entries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import InstalmentDueError, ValidationError
from .loan import Instalment, Loan
from .money import Money
from .schedules import DAYS_PER_YEAR
from .schedules import rounded as _round

# Idempotency scopes of repayment records: a customer's keys and the system's collection ids live apart, so no
# key a customer chooses can ever stand for (and block) one the daily run will write.
SYSTEM_REPAYMENT_SCOPE = "system:auto-debit"


def customer_repayment_scope(customer_id: str) -> str:
    return f"customer:{customer_id}"


@dataclass(frozen=True)
class RepaymentQuote:
    loan_id: str
    as_of: date
    principal: Money
    interest: Money
    days: int

    @property
    def total(self) -> Money:
        return self.principal + self.interest


MIN_PREPAYMENT = Money(100_000)  # 1,000 yuan; a part prepayment is in whole hundreds of yuan, like a drawdown


def early_repayment_quote(loan: Loan, today: date, principal: Money | None = None) -> RepaymentQuote:
    """Early repayment of the whole outstanding principal (``principal`` None) or of a part of it: that principal
    plus the interest accrued on the whole outstanding principal since interest was last settled, at the daily
    rate annual / 360 for the actual days. Refused while an instalment is due and not collected: the auto-debit
    (or the overdue process) settles it first, so a quote never silently drops a due instalment."""
    assert loan.outstanding_principal is not None
    if loan.due_unpaid(today):
        raise InstalmentDueError("an instalment is due and not yet collected; repay it first",
                                 {"due_date": loan.due_unpaid(today)[0].due_date.isoformat()})
    if principal is None or principal == loan.outstanding_principal:
        principal = loan.outstanding_principal
    elif principal > loan.outstanding_principal:
        raise ValidationError("more than the outstanding principal",
                              {"outstanding_principal_fen": loan.outstanding_principal.fen})
    elif principal < MIN_PREPAYMENT or principal.fen % 10_000:
        raise ValidationError("a part prepayment is at least 1,000 yuan, in whole hundreds of yuan",
                              {"minimum_fen": MIN_PREPAYMENT.fen})
    since = loan.interest_settled_to()
    days = max(0, (today - since).days)
    interest = _round(Decimal(loan.outstanding_principal.fen) * loan.annual_rate * days / DAYS_PER_YEAR)
    return RepaymentQuote(loan.loan_id, today, principal, interest, days)


def default_interest(instalment: Instalment, annual_rate: Decimal, multiple: Decimal, days_late: int) -> Money:
    """Penalty interest (罚息) on a late instalment's principal: annual rate x multiple / 360 per day late."""
    return _round(Decimal(instalment.principal.fen) * annual_rate * multiple * days_late / DAYS_PER_YEAR)
