"""Face checks: the selfie's quality gate, the selfie-to-ID-portrait match and liveness, as policy over numbers
the face service returns. The app is only ever told PASS, RETRY or FAIL - never a score - so the thresholds
cannot be probed from the phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class DetectedFace:
    confidence: float
    yaw: float
    pitch: float
    sunglasses: bool
    sharpness: float
    brightness: float


@dataclass(frozen=True)
class FacePolicy:
    match_threshold: float = 95.0  # CompareFaces similarity for a pass
    review_floor: float = 80.0  # between this and the threshold a risk officer looks
    liveness_threshold: float = 90.0
    max_pose_degrees: float = 25.0
    min_sharpness: float = 20.0
    min_brightness: float = 20.0
    max_failed_liveness: int = 5
    liveness_window: timedelta = timedelta(minutes=3)


def selfie_problems(faces: list[DetectedFace], policy: FacePolicy) -> list[str]:
    if not faces:
        return ["NO_FACE"]
    if len(faces) > 1:
        return ["MULTIPLE_FACES"]
    face = faces[0]
    problems = []
    if abs(face.yaw) > policy.max_pose_degrees or abs(face.pitch) > policy.max_pose_degrees:
        problems.append("FACE_NOT_FRONTAL")
    if face.sunglasses:
        problems.append("SUNGLASSES")
    if face.sharpness < policy.min_sharpness:
        problems.append("FACE_BLURRY")
    if face.brightness < policy.min_brightness:
        problems.append("TOO_DARK")
    return problems


def match_verdict(similarity: float | None, policy: FacePolicy) -> tuple[str, tuple[str, ...]]:
    """similarity None: no face matched at all."""
    if similarity is not None and similarity >= policy.match_threshold:
        return "PASS", ()
    if similarity is not None and similarity >= policy.review_floor:
        return "REVIEW", ("FACE_MATCH_BORDERLINE",)
    return "FAIL", ("FACE_MISMATCH",)


def liveness_verdict(confidence: float, recent_failures: list[datetime], now: datetime,
                     policy: FacePolicy) -> str:
    """PASS, RETRY (another attempt is allowed) or FAIL (too many failures in the window)."""
    if confidence >= policy.liveness_threshold:
        return "PASS"
    failures = [t for t in recent_failures if now - t < policy.liveness_window]
    return "FAIL" if len(failures) + 1 >= policy.max_failed_liveness else "RETRY"


def liveness_locked(recent_failures: list[datetime], now: datetime, policy: FacePolicy) -> bool:
    return len([t for t in recent_failures if now - t < policy.liveness_window]) >= policy.max_failed_liveness
