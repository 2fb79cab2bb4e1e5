"""What the bank learnt after payout reaches origination: each test is a borrower the bank already knows something
about applying again. Over the in-memory fakes (the warning store's contract holds them to DynamoDB's)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.api.views import review_item
from chalicelib.domain.credit_line import CreditLineStatus, line_history
from chalicelib.domain.early_warning import Level, Signal, Source, WarningStatus
from chalicelib.domain.errors import ConcurrentModificationError
from chalicelib.domain.external_records import FeedSource
from chalicelib.services import monitoring
from chalicelib.services.back_office import review
from chalicelib.services.deps import Dependencies
from chalicelib.services.origination import origination, origination_steps
from tests.unit.test_services import active_line, last_otp, scored

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ZHANG = "330102199001010012"  # the card every fake application reads (tests/unit/test_services.py)


def court_record(deps: Dependencies, kind: str = "DISHONEST_DEBTOR", status: str = "ACTIVE",
                 case: str = "（2026）浙0102执77号", id_number: str = ZHANG) -> None:
    record = monitoring.receive(FeedSource.JUDICIAL, {"kind": kind, "case_no": case, "court": "杭州市上城区人民法院",
                                                      "amount_fen": 8_600_000, "status": status}, NOW,
                                id_number=id_number)
    monitoring.on_external_record(deps, deps.external_records.deliver(record))


def test_a_borrower_a_court_record_froze_is_declined_when_she_applies_again(memory_deps: Dependencies) -> None:
    first_line = active_line(memory_deps)
    court_record(memory_deps)
    assert memory_deps.repo.get_credit_line(first_line).status is CreditLineStatus.FROZEN
    again = memory_deps.repo.get_application(scored(memory_deps, "DECLINE"))
    assert again.decision is not None and "KNOWN_COURT_RECORD" in again.decision.reason_codes
    shown = again.decision.known_risks[0]
    assert (shown["rule"], shown["level"], shown["evidence"]["case_no"]) == ("DISHONEST_DEBTOR", "RED",
                                                                              "（2026）浙0102执77号")
    assert ZHANG not in str(again.decision.known_risks)


def test_a_court_record_delivered_before_she_ever_borrowed_declines_her_first_application(
        memory_deps: Dependencies) -> None:
    court_record(memory_deps)  # nobody holds the ID number yet: kept by its keyed hash
    app = memory_deps.repo.get_application(scored(memory_deps, "DECLINE"))
    assert app.decision is not None and app.decision.reason_codes[0] == "KNOWN_COURT_RECORD"


def test_a_weaker_record_refers_and_the_officer_sees_its_evidence(memory_deps: Dependencies) -> None:
    court_record(memory_deps, kind="LAWSUIT")
    app = memory_deps.repo.get_application(scored(memory_deps, "REFER"))
    assert app.decision is not None and app.decision.reason_codes[0] == "KNOWN_RISK_ON_FILE"
    shown = review_item(app).known_risks
    assert [(k.rule, k.level, k.reason_zh) for k in shown] == [("NEW_LAWSUIT", "YELLOW", "借款人涉及新的诉讼")]
    assert shown[0].evidence["court"] == "杭州市上城区人民法院"


def test_a_withdrawn_record_no_longer_stands(memory_deps: Dependencies) -> None:
    court_record(memory_deps)
    court_record(memory_deps, status="WITHDRAWN")
    scored(memory_deps, "APPROVE")


def test_another_persons_record_changes_nothing(memory_deps: Dependencies) -> None:
    court_record(memory_deps, id_number="110105197506154029")
    scored(memory_deps, "APPROVE")


def _approved_by_an_officer(deps: Dependencies, app_id: str) -> str:
    origination_steps.await_review(deps, app_id, "token-review")
    review.decide(deps, "officer-olivia", app_id, "APPROVE", "经营正常，他行逾期已说明", None)
    origination_steps.make_offer(deps, app_id, "token-offer")
    origination.accept_offer(deps, "alice", app_id)
    origination.send_signing_otp(deps, "alice", app_id)
    origination.sign_contract(deps, "alice", app_id, last_otp(deps))
    return app_id


def _red_warning_on(deps: Dependencies, line_id: str) -> None:
    overdue = Signal("BUREAU_NEW_OVERDUE", Source.BUREAU, "BUREAU_NEW_OVERDUE:R-1", NOW,
                     {"new_overdue_fen": 2_000_000}, {"source": "BUREAU", "new_overdue_fen": 2_000_000})
    assert monitoring.evaluate(deps, line_id, overdue).warning.level is Level.RED  # type: ignore[union-attr]


def test_a_line_activated_while_a_red_warning_stands_is_born_frozen_with_a_warning_of_its_own(
        memory_deps: Dependencies) -> None:
    _red_warning_on(memory_deps, active_line(memory_deps))
    app_id = _approved_by_an_officer(memory_deps, scored(memory_deps, "REFER"))
    line_id = origination_steps.activate_credit_line(memory_deps, app_id)["credit_line_id"]
    line = memory_deps.repo.get_credit_line(line_id)
    assert line.status is CreditLineStatus.FROZEN  # never an instant usable
    assert line_history(memory_deps.repo.audit_trail(line_id))[0].status_after is CreditLineStatus.FROZEN
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.level is Level.RED and warning.reason_codes == ("NEW_OVERDUE_ELSEWHERE",)
    sent = [template for _, _, template, _ in memory_deps.notifier.sent]  # type: ignore[attr-defined]
    assert sent[-1] == "CREDIT_LINE_FROZEN" and "CREDIT_LINE_ACTIVE" not in sent[-2:]
    unfrozen = monitoring.dispose(memory_deps, "officer-oscar", warning.warning_id, monitoring.DispositionRequest(
        monitoring.Disposition.UNFREEZE, "他行逾期已结清，恢复额度"), NOW)
    assert unfrozen.status is WarningStatus.CLOSED
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.ACTIVE


def test_a_fault_after_the_frozen_line_was_written_is_mended_by_the_steps_retry(memory_deps: Dependencies) -> None:
    _red_warning_on(memory_deps, active_line(memory_deps))
    app_id = _approved_by_an_officer(memory_deps, scored(memory_deps, "REFER"))
    save = memory_deps.warnings.save_warning

    def fails(*args: object, **kwargs: object) -> None:
        raise ConcurrentModificationError("the store did not answer")

    memory_deps.warnings.save_warning = fails  # type: ignore[method-assign]
    with pytest.raises(ConcurrentModificationError):
        origination_steps.activate_credit_line(memory_deps, app_id)
    line_id = str(memory_deps.repo.get_application(app_id).credit_line_id)
    assert memory_deps.repo.get_credit_line(line_id).status is CreditLineStatus.FROZEN  # fails closed
    memory_deps.warnings.save_warning = save  # type: ignore[method-assign]
    assert origination_steps.activate_credit_line(memory_deps, app_id) == {"credit_line_id": line_id}
    assert memory_deps.warnings.open_warning_of_line(line_id) is not None


def test_a_record_an_officer_has_judged_refers_instead_of_declining(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    court_record(memory_deps)
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None
    monitoring.dispose(memory_deps, "officer-olivia", warning.warning_id, monitoring.DispositionRequest(
        monitoring.Disposition.UNFREEZE, "案件已执行完毕，恢复额度"), NOW)
    again = memory_deps.repo.get_application(scored(memory_deps, "REFER"))  # looked at again, not declined
    assert again.decision is not None and again.decision.reason_codes[0] == "KNOWN_RISK_ON_FILE"


def test_a_listed_applicant_is_held_for_compliance_and_a_decision_on_it_never_names_the_list() -> None:
    from chalicelib.domain.early_warning import Cause
    from chalicelib.domain.known_risks import KnownRisks, told_to_customer

    listed = Cause("SANCTIONS_LISTED:SAN-1", "SANCTIONS_LISTED", Level.RED, Source.SANCTIONS, NOW, {})
    court = Cause("JUDICIAL_DISHONEST_DEBTOR:c", "DISHONEST_DEBTOR", Level.RED, Source.JUDICIAL, NOW, {})
    known = KnownRisks.of([listed, court])
    assert known.sanctioned and not known.declines and known.reason_codes() == ("SANCTIONS_SCREENING_HIT",)
    assert KnownRisks.of([court]).declines  # a court record alone still declines by rule
    assert not KnownRisks.of([listed], settled=frozenset({listed.cause_key})).sanctioned
    assert told_to_customer(("SANCTIONS_SCREENING_HIT", "HIGH_RISK_GRADE")) == ("NOT_ELIGIBLE", "HIGH_RISK_GRADE")
    assert told_to_customer(("HIGH_RISK_GRADE",)) == ("HIGH_RISK_GRADE",)


def test_a_beneficial_owner_other_than_the_applicant_refers_to_a_compliance_officer(memory_deps: Dependencies) -> None:
    from chalicelib.domain.due_diligence import DueDiligence
    from chalicelib.domain.errors import ComplianceOfficerRequiredError, ValidationError

    with pytest.raises(ValidationError):
        DueDiligence("日用百货零售", False)  # someone else, unnamed
    with pytest.raises(ValidationError):
        DueDiligence("x", True)  # the business not described
    app_id = scored(memory_deps, "REFER", owner=DueDiligence("日用百货零售", False, "李四"))
    app = memory_deps.repo.get_application(app_id)
    assert app.decision is not None and app.decision.reason_codes[0] == "BENEFICIAL_OWNER_NOT_APPLICANT"
    assert app.due_diligence == DueDiligence("日用百货零售", False, "李四")  # recorded with the application
    origination_steps.await_review(memory_deps, app_id, "token-review")
    with pytest.raises(ComplianceOfficerRequiredError):
        review.decide(memory_deps, "olivia", app_id, "APPROVE", "经营正常", None)
    decided = review.decide(memory_deps, "clara", app_id, "APPROVE", "核实受益所有人为其配偶，已留存证明", None,
                            compliance_officer=True)
    assert decided.decision is not None and decided.decision.decided_by == "clara"
