"""Face checks: the selfie's quality gate, the selfie-to-ID-portrait match and liveness, as policy over numbers
the face service returns. The app is only ever told PASS, RETRY or FAIL - never a score - so the thresholds
cannot be probed from the phone."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
class LivenessResult:
    """A finished Face Liveness session: its status, the confidence that a live person was there, and the
    reference image - a frame of that live face, the one compared with the ID card's portrait."""

    status: str
    confidence: float
    reference_image: bytes | None


@dataclass(frozen=True)
class FacePolicy:
    match_threshold: float = 95.0  # CompareFaces similarity for a pass
    review_floor: float = 80.0  # between this and the threshold a risk officer looks
    liveness_threshold: float = 90.0
    max_pose_degrees: float = 25.0
    min_sharpness: float = 20.0
    min_brightness: float = 20.0
    max_failed_liveness: int = 5  # failures in a row before the face step locks
    liveness_lockout: timedelta = timedelta(minutes=30)  # the first lockout; each further one lasts twice as long
    max_liveness_sessions: int = 10  # session starts per application in any 24 hours
    liveness_session_period: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class LivenessAttempts:
    """An applicant's liveness history: failures since the last lockout, the lockout in force, how many there
    were, and when sessions were started (for the daily cap). A lockout ends; it does not refill like a sliding
    window, and each one lasts longer than the last, so guessing is slow and gets slower."""

    failures: tuple[datetime, ...] = ()
    locked_until: datetime | None = None
    lockouts: int = 0
    session_starts: tuple[datetime, ...] = ()

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def may_start_session(self, now: datetime, policy: FacePolicy) -> bool:
        recent = [t for t in self.session_starts if now - t < policy.liveness_session_period]
        return len(recent) < policy.max_liveness_sessions

    def session_started(self, now: datetime, policy: FacePolicy) -> LivenessAttempts:
        recent = tuple(t for t in self.session_starts if now - t < policy.liveness_session_period)
        return replace(self, session_starts=(*recent, now))

    def passed(self) -> LivenessAttempts:
        return replace(self, failures=())

    def failed(self, now: datetime, policy: FacePolicy) -> LivenessAttempts:
        failures = (*self.failures, now)
        if len(failures) < policy.max_failed_liveness:
            return replace(self, failures=failures)
        return replace(self, failures=(), lockouts=self.lockouts + 1,
                       locked_until=now + policy.liveness_lockout * (2 ** self.lockouts))


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


def match_verdict(similarity: float | None, policy: FacePolicy,
                  codes: tuple[str, str] = ("FACE_MATCH_BORDERLINE", "FACE_MISMATCH")) -> tuple[str, tuple[str, ...]]:
    """similarity None: no face matched at all. ``codes``: the reason codes for a borderline and a failed match."""
    if similarity is not None and similarity >= policy.match_threshold:
        return "PASS", ()
    if similarity is not None and similarity >= policy.review_floor:
        return "REVIEW", (codes[0],)
    return "FAIL", (codes[1],)


def match_band(similarity: float | None, policy: FacePolicy) -> str:
    """What an officer is shown of a face comparison: the band of the policy it fell in, never the score (a score
    would teach anyone who sees it how close a forgery came)."""
    if similarity is None:
        return "NO_FACE"
    if similarity >= policy.match_threshold:
        return "MATCH"
    return "BORDERLINE" if similarity >= policy.review_floor else "LOW"


def live_face_verdict(live_vs_portrait: float | None, live_vs_selfie: float | None,
                      policy: FacePolicy) -> tuple[str, tuple[str, ...]]:
    """The face that passed liveness must be the card's (FACE_*), and the uploaded selfie must be that same live
    face (SELFIE_*): otherwise a live accomplice could pass liveness while a photo of the card holder matched the
    card. The worse verdict wins: FAIL over REVIEW over PASS; reasons from both."""
    card = match_verdict(live_vs_portrait, policy)
    selfie = match_verdict(live_vs_selfie, policy, ("SELFIE_MATCH_BORDERLINE", "SELFIE_NOT_LIVE_FACE"))
    order = {"PASS": 0, "REVIEW": 1, "FAIL": 2}
    verdict = max(card[0], selfie[0], key=order.__getitem__)
    return verdict, card[1] + selfie[1]


def liveness_outcome(attempts: LivenessAttempts, confidence: float, now: datetime,
                     policy: FacePolicy) -> tuple[str, LivenessAttempts]:
    """PASS, RETRY (another attempt is allowed) or FAIL (this failure locked the face step), and the history
    after it."""
    if confidence >= policy.liveness_threshold:
        return "PASS", attempts.passed()
    after = attempts.failed(now, policy)
    return ("FAIL" if after.locked(now) else "RETRY"), after
