"""Face Liveness: the app runs Rekognition's liveness check against a session this service creates, then asks
for the result. The app learns PASS, RETRY or FAIL only. Five failures in a row lock the face step for 30
minutes (each further lockout twice as long), and at most ten sessions start per application in 24 hours.
Biometric processing needs the BIOMETRIC consent in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from ...domain import events as ev
from ...domain.application import ApplicationStatus, LoanApplication
from ...domain.errors import (
    ConcurrentModificationError,
    ConsentRequiredError,
    InvalidTransitionError,
    LivenessLockedError,
    LivenessSessionLimitError,
    NotFoundError,
)
from ...domain.face import FacePolicy, liveness_outcome
from ...ports import Clock, DocumentStore, FaceService, LendingRepository
from .origination import owned_application


class LivenessPorts(Protocol):
    """The ports the liveness use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    clock: Clock
    documents: DocumentStore
    faces: FaceService
    repo: LendingRepository


T = TypeVar("T")
_ATTEMPTS = 3


def _ready_for_biometrics(deps: LivenessPorts, app: LoanApplication) -> None:
    if not app.has_consent("BIOMETRIC"):
        raise ConsentRequiredError("biometric processing needs your consent", {"kind": "BIOMETRIC"})
    if app.status is not ApplicationStatus.DRAFT:
        raise InvalidTransitionError("liveness is checked before submission", {"status": app.status.value})


def _retrying_conflicts(command: Callable[[], T]) -> T:
    """A customer's command races with background updates of the same application (document events, workflow
    steps); on a conflict it is simply run again on the fresh state, rather than failing the customer's tap."""
    for _ in range(_ATTEMPTS - 1):
        try:
            return command()
        except ConcurrentModificationError:
            continue
    return command()


def start_session(deps: LivenessPorts, customer_id: str, application_id: str) -> str:
    return _retrying_conflicts(lambda: _start_session(deps, customer_id, application_id))


def session_result(deps: LivenessPorts, customer_id: str, application_id: str, session_id: str) -> str:
    return _retrying_conflicts(lambda: _session_result(deps, customer_id, application_id, session_id))


def _start_session(deps: LivenessPorts, customer_id: str, application_id: str) -> str:
    app = owned_application(deps.repo, customer_id, application_id)
    _ready_for_biometrics(deps, app)
    now, policy = deps.clock.now(), FacePolicy()
    if app.liveness.locked(now):
        assert app.liveness.locked_until is not None
        raise LivenessLockedError("too many failed attempts: try again later",
                                  {"retry_after_seconds": int((app.liveness.locked_until - now).total_seconds())})
    if not app.liveness.may_start_session(now, policy):
        raise LivenessSessionLimitError("too many face checks started today: try again tomorrow")
    session_id = deps.faces.start_liveness(request_token=f"{application_id}-{app.version}")
    app.liveness = app.liveness.session_started(now, policy)
    app.liveness_session_id = session_id
    app.record(ev.LIVENESS_SESSION_STARTED, f"customer:{customer_id}")
    deps.repo.save_application(app)
    return session_id


def _session_result(deps: LivenessPorts, customer_id: str, application_id: str, session_id: str) -> str:
    app = owned_application(deps.repo, customer_id, application_id)
    _ready_for_biometrics(deps, app)
    if session_id != app.liveness_session_id:
        raise NotFoundError("liveness session not found")
    now = deps.clock.now()
    result = deps.faces.liveness_result(session_id)
    if result.status != "SUCCEEDED":
        raise InvalidTransitionError("the liveness check has not finished", {"status": result.status})
    # without a frame of the live face there is nothing to compare with the card: that attempt does not pass
    confidence = result.confidence if result.reference_image else 0.0
    outcome, app.liveness = liveness_outcome(app.liveness, confidence, now, FacePolicy())
    if outcome == "PASS":
        assert result.reference_image is not None
        key = f"liveness/{application_id}/{session_id}"  # outside applications/: no upload event fires
        app.liveness_reference = (key, deps.documents.put_liveness_reference(key, result.reference_image))
        app.liveness_passed_at = now
    app.liveness_session_id = None  # a session is used once
    app.record(ev.LIVENESS_CHECKED, f"customer:{customer_id}", {"outcome": outcome})  # never the score
    deps.repo.save_application(app)
    return outcome
