"""The back office: risk officers see referred applications (masked) and decide. The decision is saved on the
application (audited, with the officer's id) before the waiting workflow is resumed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.application import ApplicationStatus, DecisionOutcome, LoanApplication
from ...domain.errors import (
    ComplianceOfficerRequiredError,
    ConflictOfInterestError,
    InvalidTransitionError,
    NotFoundError,
    SecondOfficerRequiredError,
    ValidationError,
)
from ...domain.known_risks import COMPLIANCE_REASONS
from ...domain.money import Money
from ...domain.products import PRODUCTS, clamp_line
from ...ports import Clock, FieldCipher, IdentityRegister, LendingRepository, Workflow
from ...settings import Settings
from ..origination.origination import _resume_quietly


class ReviewPorts(Protocol):
    """The ports the review use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    clock: Clock
    identities: IdentityRegister
    repo: LendingRepository
    settings: Settings
    workflow: Workflow


def pending_reviews(deps: ReviewPorts, limit: int = 100) -> list[LoanApplication]:
    return deps.repo.applications_with_status(ApplicationStatus.UNDER_REVIEW, limit)


def _no_conflict_of_interest(deps: ReviewPorts, officer_id: str, app: LoanApplication) -> None:
    """An officer never decides her own application: the same login, or the same ID number (staff register)."""
    own_hash = deps.identities.staff_identity(officer_id)
    applicant_hash = app.identity.id_number_hash if app.identity else ""
    if officer_id == app.customer_id or (own_hash and own_hash == applicant_hash):
        app.record(ev.CONFLICT_OF_INTEREST_REFUSED, f"officer:{officer_id}")
        deps.repo.save_application(app)
        raise ConflictOfInterestError("an officer may not decide an application whose applicant is herself")


def reveal(deps: ReviewPorts, officer_id: str, application_id: str, field: str, reason: str) -> str:
    """An officer sees masked values; the full one is a separate act with a reason, written to the audit trail
    (officer, field, reason - never the value) before it is returned."""
    try:
        app = deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None
    if field == "ID_NUMBER":
        front = next((d for d in deps.repo.documents_of(application_id)
                      if d.doc_type == "ID_CARD_FRONT" and "id_number_sealed" in d.fields), None)
        if front is None:
            raise NotFoundError("no ID number was read for this application")
        value = deps.cipher.decrypt(front.fields["id_number_sealed"], application_id)
    else:
        value = app.applicant_phone if field == "PHONE" else app.payout_account_no
    app.record(ev.PERSONAL_DATA_REVEALED, f"officer:{officer_id}", {"field": field, "reason": reason})
    deps.repo.save_application(app)
    return value


def decide(deps: ReviewPorts, officer_id: str, application_id: str, outcome: str, comment: str,
           credit_limit: Money | None, compliance_officer: bool = False) -> LoanApplication:
    """A risk officer's decision on a referred application; one held by a sanctions or watch-list hit is a
    compliance officer's (``compliance_officer``: the officer is in the compliance group)."""
    try:
        app = deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None
    if app.status is not ApplicationStatus.UNDER_REVIEW or app.task_token is None:
        raise InvalidTransitionError("the application is not waiting for a review", {"status": app.status.value})
    if app.decision is None:
        raise InvalidTransitionError("the application has no system decision to review")
    if COMPLIANCE_REASONS & set(app.decision.reason_codes) and not compliance_officer:
        raise ComplianceOfficerRequiredError("a sanctions or watch-list hit, or a beneficial owner who is not the "
                                             "applicant, is decided by a compliance officer")
    _no_conflict_of_interest(deps, officer_id, app)
    if app.first_approval is not None and app.first_approval["officer"] == officer_id:
        # the maker of a pending first approval never decides it herself - not with a lower line under the
        # threshold, not by declining: the application waits for a second, different officer
        raise SecondOfficerRequiredError("a second, different risk officer must decide this application",
                                         {"threshold_fen": deps.settings.dual_approval_above_fen})
    product = PRODUCTS[app.product_code]
    details: dict[str, Any] = {"outcome": outcome, "officer": officer_id, "comment_length": len(comment)}
    if outcome == "APPROVE":
        proposed = app.decision.credit_limit or clamp_line(app.requested_amount, product)
        limit = proposed if credit_limit is None else credit_limit
        if limit > proposed:
            raise ValidationError("an officer may lower the proposed line, not raise it",
                                  {"proposed_fen": proposed.fen})
        if limit != clamp_line(limit, product):
            raise ValidationError("the line must be whole hundreds of yuan within the product's bounds",
                                  {"min_fen": product.min_line.fen, "max_fen": product.max_line.fen})
        details["credit_limit_fen"] = limit.fen
        if limit.fen > deps.settings.dual_approval_above_fen:
            first = app.first_approval
            if first is None:  # maker: recorded, the workflow keeps waiting for a checker
                app.first_approval = {"officer": officer_id, "credit_limit_fen": limit.fen,
                                      "at": deps.clock.now().isoformat()}
                app.record(ev.FIRST_APPROVAL_RECORDED, f"officer:{officer_id}", {**details, "comment": comment})
                deps.repo.save_application(app)
                return app
            limit = Money(min(limit.fen, int(first["credit_limit_fen"])))  # the checker never raises the maker's line
            details.update(credit_limit_fen=limit.fen, first_officer=first["officer"])
        app.decision = replace(app.decision, outcome=DecisionOutcome.APPROVE, credit_limit=limit,
                               annual_rate=app.decision.annual_rate or Decimal("0.0720"), decided_by=officer_id)
    else:
        app.decision = replace(app.decision, outcome=DecisionOutcome.DECLINE, credit_limit=None,
                               decided_by=officer_id)
    app.record(ev.REVIEW_DECIDED, f"officer:{officer_id}", {**details, "comment": comment})
    token = app.release_task_token()
    deps.repo.save_application(app)
    assert token is not None
    _resume_quietly(deps.workflow, token, {"outcome": outcome})
    return app
