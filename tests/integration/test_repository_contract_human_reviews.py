"""Requests for a person's review, as the repository keeps them, against the in-memory fake and DynamoDB (moto):
one per application (a second is refused and writes nothing), decided under the version read, open ones the
earliest due first, each step in the application's trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.application import ApplicationStatus, Decision, DecisionOutcome
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError
from chalicelib.domain.human_review import HumanReview, ReviewOutcome
from tests.unit.test_application_states import new_app

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def declined(repo: Any) -> Any:
    app = new_app()
    repo.add_application(app)
    return replace(repo.get_application(app.application_id), status=ApplicationStatus.DECLINED,
                   decision=Decision(DecisionOutcome.DECLINE, ("HIGH_RISK_GRADE",)))


def test_one_review_per_application_decided_under_its_version(repo: Any) -> None:
    app = declined(repo)
    review = HumanReview.request(app, "我的经营流水很稳定，请人工看看", NOW)
    assert repo.add_human_review(review)
    assert not repo.add_human_review(HumanReview.request(app, "再申请一次复核", NOW))  # the second: refused
    first, second = repo.get_human_review(review.review_id), repo.get_human_review(review.review_id)
    first.decide("olivia", ReviewOutcome.UPHELD, "经复核，征信记录显示近期多次逾期，维持原结果。", NOW)
    repo.save_human_review(first)
    second.decide("oscar", ReviewOutcome.OVERTURNED, "经复核，逾期已结清，调整结果。", NOW)
    with pytest.raises(ConcurrentModificationError):
        repo.save_human_review(second)
    stored = repo.get_human_review(review.review_id)
    assert stored.outcome is ReviewOutcome.UPHELD and stored.decided_by == "olivia" and not stored.open
    events = [e["event"] for e in repo.audit_trail(app.application_id)]
    assert events.count("HumanReviewRequested") == 1 and events.count("HumanReviewDecided") == 1
    with pytest.raises(NotFoundError):
        repo.get_human_review("hr_" + "0" * 32)


def test_open_reviews_come_earliest_due_first_and_leave_once_decided(repo: Any) -> None:
    a, b = declined(repo), declined(repo)
    later = HumanReview.request(a, "请人工复核我的申请", NOW + timedelta(hours=2))
    sooner = HumanReview.request(b, "请人工复核我的申请", NOW)
    repo.add_human_review(later)
    repo.add_human_review(sooner)
    ids = [r.review_id for r in repo.open_human_reviews() if r.review_id in {later.review_id, sooner.review_id}]
    assert ids == [sooner.review_id, later.review_id]
    done = repo.get_human_review(sooner.review_id)
    done.decide("olivia", ReviewOutcome.UPHELD, "经复核维持原结果，原因已说明。", NOW)
    repo.save_human_review(done)
    assert sooner.review_id not in [r.review_id for r in repo.open_human_reviews()]
