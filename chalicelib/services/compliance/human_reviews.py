"""The right to a person (PIPL Art. 24): the customer asks for a person to review an automated decision on her
application; a risk officer records the outcome; she is told by SMS (and the application shows it)."""

from __future__ import annotations

from typing import Protocol

from ...domain.errors import ConflictOfInterestError, InvalidTransitionError
from ...domain.human_review import HumanReview, ReviewOutcome
from ...observability import logger, metrics
from ...ports import Clock, LendingRepository, Notifier
from ..origination.origination import owned_application

TOLD = {ReviewOutcome.UPHELD: "【农商银行】您申请的人工复核已完成，原审批结果维持。复核意见：{comment}",
        ReviewOutcome.OVERTURNED: "【农商银行】您申请的人工复核已完成，本行将调整审批结果，客户经理将与您联系。"
                                  "复核意见：{comment}"}


class HumanReviewPorts(Protocol):
    """The ports the human reviews' use cases touch, and no other."""

    clock: Clock
    notifier: Notifier
    repo: LendingRepository


def request_review(deps: HumanReviewPorts, customer_id: str, application_id: str, reason: str) -> HumanReview:
    """Hers only (another's application answers as none); once per application."""
    app = owned_application(deps.repo, customer_id, application_id)
    review = HumanReview.request(app, reason, deps.clock.now())
    if not deps.repo.add_human_review(review):
        raise InvalidTransitionError("a person's review was already asked for this application",
                                     {"review_id": review.review_id}, code="HUMAN_REVIEW_ALREADY_REQUESTED")
    metrics.add_metric(name="HumanReviewsRequested", unit="Count", value=1)
    logger.info("human review requested", extra={"application_id": application_id, "review_id": review.review_id})
    return review


def open_reviews(deps: HumanReviewPorts) -> list[HumanReview]:
    return deps.repo.open_human_reviews()


def decide(deps: HumanReviewPorts, officer_id: str, review_id: str, outcome: ReviewOutcome,
           comment: str) -> HumanReview:
    review = deps.repo.get_human_review(review_id)
    if officer_id == review.customer_id:
        raise ConflictOfInterestError("an officer never reviews her own application")
    review.decide(officer_id, outcome, comment, deps.clock.now())
    deps.repo.save_human_review(review)
    app = deps.repo.get_application(review.application_id)
    deps.notifier.send_sms(app.customer_id, app.applicant_phone, "HUMAN_REVIEW_DECIDED",
                           TOLD[outcome].format(comment=review.comment[:60]))
    return review
