"""Face Liveness: the app runs Rekognition's liveness check against a session this service creates, then asks
for the result. The app learns PASS, RETRY or FAIL only; at most five failures in three minutes per applicant.
Biometric processing needs the BIOMETRIC consent in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..domain.application import ApplicationStatus, LoanApplication
from ..domain.errors import (
    ConcurrentModificationError,
    ConsentRequiredError,
    InvalidTransitionError,
    LivenessLockedError,
    NotFoundError,
)
from ..domain.face import FacePolicy, liveness_locked, liveness_verdict
from .deps import Dependencies
from .origination import owned_application

T = TypeVar("T")
_ATTEMPTS = 3


def _ready_for_biometrics(deps: Dependencies, app: LoanApplication) -> None:
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


def start_session(deps: Dependencies, customer_id: str, application_id: str) -> str:
    return _retrying_conflicts(lambda: _start_session(deps, customer_id, application_id))


def session_result(deps: Dependencies, customer_id: str, application_id: str, session_id: str) -> str:
    return _retrying_conflicts(lambda: _session_result(deps, customer_id, application_id, session_id))


def _start_session(deps: Dependencies, customer_id: str, application_id: str) -> str:
    app = owned_application(deps, customer_id, application_id)
    _ready_for_biometrics(deps, app)
    if liveness_locked(list(app.liveness_failures), deps.clock.now(), FacePolicy()):
        raise LivenessLockedError("too many attempts: try again in a few minutes")
    session_id = deps.faces.start_liveness(request_token=f"{application_id}-{len(app.liveness_failures)}")
    app.liveness_session_id = session_id
    app.record("LivenessSessionStarted", f"customer:{customer_id}")
    deps.repo.save_application(app)
    return session_id


def _session_result(deps: Dependencies, customer_id: str, application_id: str, session_id: str) -> str:
    app = owned_application(deps, customer_id, application_id)
    _ready_for_biometrics(deps, app)
    if session_id != app.liveness_session_id:
        raise NotFoundError("liveness session not found")
    now = deps.clock.now()
    status, confidence = deps.faces.liveness_confidence(session_id)
    if status != "SUCCEEDED":
        raise InvalidTransitionError("the liveness check has not finished", {"status": status})
    outcome = liveness_verdict(confidence, list(app.liveness_failures), now, FacePolicy())
    if outcome == "PASS":
        app.liveness_passed_at = now
    else:
        app.liveness_failures = (*app.liveness_failures, now)
    app.liveness_session_id = None  # a session is used once
    app.record("LivenessChecked", f"customer:{customer_id}", {"outcome": outcome})  # never the score
    deps.repo.save_application(app)
    return outcome
