"""Face Liveness: the app runs Rekognition's liveness check against a session this service creates, then asks
for the result. The app learns PASS, RETRY or FAIL only; at most five failures in three minutes per applicant.
Biometric processing needs the BIOMETRIC consent in force."""

from __future__ import annotations

from ..domain.application import ApplicationStatus, LoanApplication
from ..domain.errors import (
    ConsentRequiredError,
    InvalidTransitionError,
    LivenessLockedError,
    NotFoundError,
)
from ..domain.face import FacePolicy, liveness_locked, liveness_verdict
from .deps import Dependencies
from .origination import owned_application


def _ready_for_biometrics(deps: Dependencies, app: LoanApplication) -> None:
    if not app.has_consent("BIOMETRIC"):
        raise ConsentRequiredError("biometric processing needs your consent", {"kind": "BIOMETRIC"})
    if app.status is not ApplicationStatus.DRAFT:
        raise InvalidTransitionError("liveness is checked before submission", {"status": app.status.value})


def start_session(deps: Dependencies, customer_id: str, application_id: str) -> str:
    app = owned_application(deps, customer_id, application_id)
    _ready_for_biometrics(deps, app)
    if liveness_locked(list(app.liveness_failures), deps.clock.now(), FacePolicy()):
        raise LivenessLockedError("too many attempts: try again in a few minutes")
    session_id = deps.faces.start_liveness(request_token=f"{application_id}-{len(app.liveness_failures)}")
    app.liveness_session_id = session_id
    app.record("LivenessSessionStarted", f"customer:{customer_id}")
    deps.repo.save_application(app)
    return session_id


def session_result(deps: Dependencies, customer_id: str, application_id: str, session_id: str) -> str:
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
