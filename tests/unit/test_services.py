"""Use cases over in-memory fakes: Given / When / Then."""

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain.application import ApplicationStatus as S
from chalicelib.domain.application import BusinessDetails
from chalicelib.domain.drawdown import DrawdownStatus as D
from chalicelib.domain.due_diligence import DueDiligence
from chalicelib.domain.errors import (
    ConsentRequiredError,
    DocumentsMissingError,
    DocumentsNotReadyError,
    IdempotencyKeyReusedError,
    IdentityNotVerifiedError,
    InvalidTransitionError,
    NotFoundError,
    OfferExpiredError,
    OtpAttemptsExceededError,
    OtpInvalidError,
    QuoteChangedError,
    RepaymentRefusedError,
    ValidationError,
)
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from chalicelib.domain.repayment import SYSTEM_REPAYMENT_SCOPE
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.ports import DocumentRecord
from chalicelib.services.back_office import review
from chalicelib.services.deps import Dependencies
from chalicelib.services.origination import liveness, origination, origination_steps
from chalicelib.services.servicing import credit_lines, drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from tests.fakes.memory import REFER_HISTORY, MemoryCoreBanking

ACCOUNT = "6222021234567890123"
ALL_CONSENTS = (("PERSONAL_INFORMATION", "v1"), ("CREDIT_BUREAU", "v1"), ("BIOMETRIC", "v1"))


def new_application(deps: Dependencies, customer: str = "alice", requested_yuan: int = 50_000,
                    revenue_yuan: int = 500_000, consents: tuple = ALL_CONSENTS,
                    owner: DueDiligence | None = None) -> str:
    owner = owner or DueDiligence("日用百货零售", True)
    cmd = origination.NewApplication(
        "INCLUSIVE_BUSINESS_LOAN", Money.yuan(requested_yuan), "stock", consents, login=customer,
        applicant_name="张三", applicant_phone="13800138000",
        business=BusinessDetails("shop", "91330100MA2B3C4D5N", 3, Money.yuan(revenue_yuan)), payout_account_no=ACCOUNT,
        due_diligence=owner)
    return origination.create_application(deps, customer, cmd).application_id


def read_documents(deps: Dependencies, application_id: str, id_number: str = "330102199001010012") -> dict:
    """What the upload processing stores for 张三's card (see tests/fixtures/idcards, valid_zhang)."""
    return {
        "ID_CARD_FRONT": {"name": "张三", "sex": "男",
                          "birth_date_sealed": deps.cipher.encrypt("1990-01-01", application_id),
                          "id_number_masked": "3301**********0012",
                          "id_number_hash": deps.cipher.keyed_hash(id_number),
                          "id_number_sealed": deps.cipher.encrypt(id_number, application_id), "confidence": 99},
        "ID_CARD_BACK": {"issuing_authority": "杭州市公安局上城分局", "valid_from": "2016-03-01",
                         "valid_until": "2036-03-01", "long_term": False, "confidence": 99},
        "SELFIE": {},
    }


def upload_all(deps: Dependencies, application_id: str, status: str = "READ", **kwargs: str) -> None:
    for i, (doc, fields) in enumerate(read_documents(deps, application_id, **kwargs).items()):
        deps.repo.record_document(
            DocumentRecord(application_id, doc, f"k{i}", 10, "e", deps.clock.now(), status, (), fields),
            DomainEvent("DocumentReceived", application_id, "test"))
    if status == "READ":
        session = liveness.start_session(deps, "alice", application_id)
        assert liveness.session_result(deps, "alice", application_id, session) == "PASS"
        origination.send_phone_code(deps, "alice", application_id)
        origination.confirm_phone(deps, "alice", application_id, last_otp(deps))


def scored(deps: Dependencies, outcome: str, **kwargs: object) -> str:
    """Created, documents read, submitted, identity verified, credit data gathered, scored as expected."""
    app_id = new_application(deps, **kwargs)  # type: ignore[arg-type]
    upload_all(deps, app_id)
    origination.submit(deps, "alice", app_id)
    origination_steps.verify_identity(deps, app_id)
    origination_steps.gather_credit_data(deps, app_id)
    assert origination_steps.score(deps, app_id)["outcome"] == outcome
    return app_id


def offered(deps: Dependencies, **kwargs: object) -> str:
    app_id = scored(deps, "APPROVE", **kwargs)
    origination_steps.make_offer(deps, app_id, "token-offer")
    return app_id


def last_otp(deps: Dependencies) -> str:
    return str(deps.notifier.sent[-1][3].split("验证码 ")[1][:6])  # type: ignore[attr-defined]


def signed(deps: Dependencies) -> str:
    app_id = offered(deps)
    origination.accept_offer(deps, "alice", app_id)
    origination.send_signing_otp(deps, "alice", app_id)
    origination.sign_contract(deps, "alice", app_id, last_otp(deps))
    return app_id


def active_line(deps: Dependencies) -> str:
    return str(origination_steps.activate_credit_line(deps, signed(deps))["credit_line_id"])


def test_consents_are_required_before_anything_is_processed(memory_deps: Dependencies) -> None:
    with pytest.raises(ValidationError) as caught:
        new_application(memory_deps, consents=ALL_CONSENTS[:2])
    assert caught.value.details == {"missing": ["BIOMETRIC"]}
    assert memory_deps.repo.apps == {}  # type: ignore[attr-defined]


def test_submit_needs_the_identity_documents_read_and_starts_the_workflow_once_per_id(
        memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    with pytest.raises(DocumentsMissingError):
        origination.submit(memory_deps, "alice", app_id)
    upload_all(memory_deps, app_id, status="RETAKE_REQUIRED")
    with pytest.raises(DocumentsNotReadyError):
        origination.submit(memory_deps, "alice", app_id)
    memory_deps.repo.documents.clear()  # type: ignore[attr-defined]
    upload_all(memory_deps, app_id)
    origination.submit(memory_deps, "alice", app_id)
    origination.submit(memory_deps, "alice", app_id)  # a retry re-starts by name; Step Functions dedupes
    assert memory_deps.repo.get_application(app_id).status is S.SUBMITTED
    assert memory_deps.workflow.started == [("origination", app_id)] * 2  # type: ignore[attr-defined]


def test_another_customers_application_is_not_found(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    with pytest.raises(NotFoundError):
        origination.owned_application(memory_deps.repo, "mallory", app_id)


def test_signing_resumes_the_waiting_workflow_with_the_stored_token(memory_deps: Dependencies) -> None:
    app_id = offered(memory_deps)
    origination.accept_offer(memory_deps, "alice", app_id)
    origination.send_signing_otp(memory_deps, "alice", app_id)
    app = origination.sign_contract(memory_deps, "alice", app_id, last_otp(memory_deps))
    assert app.status is S.SIGNED and app.task_token is None
    assert memory_deps.workflow.resumed == [("token-offer", {"signed": True})]  # type: ignore[attr-defined]
    assert set(memory_deps.documents.contracts) == {  # type: ignore[attr-defined]
        f"contracts/{app_id}/agreement-unsigned.pdf", f"contracts/{app_id}/agreement.json",
        f"contracts/{app_id}/agreement-signed.pdf"}


def test_signing_twice_an_expired_code_or_an_altered_stored_contract_are_refused(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import ContractAlreadySignedError, InvalidTransitionError, OtpExpiredError

    app_id = offered(memory_deps)
    contract = origination.accept_offer(memory_deps, "alice", app_id).contract
    assert contract is not None and contract.contract_no.startswith("HT")
    origination.send_signing_otp(memory_deps, "alice", app_id)
    memory_deps.clock.advance(seconds=memory_deps.settings.otp_ttl_seconds)  # type: ignore[attr-defined]
    with pytest.raises(OtpExpiredError):
        origination.sign_contract(memory_deps, "alice", app_id, last_otp(memory_deps))
    origination.send_signing_otp(memory_deps, "alice", app_id)
    stored = memory_deps.documents.contracts  # type: ignore[attr-defined]
    reviewed = stored[contract.s3_key]
    stored[contract.s3_key] = reviewed + b" "  # what is in the store is no longer what the customer reviewed
    with pytest.raises(InvalidTransitionError):
        origination.sign_contract(memory_deps, "alice", app_id, last_otp(memory_deps))
    stored[contract.s3_key] = reviewed
    signed = origination.sign_contract(memory_deps, "alice", app_id, last_otp(memory_deps)).contract
    assert signed is not None and signed.sha256 == contract.sha256 and signed.signed_sha256
    assert [r.field for r in signed.signatures] == ["Borrower", "BankSeal"]
    with pytest.raises(ContractAlreadySignedError):
        origination.sign_contract(memory_deps, "alice", app_id, last_otp(memory_deps))


def test_a_contract_cannot_be_signed_once_the_offer_has_expired(memory_deps: Dependencies) -> None:
    app_id = offered(memory_deps)
    origination.accept_offer(memory_deps, "alice", app_id)
    origination.send_signing_otp(memory_deps, "alice", app_id)
    otp = last_otp(memory_deps)
    memory_deps.clock.advance(seconds=memory_deps.settings.offer_validity_seconds)  # type: ignore[attr-defined]
    with pytest.raises(OfferExpiredError):
        origination.sign_contract(memory_deps, "alice", app_id, otp)
    assert f"contracts/{app_id}/agreement-signed.pdf" not in memory_deps.documents.contracts  # type: ignore[attr-defined]


def test_the_monthly_job_renews_archive_timestamps_that_are_due_once(memory_deps: Dependencies) -> None:
    from chalicelib.services.origination import contracts

    line_id = active_line(memory_deps)
    app_id = memory_deps.repo.get_credit_line(line_id).application_id
    now = memory_deps.clock.now()
    assert contracts.renew_due_archive_timestamps(memory_deps, now) == {"checked": 1, "renewed": 0, "failed": 0}
    later = now + timedelta(days=memory_deps.settings.archive_renewal_days + 1)
    memory_deps.clock.advance(days=memory_deps.settings.archive_renewal_days + 1)  # type: ignore[attr-defined]
    before = memory_deps.repo.get_application(app_id).contract
    assert contracts.renew_due_archive_timestamps(memory_deps, later)["renewed"] == 1
    after = memory_deps.repo.get_application(app_id).contract
    assert before is not None and after is not None and after.signed_sha256 != before.signed_sha256
    assert memory_deps.documents.contracts[contracts.signed_key(app_id)].endswith(  # type: ignore[attr-defined]
        b"]\n[signed]")
    assert contracts.renew_due_archive_timestamps(memory_deps, later)["renewed"] == 0  # once, not every run


def test_wrong_codes_are_counted_and_then_refused(memory_deps: Dependencies) -> None:
    app_id = offered(memory_deps)
    origination.accept_offer(memory_deps, "alice", app_id)
    origination.send_signing_otp(memory_deps, "alice", app_id)
    real = last_otp(memory_deps)
    wrong = "000000" if real != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(OtpInvalidError):
            origination.sign_contract(memory_deps, "alice", app_id, wrong)
    with pytest.raises(OtpAttemptsExceededError):
        origination.sign_contract(memory_deps, "alice", app_id, real)
    assert memory_deps.repo.get_application(app_id).status is S.ACCEPTED


def test_an_expired_offer_cannot_be_accepted(memory_deps: Dependencies) -> None:
    app_id = offered(memory_deps)
    memory_deps.clock.advance(seconds=memory_deps.settings.offer_validity_seconds)  # type: ignore[attr-defined]
    with pytest.raises(OfferExpiredError):
        origination.accept_offer(memory_deps, "alice", app_id)


def test_an_officer_may_lower_the_line_but_not_raise_it(memory_deps: Dependencies) -> None:
    memory_deps.bureau.history = dict(REFER_HISTORY)  # type: ignore[attr-defined]
    app_id = scored(memory_deps, "REFER", requested_yuan=80_000, revenue_yuan=600_000)
    origination_steps.await_review(memory_deps, app_id, "token-review")
    with pytest.raises(ValidationError):
        review.decide(memory_deps, "olivia", app_id, "APPROVE", "ok", Money.yuan(40_000))  # proposed: 30,000
    app = review.decide(memory_deps, "olivia", app_id, "APPROVE", "ok", Money.yuan(20_000))
    assert app.decision is not None and app.decision.credit_limit == Money.yuan(20_000)
    assert app.decision.decided_by == "olivia"
    assert memory_deps.workflow.resumed == [("token-review", {"outcome": "APPROVE"})]  # type: ignore[attr-defined]


def test_a_drawdown_replay_returns_the_first_drawdown_and_another_body_is_refused(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    cmd = DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT)
    first = drawdowns.request_drawdown(memory_deps, "alice", "key-0000001", cmd)
    again = drawdowns.request_drawdown(memory_deps, "alice", "key-0000001", cmd)
    assert again.drawdown_id == first.drawdown_id
    with pytest.raises(IdempotencyKeyReusedError):
        drawdowns.request_drawdown(memory_deps, "alice", "key-0000001", replace(cmd, amount=Money.yuan(20_000)))
    assert len(memory_deps.repo.drawdowns) == 1  # type: ignore[attr-defined]


def test_a_drawdown_is_reserved_paid_once_and_booked(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    dd = drawdowns.request_drawdown(memory_deps, "alice", "key-0000002",
                                    DrawdownCommand(line_id, Money.yuan(10_000), 6, M.EQUAL_PRINCIPAL, ACCOUNT))
    assert drawdowns.reserve_limit(memory_deps, dd.drawdown_id)["reserved"]
    first = drawdowns.disburse(memory_deps, dd.drawdown_id)
    assert drawdowns.disburse(memory_deps, dd.drawdown_id) == first  # a retried step does not pay again
    loan_id = drawdowns.book_loan(memory_deps, dd.drawdown_id)["loan_id"]
    assert drawdowns.book_loan(memory_deps, dd.drawdown_id) == {"loan_id": loan_id}
    assert len(memory_deps.core_banking.payouts) == 1  # type: ignore[attr-defined]
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.available == line.limit - Money.yuan(10_000)


def test_a_refused_payout_releases_the_reservation_exactly_once(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    memory_deps.core_banking = MemoryCoreBanking(refuse=True)
    dd = drawdowns.request_drawdown(memory_deps, "alice", "key-0000003",
                                    DrawdownCommand(line_id, Money.yuan(10_000), 6, M.EQUAL_PRINCIPAL, ACCOUNT))
    drawdowns.reserve_limit(memory_deps, dd.drawdown_id)
    error = {"Error": "DisbursementRefusedError"}
    assert drawdowns.release_reservation(memory_deps, dd.drawdown_id, error) == {"released": True}
    assert drawdowns.release_reservation(memory_deps, dd.drawdown_id, error) == {"released": False}
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.available == line.limit
    assert memory_deps.repo.get_drawdown(dd.drawdown_id).status is D.FAILED


def test_a_reservation_over_the_available_amount_rejects_the_drawdown(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    first = drawdowns.request_drawdown(memory_deps, "alice", "key-0000004",
                                       DrawdownCommand(line_id, Money.yuan(40_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    second = drawdowns.request_drawdown(memory_deps, "alice", "key-0000005",
                                        DrawdownCommand(line_id, Money.yuan(20_000), 12, M.EQUAL_INSTALMENT,
                                                        ACCOUNT))
    assert drawdowns.reserve_limit(memory_deps, first.drawdown_id)["reserved"]
    outcome = drawdowns.reserve_limit(memory_deps, second.drawdown_id)
    assert outcome == {"reserved": False, "status": "REJECTED", "reason": "CREDIT_LIMIT_EXCEEDED"}
    assert memory_deps.repo.get_credit_line(line_id).available == Money.yuan(10_000)


def test_an_offer_lapsing_as_the_signature_lands_still_activates(memory_deps: Dependencies) -> None:
    assert origination_steps.expire_offer(memory_deps, signed(memory_deps)) == {"signed": True}


def test_withdrawal_stops_the_waiting_workflow(memory_deps: Dependencies) -> None:
    app_id = offered(memory_deps)
    origination.withdraw(memory_deps, "alice", app_id)
    assert memory_deps.workflow.failed == [("token-offer", "ApplicationWithdrawnError")]  # type: ignore[attr-defined]
    assert memory_deps.repo.get_application(app_id).status is S.WITHDRAWN


def test_line_validity_is_twelve_months_to_the_day(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.valid_until - memory_deps.clock.now() in (timedelta(days=365), timedelta(days=366))


def test_identity_is_verified_from_the_card_read_at_upload(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    upload_all(memory_deps, app_id)
    origination.submit(memory_deps, "alice", app_id)
    assert origination_steps.verify_identity(memory_deps, app_id) == {"verified": True, "in_person": False}
    identity = memory_deps.repo.get_application(app_id).identity
    assert identity is not None and identity.verdict == "PASS"
    assert (identity.name_masked, identity.id_number_masked) == ("张*", "3301**********0012")


def test_a_card_that_fails_a_check_declines_with_its_reason(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    upload_all(memory_deps, app_id, id_number="330102199001010013")  # wrong check digit
    origination.submit(memory_deps, "alice", app_id)
    with pytest.raises(IdentityNotVerifiedError):
        origination_steps.verify_identity(memory_deps, app_id)
    origination_steps.decline(memory_deps, app_id, {"Error": "IdentityNotVerifiedError"})
    app = memory_deps.repo.get_application(app_id)
    assert app.status is S.DECLINED and app.decision is not None
    assert app.decision.reason_codes == ("IDENTITY_NOT_VERIFIED", "ID_NUMBER_CHECK_DIGIT")


def test_a_liveness_tap_racing_a_background_update_is_run_again_not_refused(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import ConcurrentModificationError

    app_id = new_application(memory_deps)
    repo = memory_deps.repo
    real_save = repo.save_application
    calls = []

    def conflicting_once(app):  # type: ignore[no-untyped-def]
        calls.append(app.version)
        if len(calls) == 1:  # a document event saved the application between our read and our write
            raise ConcurrentModificationError("changed meanwhile")
        real_save(app)

    repo.save_application = conflicting_once  # type: ignore[method-assign]
    session = liveness.start_session(memory_deps, "alice", app_id)
    assert len(calls) == 2 and repo.get_application(app_id).liveness_session_id == session


def test_biometric_steps_are_refused_once_the_consent_is_withdrawn(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    app = origination.withdraw_consent(memory_deps, "alice", app_id, "BIOMETRIC")
    assert app.status is S.WITHDRAWN and not app.has_consent("BIOMETRIC")
    with pytest.raises(ConsentRequiredError):
        liveness.start_session(memory_deps, "alice", app_id)


def test_a_borderline_face_match_is_referred_not_offered(memory_deps: Dependencies) -> None:
    memory_deps.faces.score = 88.0  # type: ignore[attr-defined]
    app_id = scored(memory_deps, "REFER")
    app = memory_deps.repo.get_application(app_id)
    assert app.decision is not None and "FACE_MATCH_BORDERLINE" in app.decision.reason_codes


def test_a_face_that_does_not_match_declines(memory_deps: Dependencies) -> None:
    memory_deps.faces.score = None  # type: ignore[attr-defined]
    app_id = new_application(memory_deps)
    upload_all(memory_deps, app_id)
    origination.submit(memory_deps, "alice", app_id)
    with pytest.raises(IdentityNotVerifiedError):
        origination_steps.verify_identity(memory_deps, app_id)
    identity = memory_deps.repo.get_application(app_id).identity
    assert identity is not None and identity.reason_codes == ("FACE_MISMATCH", "SELFIE_NOT_LIVE_FACE")


def test_the_face_compared_with_the_card_is_the_live_one_not_the_uploaded_selfie(memory_deps: Dependencies) -> None:
    app_id = new_application(memory_deps)
    upload_all(memory_deps, app_id)
    origination.submit(memory_deps, "alice", app_id)
    origination_steps.verify_identity(memory_deps, app_id)
    compared = memory_deps.faces.compared  # type: ignore[attr-defined]
    portrait = memory_deps.documents.get_upload("k0", 10)
    uploaded_selfie = memory_deps.documents.get_upload("k2", 10)
    assert [(source.startswith(b"live face of "), target) for source, target in compared] == [
        (True, portrait), (True, uploaded_selfie)]


def booked_loan(deps: Dependencies, line_id: str, key: str, yuan: int, method: M) -> str:
    dd = drawdowns.request_drawdown(deps, "alice", key, DrawdownCommand(line_id, Money.yuan(yuan), 12, method, ACCOUNT))
    drawdowns.reserve_limit(deps, dd.drawdown_id)
    drawdowns.disburse(deps, dd.drawdown_id)
    return str(drawdowns.book_loan(deps, dd.drawdown_id)["loan_id"])


def test_early_repayment_restores_the_line_closes_the_loan_books_the_ledger_and_pays_once(
        memory_deps: Dependencies) -> None:
    from chalicelib.domain.ledger import check
    from chalicelib.services.servicing import repayments

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-001", 12_000, M.EQUAL_INSTALMENT)
    memory_deps.clock.advance(days=10)  # type: ignore[attr-defined]
    _, quote = repayments.quote(memory_deps, "alice", loan_id)
    # 12,000 yuan x 5.80% / 360 x 10 days = 19.33 yuan (the test bureau's history grades the applicant B)
    assert (quote.principal, quote.interest, quote.days) == (Money.yuan(12_000), Money(1_933), 10)
    with pytest.raises(QuoteChangedError):
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-01", quote.total.fen - 1)
    first = repayments.repay(memory_deps, "alice", loan_id, "key-repay-01", quote.total.fen)
    again = repayments.repay(memory_deps, "alice", loan_id, "key-repay-01", quote.total.fen)
    assert first == again and first["loan_status"] == "CLOSED"
    assert len(memory_deps.core_banking.collections) == 1  # type: ignore[attr-defined]
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.available == line.limit
    book = memory_deps.repo.ledger_of(line_id)
    assert [t.kind for t in book] == ["DISBURSEMENT", "INTEREST_ACCRUAL", "REPAYMENT"] and check(book) == []
    with pytest.raises(IdempotencyKeyReusedError):
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-01", quote.total.fen + 100)


def test_auto_debit_collects_due_instalments_and_a_refusal_freezes_the_line_until_caught_up(
        memory_deps: Dependencies) -> None:
    from datetime import timedelta

    from chalicelib.domain.credit_line import CreditLineStatus
    from chalicelib.domain.ledger import DEFAULT_INTEREST_INCOME, INTEREST_INCOME, balances, check, interest_receivable
    from chalicelib.services.servicing import auto_debit as servicing

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-auto-001", 12_000, M.EQUAL_PRINCIPAL)
    loan = memory_deps.repo.get_loan(loan_id)
    first_due, second_due = loan.schedule[0].due_date, loan.schedule[1].due_date
    assert servicing.run_auto_debit(memory_deps, first_due - timedelta(days=1))["collected"] == 0
    assert servicing.run_auto_debit(memory_deps, first_due)["collected"] == 1
    assert servicing.run_auto_debit(memory_deps, first_due)["collected"] == 0  # once per instalment
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.available == line.limit - Money.yuan(11_000)  # 1,000 yuan of principal restored
    core = memory_deps.core_banking
    core.collect = lambda *a: (_ for _ in ()).throw(RepaymentRefusedError("no funds"))  # type: ignore[method-assign]
    assert servicing.run_auto_debit(memory_deps, second_due)["overdue"] == 1
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN
    loan = memory_deps.repo.get_loan(loan_id)
    assert loan.days_past_due(second_due + timedelta(days=6)) == 6
    # accrual basis: the late instalment's interest is income and a receivable although nothing was collected
    owed = balances(memory_deps.repo.ledger_of(line_id))
    assert owed[interest_receivable(loan_id)] == loan.schedule[1].interest.fen
    assert -owed[INTEREST_INCOME] == loan.schedule[0].interest.fen + loan.schedule[1].interest.fen
    del core.collect  # type: ignore[attr-defined]
    late = second_due + timedelta(days=6)
    assert servicing.run_auto_debit(memory_deps, late)["collected"] == 1
    loan = memory_deps.repo.get_loan(loan_id)
    assert loan.instalments_paid == 2 and loan.overdue_since is None
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE
    record = memory_deps.repo.get_repayment(SYSTEM_REPAYMENT_SCOPE, f"ad_{loan_id.removeprefix('loan_')}_002")
    # default interest: 1,000 yuan x 5.80% x 1.5 / 360 x 6 days = 1.45 yuan
    assert record is not None and record["default_interest_fen"] == 145
    assert check(memory_deps.repo.ledger_of(line_id)) == []
    settled = balances(memory_deps.repo.ledger_of(line_id))
    assert settled[interest_receivable(loan_id)] == 0 and settled[DEFAULT_INTEREST_INCOME] == -145


def test_a_part_prepayment_lowers_the_instalments_restores_that_much_line_and_shows_in_the_history(
        memory_deps: Dependencies) -> None:
    from chalicelib.domain.credit_line import line_history
    from chalicelib.domain.ledger import balances, check, interest_receivable, loan_principal
    from chalicelib.services.servicing import auto_debit as servicing
    from chalicelib.services.servicing import repayments

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-part-001", 12_000, M.EQUAL_INSTALMENT)
    before = memory_deps.repo.get_loan(loan_id)
    servicing.run_auto_debit(memory_deps, before.schedule[0].due_date)
    memory_deps.clock.advance(days=40)  # type: ignore[attr-defined]
    _, q = repayments.quote(memory_deps, "alice", loan_id, Money.yuan(5_000))
    done = repayments.repay(memory_deps, "alice", loan_id, "key-part-002", q.total.fen, Money.yuan(5_000).fen)
    assert done["loan_status"] == "ACTIVE" and done["principal_fen"] == 500_000
    with pytest.raises(IdempotencyKeyReusedError):  # the same key for a whole repayment is another request
        repayments.repay(memory_deps, "alice", loan_id, "key-part-002", q.total.fen)
    after = memory_deps.repo.get_loan(loan_id)
    assert after.outstanding_principal == Money.yuan(12_000) - before.schedule[0].principal - Money.yuan(5_000)
    assert after.schedule[-1].due_date == before.schedule[-1].due_date
    assert after.schedule[2].total < before.schedule[2].total
    book = memory_deps.repo.ledger_of(line_id)
    assert check(book) == [] and balances(book)[loan_principal(loan_id)] == after.outstanding_principal.fen  # type: ignore[union-attr]
    assert balances(book)[interest_receivable(loan_id)] == 0
    line = memory_deps.repo.get_credit_line(line_id)
    history = line_history(memory_deps.repo.audit_trail(line_id))
    assert [h.event for h in history] == ["CreditLineActivated", "LimitReserved", "InstalmentCollected",
                                          "LoanRepaid"]
    assert [h.available_change.fen for h in history] == [0, -1_200_000, before.schedule[0].principal.fen, 500_000]
    assert line.limit.fen + sum(h.available_change.fen for h in history) == line.available.fen


def test_a_repayment_interrupted_after_collection_holds_the_loan_until_its_retry(memory_deps: Dependencies) -> None:
    from datetime import timedelta

    from chalicelib.domain.errors import RepaymentInProgressError
    from chalicelib.services.servicing import auto_debit as servicing
    from chalicelib.services.servicing import repayments

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-claim-001", 12_000, M.EQUAL_INSTALMENT)
    _, quote = repayments.quote(memory_deps, "alice", loan_id)
    repo = memory_deps.repo
    real_apply = repo.apply_repayment

    def crash(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("the Lambda died after the core debited the customer")

    repo.apply_repayment = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        repayments.repay(memory_deps, "alice", loan_id, "key-claim-A1", quote.total.fen)
    repo.apply_repayment = real_apply  # type: ignore[method-assign]
    core = memory_deps.core_banking
    assert len(core.collections) == 1  # type: ignore[attr-defined]
    with pytest.raises(RepaymentInProgressError):  # another device: told to wait, not debited
        repayments.repay(memory_deps, "alice", loan_id, "key-claim-B1", quote.total.fen)
    loan = repo.get_loan(loan_id)
    assert servicing.run_auto_debit(memory_deps, loan.schedule[0].due_date)["deferred"] == 1  # nor by auto-debit
    assert len(core.collections) == 1  # type: ignore[attr-defined]
    done = repayments.repay(memory_deps, "alice", loan_id, "key-claim-A1", quote.total.fen)  # the app retries
    assert done["loan_status"] == "CLOSED" and len(core.collections) == 1  # type: ignore[attr-defined]

    loan_id = booked_loan(memory_deps, line_id, "key-claim-002", 5_000, M.EQUAL_INSTALMENT)
    _, quote = repayments.quote(memory_deps, "alice", loan_id)
    repo.apply_repayment = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        repayments.repay(memory_deps, "alice", loan_id, "key-claim-C1", quote.total.fen)
    repo.apply_repayment = real_apply  # type: ignore[method-assign]
    memory_deps.clock.advance(minutes=11)  # type: ignore[attr-defined]
    # never retried: after 10 minutes the claim is stale; the next repayment first books what the core collected
    # under it (the whole loan), so there is nothing left to repay and nothing is collected twice
    with pytest.raises(InvalidTransitionError):
        repayments.repay(memory_deps, "alice", loan_id, "key-claim-D1", quote.total.fen)
    assert repo.get_loan(loan_id).status.value == "CLOSED" and len(core.collections) == 2  # type: ignore[attr-defined]
    assert timedelta(minutes=10) == repayments.CLAIM_STALE_AFTER


def test_a_line_closes_only_when_nothing_is_owed_and_then_refuses_drawdowns(memory_deps: Dependencies) -> None:
    from chalicelib.domain.credit_line import CreditLineStatus, line_history
    from chalicelib.domain.errors import CreditLineInUseError, DrawdownRuleViolatedError, InvalidTransitionError
    from chalicelib.services.servicing import repayments

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-close-001", 5_000, M.EQUAL_INSTALMENT)
    with pytest.raises(CreditLineInUseError):
        credit_lines.close_line(memory_deps, "alice", line_id)
    _, quote = repayments.quote(memory_deps, "alice", loan_id)
    repayments.repay(memory_deps, "alice", loan_id, "key-close-002", quote.total.fen)
    assert credit_lines.close_line(memory_deps, "alice", line_id).status is CreditLineStatus.CLOSED
    with pytest.raises(InvalidTransitionError):
        credit_lines.close_line(memory_deps, "alice", line_id)
    with pytest.raises(DrawdownRuleViolatedError):
        drawdowns.request_drawdown(memory_deps, "alice", "key-close-003",
                                   DrawdownCommand(line_id, Money.yuan(1_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    assert line_history(memory_deps.repo.audit_trail(line_id))[-1].status_after is CreditLineStatus.CLOSED


def test_reconciliation_matches_the_core_with_the_ledger_and_lists_breaks(memory_deps: Dependencies) -> None:
    from chalicelib.services.back_office import reconciliation
    from chalicelib.services.servicing import repayments

    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-recon-01", 5_000, M.EQUAL_INSTALMENT)
    _, quote = repayments.quote(memory_deps, "alice", loan_id)
    repayments.repay(memory_deps, "alice", loan_id, "key-recon-02", quote.total.fen)
    report = reconciliation.reconcile(memory_deps)
    assert report == {"matched": 2, "matched_fen": 1_000_000, "breaks": []}
    memory_deps.core_banking.payouts["dd_stalled"] = ("REF", Money.yuan(2_000))  # type: ignore[attr-defined]
    breaks = reconciliation.reconcile(memory_deps)["breaks"]
    assert breaks == [{"kind": "PAYOUT", "id": "dd_stalled", "problem": "AT_CORE_NOT_BOOKED", "core_fen": 200_000}]
