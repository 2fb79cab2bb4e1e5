"""Identity verified in person (人脸识别技术应用安全管理办法, in force since 2025-06-01: a customer who does not
agree to her face being processed is offered another way). She applied without the biometric consent; her card
was read and checked as any other; the workflow waits until an officer who saw her and her card - in a branch or
on a video call - records the outcome: verified, and the application goes on to credit; not verified, and it is
declined with that reason."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from ...domain import events as ev
from ...domain.application import ApplicationStatus, LoanApplication
from ...domain.errors import InvalidTransitionError, NotFoundError, ValidationError
from ...ports import Clock, FieldCipher, IdentityRegister, LendingRepository, Workflow
from ...settings import Settings
from ..origination.origination import _resume_quietly
from .review import _no_conflict_of_interest

CHANNELS = ("BRANCH", "VIDEO")


class InPersonPorts(Protocol):
    cipher: FieldCipher
    clock: Clock
    identities: IdentityRegister
    repo: LendingRepository
    settings: Settings
    workflow: Workflow


def waiting(deps: InPersonPorts) -> list[LoanApplication]:
    """The applications waiting for a person to verify the applicant, oldest first."""
    return [a for a in deps.repo.applications_with_status(ApplicationStatus.SUBMITTED, limit=0) if a.waiting_in_person]


def record(deps: InPersonPorts, officer_id: str, application_id: str, verified: bool, channel: str, branch: str,
           comment: str) -> LoanApplication:
    try:
        app = deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None
    if not app.waiting_in_person:
        raise InvalidTransitionError("the application is not waiting for an in-person verification",
                                     {"status": app.status.value})
    if channel not in CHANNELS:
        raise ValidationError("a branch or a video call", {"field": "channel", "allowed": list(CHANNELS)})
    if len(branch.strip()) < 2 or len(comment.strip()) < 4:
        raise ValidationError("name the branch and say what was checked", {"field": "branch"})
    _no_conflict_of_interest(deps, officer_id, app)  # (an officer never verifies herself)
    now = deps.clock.now()
    app.in_person = {"outcome": "VERIFIED" if verified else "NOT_VERIFIED", "officer": officer_id,
                     "channel": channel, "branch": branch.strip(), "at": now.isoformat()}
    app.record(ev.IN_PERSON_VERIFICATION_RECORDED, ev.officer_actor(officer_id),
               {**app.in_person, "comment": comment.strip()})
    if not verified and app.identity is not None:  # the reason the decline will give
        app.identity = replace(app.identity, verdict="FAIL",
                               reason_codes=(*app.identity.reason_codes, "IN_PERSON_NOT_VERIFIED"))
    token = app.release_task_token()
    deps.repo.save_application(app)
    assert token is not None
    if verified:
        _resume_quietly(deps.workflow, token, {"verified": True, "channel": channel})
    else:
        deps.workflow.fail(token, "IdentityNotVerifiedError", "IN_PERSON_NOT_VERIFIED")
    return app
