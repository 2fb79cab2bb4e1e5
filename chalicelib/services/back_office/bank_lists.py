"""The bank's own lists about identities, which origination and review read: the internal risk list (an ID number
on it fails the credit policy) and the staff register (an officer never decides the application of the person
she is, under any login). The bank's operations fill them (``python -m chalicelib.ops``, docs/operators);
each entry is the ID number's keyed hash, never the number, and each act is in the officers' audit trail."""

from __future__ import annotations

from typing import Protocol

from ...domain import events as ev
from ...domain.errors import ValidationError
from ...domain.events import DomainEvent
from ...domain.identity import id_number_problems, normalise_id_number
from ...ports import Clock, FieldCipher, IdentityRegister, LendingRepository


class BankListPorts(Protocol):
    """The ports the bank lists use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    clock: Clock
    identities: IdentityRegister
    repo: LendingRepository


def _hash_of(deps: BankListPorts, id_number: str) -> str:
    problems, _ = id_number_problems(id_number)
    if problems:  # a typo would list nobody, silently
        raise ValidationError("the ID number is not a valid one", {"field": "id_number", "problems": problems})
    return deps.cipher.keyed_hash(normalise_id_number(id_number))


def add_to_risk_list(deps: BankListPorts, operator_id: str, id_number: str, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("say why the identity is listed", {"field": "reason"})
    deps.repo.add_to_blacklist(_hash_of(deps, id_number), reason.strip())
    deps.repo.record_staff_action(DomainEvent(ev.RISK_LIST_ENTRY_ADDED, "risk-list", ev.officer_actor(operator_id),
                                              {"reason": reason.strip()}, occurred_at=deps.clock.now()))


def register_staff(deps: BankListPorts, operator_id: str, officer_id: str, id_number: str) -> None:
    if not officer_id.strip():
        raise ValidationError("name the officer's login", {"field": "officer_id"})
    deps.identities.register_staff(officer_id.strip(), _hash_of(deps, id_number))
    deps.repo.record_staff_action(DomainEvent(ev.STAFF_IDENTITY_REGISTERED, officer_id.strip(),
                                              ev.officer_actor(operator_id), {}, occurred_at=deps.clock.now()))
