"""The customer the bank already knows: her record read by her mobile-banking login, shown to her masked, and the
facts an application takes from it instead of asking (name, phone, the business where the bank knows it, one of
her own accounts for the payout). A login the bank has no record of applies as a customer new to the bank."""

from __future__ import annotations

from typing import Protocol

from ...domain.application import BankCustomerLink, BusinessDetails
from ...domain.customer_record import BankAccount, CustomerRecord, PreApproval
from ...domain.errors import CustomerRecordNotFoundError, ValidationError
from ...domain.identity import normalise_id_number
from ...domain.money import Money
from ...ports import CustomerRecords, FieldCipher, LendingRepository


class KnownCustomerPorts(Protocol):
    """The ports the known customer's use cases touch, and no other."""

    cipher: FieldCipher
    customer_records: CustomerRecords
    repo: LendingRepository


def record_of(deps: KnownCustomerPorts, login: str) -> CustomerRecord | None:
    """The record of the signed-in login, or None: she is new to the bank. The login comes from the verified
    token only: no request names the customer whose record is read."""
    return deps.customer_records.record_of_login(login)


def profile(deps: KnownCustomerPorts, login: str) -> tuple[CustomerRecord, PreApproval | None]:
    record = record_of(deps, login)
    if record is None:
        raise CustomerRecordNotFoundError("the bank has no record of this login: apply with your details")
    return record, deps.repo.pre_approval_of(record.customer_number)


def unknown_account() -> ValidationError:
    """Another customer's account id, an id that is no account at all, or an id from someone the bank has no
    record of: all answer the same (nothing says which accounts exist)."""
    return ValidationError("no account of yours at the bank has this id", {"field": "payout_account_id"},
                           code="PAYOUT_ACCOUNT_UNKNOWN")


def own_payout_account(record: CustomerRecord, account_id: str) -> BankAccount:
    """One of her own accounts that can receive a loan."""
    account = record.own_account(account_id)
    if account is None:
        raise unknown_account()
    if not account.can_receive_payout:
        raise ValidationError("this account cannot receive a loan: choose an active type I account",
                              {"field": "payout_account_id", "account_class": account.account_class,
                               "status": account.status}, code="PAYOUT_ACCOUNT_CANNOT_RECEIVE")
    return account


def link_of(deps: KnownCustomerPorts, record: CustomerRecord, payout_account_id: str | None,
            details_from_record: bool) -> BankCustomerLink:
    return BankCustomerLink(record.customer_number, deps.cipher.keyed_hash(normalise_id_number(record.id_number)),
                            payout_account_id, details_from_record)


def business_of(record: CustomerRecord) -> BusinessDetails | None:
    b = record.business
    return None if b is None else BusinessDetails(b.name, b.registration_no, b.years_in_business,
                                                  Money(b.annual_revenue_fen))
