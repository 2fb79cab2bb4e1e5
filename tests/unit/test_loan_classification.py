"""Five-category classification at each threshold of the 2023 Measures, and the delinquency buckets."""

from __future__ import annotations

import pytest

from chalicelib.domain.classification import Bucket, ClassificationPolicy, LoanClass, bucket_of, classify


@pytest.mark.parametrize(("dpd", "expected"), [
    (0, LoanClass.NORMAL), (1, LoanClass.SPECIAL_MENTION), (90, LoanClass.SPECIAL_MENTION),
    (91, LoanClass.SUBSTANDARD), (270, LoanClass.SUBSTANDARD), (271, LoanClass.DOUBTFUL),
    (360, LoanClass.DOUBTFUL), (361, LoanClass.LOSS), (2000, LoanClass.LOSS)])
def test_overdue_days_set_the_floor_at_each_threshold(dpd: int, expected: LoanClass) -> None:
    assert classify(dpd, None).loan_class is expected


def test_a_red_or_orange_warning_makes_a_performing_loan_special_mention_and_says_so() -> None:
    assert classify(0, "RED").loan_class is LoanClass.SPECIAL_MENTION
    assert classify(0, "ORANGE").reasons == ("EARLY_WARNING_ORANGE",)
    assert classify(0, "YELLOW").loan_class is LoanClass.NORMAL  # a watchlist entry is not a downgrade
    strongest_first = classify(120, "RED")
    assert strongest_first.loan_class is LoanClass.SUBSTANDARD
    assert strongest_first.reasons == ("OVERDUE_OVER_SUBSTANDARD_THRESHOLD", "EARLY_WARNING_RED")


def test_a_bank_may_be_stricter_than_the_measures_but_never_laxer() -> None:
    strict = ClassificationPolicy(substandard_after_days=60, doubtful_after_days=180, loss_after_days=300)
    assert classify(61, None, strict).loan_class is LoanClass.SUBSTANDARD
    assert classify(301, None, strict).loan_class is LoanClass.LOSS
    with pytest.raises(ValueError, match="never more leniently"):
        ClassificationPolicy(substandard_after_days=120)
    with pytest.raises(ValueError, match="must rise"):
        ClassificationPolicy(substandard_after_days=90, doubtful_after_days=80, loss_after_days=360)


def test_non_performing_is_substandard_and_worse_and_labels_are_the_measures_words() -> None:
    assert [c.non_performing for c in LoanClass] == [False, False, True, True, True]
    assert [c.label_zh for c in LoanClass] == ["正常", "关注", "次级", "可疑", "损失"]


@pytest.mark.parametrize(("dpd", "bucket"), [(0, Bucket.CURRENT), (1, Bucket.DPD_1_30), (30, Bucket.DPD_1_30),
                                             (31, Bucket.DPD_31_60), (60, Bucket.DPD_31_60),
                                             (61, Bucket.DPD_61_90), (90, Bucket.DPD_61_90),
                                             (91, Bucket.DPD_90_PLUS)])
def test_buckets_by_days_past_due(dpd: int, bucket: Bucket) -> None:
    assert bucket_of(dpd) is bucket


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        classify(-1, None)
    with pytest.raises(ValueError):
        bucket_of(-1)
