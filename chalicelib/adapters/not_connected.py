"""What every stage but ``local`` gets for an outside party the bank has not connected yet: the core banking system,
the credit bureau, the tax data source, the bank-card four-element check, the customer information system. Each
refuses plainly, in the domain's own error, so that no simulator can ever stand in for a real payout, a real credit
decision or a real account check (the simulators live beside the adapters they imitate and are wired on the local
stage only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from ..domain.customer_record import CustomerRecord
from ..domain.errors import (
    AccountVerificationUnavailableError,
    BureauReportingUnavailableError,
    CreditDataUnavailableError,
    CustomerRecordsUnavailableError,
    DisbursementRefusedError,
    RepaymentRefusedError,
)
from ..domain.money import Money
from ..ports import AccountCheck, AccountVerifier, CoreBanking, CreditBureau, CustomerRecords, TaxAuthority
from ..ports.bureau_reporting import BureauReportingIntake


class NotConnectedCoreBanking(CoreBanking):
    """What every stage but ``local`` gets until the bank's core is connected: a simulator must never stand
    in for real payouts. Refusing definitively (before any money could move) lets the workflow release the
    reservation, so a customer's line is never left blocked."""

    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        raise DisbursementRefusedError("core banking is not connected on this stage",
                                       {"core_code": "CORE_NOT_CONNECTED"})

    def outcome(self, drawdown_id: str) -> str | None:
        return None

    def statement(self) -> list[dict[str, Any]]:
        return []

    def collect(self, repayment_id: str, account_no: str, amount: Money) -> str:
        raise RepaymentRefusedError("core banking is not connected on this stage",
                                    {"core_code": "CORE_NOT_CONNECTED"})

    def collection_outcome(self, repayment_id: str) -> str | None:
        return None


class NotConnectedBureau(CreditBureau):
    """Every stage but ``local`` until the bank's bureau connection exists: a simulator must never decide a real
    customer's credit. The workflow retries, then records the application as failed (CONTACT_BANK)."""

    def report(self, id_number: str) -> dict[str, Any] | None:
        raise CreditDataUnavailableError("the credit bureau is not connected on this stage")


class NotConnectedTaxAuthority(TaxAuthority):
    def monthly_figures(self, registration_no: str, declared_annual_revenue: Money) -> list[dict[str, Any]]:
        raise CreditDataUnavailableError("the tax data source is not connected on this stage")


class NotConnectedAccountVerifier(AccountVerifier):
    def verify(self, name: str, id_number: str, account_no: str, phone: str) -> AccountCheck:
        raise AccountVerificationUnavailableError("account verification is not connected on this stage",
                                                  {"service": "BANK_CARD_FOUR_ELEMENTS"})


class NotConnectedCustomerRecords(CustomerRecords):
    """Every read refuses before anything is recorded: an application, a profile or a drawdown that needs the
    bank's record answers 503 CUSTOMER_RECORDS_UNAVAILABLE, never as if the customer were new to the bank."""

    def _refuse(self) -> Any:
        raise CustomerRecordsUnavailableError("the customer information system is not connected on this stage",
                                              {"service": "CUSTOMER_INFORMATION_SYSTEM"})

    def record_of_login(self, login: str) -> CustomerRecord | None:
        return self._refuse()

    def record(self, customer_number: str) -> CustomerRecord | None:
        return self._refuse()

    def customer_numbers(self, segment: int, segments: int) -> Iterator[str]:
        return self._refuse()

    def note_id_card_expiry(self, customer_number: str, valid_until: date | None) -> None:
        self._refuse()


class NotConnectedBureauIntake(BureauReportingIntake):
    """No report is claimed, written or told to anyone where the bureau's intake is not connected: 503
    BUREAU_REPORTING_UNAVAILABLE first."""

    def check_connected(self) -> None:
        raise BureauReportingUnavailableError("the credit bureau's reporting intake is not connected on this stage",
                                              {"service": "CREDIT_BUREAU_REPORTING"})

    def submit(self, reporting_date: date, body: bytes, sha256: str) -> str:
        self.check_connected()
        raise AssertionError("unreachable")
