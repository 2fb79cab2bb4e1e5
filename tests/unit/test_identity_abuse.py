"""Abuse of the identity and signing steps, over in-memory fakes: each test is the attack it prevents."""

import pytest

from chalicelib.domain.errors import LivenessLockedError, LivenessSessionLimitError
from chalicelib.domain.events import DomainEvent
from chalicelib.ports import DocumentRecord
from chalicelib.services.deps import Dependencies
from chalicelib.services.origination import liveness
from tests.unit.test_services import new_application


def _fail_liveness(deps: Dependencies, app_id: str, times: int) -> list[str]:
    deps.faces.liveness = 10.0  # type: ignore[attr-defined]
    outcomes = []
    for _ in range(times):
        session = liveness.start_session(deps, "alice", app_id)
        outcomes.append(liveness.session_result(deps, "alice", app_id, session))
    return outcomes


def test_five_failed_liveness_checks_lock_the_face_step_for_thirty_minutes_not_three(
        memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    assert _fail_liveness(memory_deps, app_id, 5) == ["RETRY"] * 4 + ["FAIL"]
    memory_deps.clock.advance(minutes=3)  # type: ignore[attr-defined]  # a sliding window would refill here
    with pytest.raises(LivenessLockedError):
        liveness.start_session(memory_deps, "alice", app_id)
    memory_deps.clock.advance(minutes=27)  # type: ignore[attr-defined]  # the lockout ends
    memory_deps.faces.liveness = 97.0  # type: ignore[attr-defined]
    session = liveness.start_session(memory_deps, "alice", app_id)
    assert liveness.session_result(memory_deps, "alice", app_id, session) == "PASS"


def test_each_further_lockout_lasts_twice_as_long(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    _fail_liveness(memory_deps, app_id, 5)
    memory_deps.clock.advance(hours=24)  # type: ignore[attr-defined]  # (a new day: the session cap is not the limit)
    assert _fail_liveness(memory_deps, app_id, 5)[-1] == "FAIL"
    memory_deps.clock.advance(minutes=59)  # type: ignore[attr-defined]
    with pytest.raises(LivenessLockedError):
        liveness.start_session(memory_deps, "alice", app_id)
    memory_deps.clock.advance(minutes=1)  # type: ignore[attr-defined]
    liveness.start_session(memory_deps, "alice", app_id)


def test_liveness_sessions_are_capped_per_day_even_when_never_finished(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    for _ in range(10):  # each start costs the bank a Rekognition session; none is ever finished
        liveness.start_session(memory_deps, "alice", app_id)
    with pytest.raises(LivenessSessionLimitError):
        liveness.start_session(memory_deps, "alice", app_id)
    memory_deps.clock.advance(hours=24)  # type: ignore[attr-defined]
    liveness.start_session(memory_deps, "alice", app_id)


# ---- one-time codes ---------------------------------------------------------------------------------------
def _accepted(deps: Dependencies) -> str:
    from chalicelib.services.origination import origination
    from tests.unit.test_services import offered

    app_id = offered(deps)
    origination.accept_offer(deps, "alice", app_id)
    origination.send_signing_otp(deps, "alice", app_id)
    return app_id


def test_parallel_wrong_guesses_each_count_and_then_the_right_code_is_refused(memory_deps: Dependencies) -> None:
    import threading

    from chalicelib.domain.errors import OtpAttemptsExceededError, OtpInvalidError
    from chalicelib.services.origination import origination
    from tests.unit.test_services import last_otp

    app_id = _accepted(memory_deps)
    real = last_otp(memory_deps)
    guesses = [f"{n:06d}" for n in range(12) if f"{n:06d}" != real][:10]
    start, outcomes = threading.Barrier(len(guesses)), []

    def guess(code: str) -> None:
        start.wait()
        try:
            origination.sign_contract(memory_deps, "alice", app_id, code)
            outcomes.append("SIGNED")
        except (OtpInvalidError, OtpAttemptsExceededError) as err:
            outcomes.append(err.code)

    threads = [threading.Thread(target=guess, args=(g,)) for g in guesses]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["OTP_ATTEMPTS_EXCEEDED"] * 5 + ["OTP_INVALID"] * 5
    with pytest.raises(OtpAttemptsExceededError):
        origination.sign_contract(memory_deps, "alice", app_id, real)


def test_codes_cannot_be_resent_within_a_minute_nor_more_than_ten_a_day(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import OtpDailyLimitError, OtpResendTooSoonError
    from chalicelib.services.origination import origination

    app_id = _accepted(memory_deps)
    with pytest.raises(OtpResendTooSoonError) as soon:
        origination.send_signing_otp(memory_deps, "alice", app_id)
    assert 0 < soon.value.details["retry_after_seconds"] <= 61
    for _ in range(9):  # ten in all today
        memory_deps.clock.advance(seconds=61)  # type: ignore[attr-defined]
        origination.send_signing_otp(memory_deps, "alice", app_id)
    memory_deps.clock.advance(seconds=61)  # type: ignore[attr-defined]
    with pytest.raises(OtpDailyLimitError):
        origination.send_signing_otp(memory_deps, "alice", app_id)


def test_a_new_code_does_not_refill_the_guesses_of_a_locked_one_beyond_the_daily_cap(
        memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import OtpDailyLimitError, OtpInvalidError
    from chalicelib.services.origination import origination

    app_id = _accepted(memory_deps)
    wrong_guesses = 0
    for _ in range(12):
        for _ in range(5):
            try:
                origination.sign_contract(memory_deps, "alice", app_id, "000000")
                break
            except OtpInvalidError:
                wrong_guesses += 1
            except Exception:
                break
        memory_deps.clock.advance(seconds=61)  # type: ignore[attr-defined]
        try:
            origination.send_signing_otp(memory_deps, "alice", app_id)
        except OtpDailyLimitError:
            break
    assert wrong_guesses <= 50  # ten codes a day, five guesses each: 50 of a million per day at most


def test_submission_needs_the_phone_confirmed_by_sms(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import OtpInvalidError, PhoneNotVerifiedError
    from chalicelib.services.origination import origination
    from tests.unit.test_services import last_otp, read_documents

    app_id = new_application(memory_deps)
    for i, (doc, fields) in enumerate(read_documents(memory_deps, app_id).items()):
        read = DocumentRecord(app_id, doc, f"k{i}", 10, "e", memory_deps.clock.now(), "READ", (), fields)
        memory_deps.repo.record_document(read, DomainEvent("DocumentReceived", app_id, "t"))
    session = liveness.start_session(memory_deps, "alice", app_id)
    liveness.session_result(memory_deps, "alice", app_id, session)
    with pytest.raises(PhoneNotVerifiedError):
        origination.submit(memory_deps, "alice", app_id)
    origination.send_phone_code(memory_deps, "alice", app_id)
    code = last_otp(memory_deps)
    with pytest.raises(OtpInvalidError):
        origination.confirm_phone(memory_deps, "alice", app_id, "999999" if code != "999999" else "888888")
    assert origination.confirm_phone(memory_deps, "alice", app_id, code).phone_verified_at is not None
    assert origination.submit(memory_deps, "alice", app_id).status.value == "SUBMITTED"
    assert memory_deps.notifier.sent[0][2] == "PHONE_VERIFICATION"  # type: ignore[attr-defined]


# ---- one identity, one customer; velocity; officers ------------------------------------------------------------
def _id_number(sequence: int) -> str:
    """A valid number for 张三's card fields (Hangzhou, born 1 January 1990, male): odd sequence, MOD 11-2."""
    body = f"33010219900101{sequence * 2 + 1:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _identity_checked(deps: Dependencies, customer: str, phone: str = "13800138000",
                      device: str = "", id_number: str = "330102199001010012") -> str:
    """An application by ``customer`` with 张三's card read, liveness passed, phone confirmed, submitted, and its
    identity step run; returns the application id."""
    from chalicelib.domain.application import BusinessDetails
    from chalicelib.domain.due_diligence import DueDiligence
    from chalicelib.domain.errors import IdentityNotVerifiedError
    from chalicelib.domain.money import Money
    from chalicelib.services.origination import origination, origination_steps
    from tests.unit.test_services import ACCOUNT, ALL_CONSENTS, last_otp, read_documents

    cmd = origination.NewApplication(
        "INCLUSIVE_BUSINESS_LOAN", Money.yuan(50_000), "stock", ALL_CONSENTS, login=customer, applicant_name="张三",
        applicant_phone=phone, business=BusinessDetails("shop", "91330100MA2B3C4D5N", 3, Money.yuan(500_000)),
        payout_account_no=ACCOUNT, device_id=device, due_diligence=DueDiligence("日用百货零售", True))
    app_id = origination.create_application(deps, customer, cmd).application_id
    for i, (doc, fields) in enumerate(read_documents(deps, app_id, id_number=id_number).items()):
        read = DocumentRecord(app_id, doc, f"{app_id}-{i}", 10, "e", deps.clock.now(), "READ", (), fields)
        deps.repo.record_document(read, DomainEvent("DocumentReceived", app_id, "t"))
    session = liveness.start_session(deps, customer, app_id)
    liveness.session_result(deps, customer, app_id, session)
    origination.send_phone_code(deps, customer, app_id)
    origination.confirm_phone(deps, customer, app_id, last_otp(deps))
    origination.submit(deps, customer, app_id)
    try:
        origination_steps.verify_identity(deps, app_id)
    except IdentityNotVerifiedError:
        pass
    return app_id


def test_an_id_number_held_by_another_customer_is_refused(memory_deps: Dependencies) -> None:
    first = _identity_checked(memory_deps, "alice")
    assert memory_deps.repo.get_application(first).identity.verdict == "PASS"  # type: ignore[union-attr]
    second = _identity_checked(memory_deps, "mallory", phone="13900139000")  # the same card, another account
    identity = memory_deps.repo.get_application(second).identity
    assert identity is not None and (identity.verdict, identity.reason_codes) == (
        "FAIL", ("ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER",))
    again = _identity_checked(memory_deps, "alice", phone="13700137000")  # the holder herself may apply again
    assert memory_deps.repo.get_application(again).identity.verdict == "PASS"  # type: ignore[union-attr]


def test_one_phone_on_more_than_three_applications_in_thirty_days_is_referred(memory_deps: Dependencies) -> None:
    verdicts = []
    for n in range(4):
        app_id = _identity_checked(memory_deps, "alice", device=f"device-{n}")
        identity = memory_deps.repo.get_application(app_id).identity
        assert identity is not None
        verdicts.append((identity.verdict, identity.reason_codes))
        memory_deps.clock.advance(days=1)  # type: ignore[attr-defined]
    assert verdicts[:3] == [("PASS", ())] * 3
    assert verdicts[3] == ("REVIEW", ("VELOCITY_PHONE", "VELOCITY_ID_NUMBER"))
    memory_deps.clock.advance(days=30)  # type: ignore[attr-defined]  # outside the window: counted afresh
    later = _identity_checked(memory_deps, "alice", device="device-9")
    assert memory_deps.repo.get_application(later).identity.verdict == "PASS"  # type: ignore[union-attr]


def test_one_device_on_many_applications_of_different_people_is_referred(memory_deps: Dependencies) -> None:
    outcomes = []
    for n in range(4):  # four different accounts, phones and ID numbers, one phone-farm device
        app_id = _identity_checked(memory_deps, f"user-{n}", phone=f"1390013900{n}", device="farm-device-1",
                                   id_number=_id_number(n + 1))
        identity = memory_deps.repo.get_application(app_id).identity
        assert identity is not None
        outcomes.append((identity.verdict, identity.reason_codes))
    assert outcomes == [("PASS", ())] * 3 + [("REVIEW", ("VELOCITY_DEVICE",))]


def test_an_officer_may_not_decide_her_own_application(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import ConflictOfInterestError
    from chalicelib.services.back_office import review

    app_id = _identity_checked(memory_deps, "olivia")  # an officer applying with her own customer login
    app = memory_deps.repo.get_application(app_id)
    _refer(memory_deps, app_id)
    with pytest.raises(ConflictOfInterestError):
        review.decide(memory_deps, "olivia", app_id, "APPROVE", "looks fine", None)
    assert app.identity is not None
    memory_deps.identities.register_staff("oscar", app.identity.id_number_hash)  # oscar's own ID number
    with pytest.raises(ConflictOfInterestError):  # the same person under another login
        review.decide(memory_deps, "oscar", app_id, "APPROVE", "looks fine", None)
    events = [e.name for e in memory_deps.repo.events[app_id]]  # type: ignore[attr-defined]
    assert events.count("ConflictOfInterestRefused") == 2


def _refer(deps: Dependencies, app_id: str) -> None:
    """Puts the application in front of a risk officer as the workflow would (UNDER_REVIEW, waiting)."""
    from chalicelib.domain.application import ApplicationStatus, Decision, DecisionOutcome
    from chalicelib.domain.money import Money

    app = deps.repo.get_application(app_id)
    app.decision = Decision(DecisionOutcome.REFER, ("GRADE_D",), Money.yuan(50_000))
    app.task_token = "token-review"
    app.move_to(ApplicationStatus.UNDER_REVIEW, "ApplicationReferred", "test")
    deps.repo.save_application(app)


def test_back_office_routes_refuse_a_token_without_mfa_where_the_setting_asks() -> None:
    from chalicelib.api.http import require_group
    from chalicelib.domain.errors import MfaRequiredError

    class Request:
        def __init__(self, mfa: str) -> None:
            self.context = {"authorizer": {"principalId": "olivia", "groups": "risk-officers", "mfa": mfa}}

    assert require_group(Request("true"), "risk-officers", require_mfa=True) == "olivia"  # type: ignore[arg-type]
    with pytest.raises(MfaRequiredError):
        require_group(Request("false"), "risk-officers", require_mfa=True)  # type: ignore[arg-type]
    assert require_group(Request("false"), "risk-officers", require_mfa=False) == "olivia"  # type: ignore[arg-type]


def test_the_mfa_requirement_is_on_everywhere_but_the_local_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import settings

    for stage, expected in (("local", False), ("prod", True)):
        monkeypatch.setenv("STAGE", stage)
        settings.get_settings.cache_clear()
        try:
            assert settings.get_settings().admin_require_mfa is expected
        except RuntimeError:  # other settings missing in a unit test: read the rule itself
            assert (stage != "local") is expected
        finally:
            settings.get_settings.cache_clear()
