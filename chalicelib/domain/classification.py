"""Five-category loan classification (贷款五级分类) and delinquency buckets.

The categories and their overdue floors follow the Measures on the Risk Classification of Financial Assets of
Commercial Banks (《商业银行金融资产风险分类办法》, CBIRC and PBoC, 2023): any amount overdue makes an asset at
least special mention (关注); overdue more than 90 days at least substandard (次级); more than 270 days at least
doubtful (可疑); more than 360 days loss (损失); a restructured loan is at least special mention for the 12 months
it is observed. The bank's own post-loan warnings add one rule of its policy: a RED or ORANGE warning makes the
loan at least special mention. The day counts are settings (a bank may be
stricter, never laxer), and every classification says why.

Classification only ever follows the evidence: it moves down as soon as the evidence does, and moves back up
when the overdue amount is repaid and the warning is closed (the history keeps every step)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class LoanClass(IntEnum):
    """Ordered from best to worst, so that ``max`` gives the stricter of two floors."""

    NORMAL = 1  # 正常
    SPECIAL_MENTION = 2  # 关注
    SUBSTANDARD = 3  # 次级
    DOUBTFUL = 4  # 可疑
    LOSS = 5  # 损失

    @property
    def label_zh(self) -> str:
        return {1: "正常", 2: "关注", 3: "次级", 4: "可疑", 5: "损失"}[self.value]

    @property
    def non_performing(self) -> bool:
        """不良: substandard, doubtful and loss."""
        return self >= LoanClass.SUBSTANDARD


@dataclass(frozen=True)
class ClassificationPolicy:
    """Days past due above which a loan is at least the category (the Measures' floors are 90/270/360)."""

    substandard_after_days: int = 90
    doubtful_after_days: int = 270
    loss_after_days: int = 360

    def __post_init__(self) -> None:
        if not 0 < self.substandard_after_days < self.doubtful_after_days < self.loss_after_days:
            raise ValueError("classification thresholds must rise: substandard < doubtful < loss")
        if self.substandard_after_days > 90 or self.doubtful_after_days > 270 or self.loss_after_days > 360:
            raise ValueError("a bank may classify more strictly than the Measures, never more leniently")


@dataclass(frozen=True)
class Classification:
    loan_class: LoanClass
    reasons: tuple[str, ...]  # reason codes, the strongest first


def classify(days_past_due: int, open_warning_level: str | None,
             policy: ClassificationPolicy = ClassificationPolicy(), under_observation: bool = False) -> Classification:
    """The category a loan must at least carry, with the reasons that put it there. ``under_observation``: the
    loan was restructured less than 12 months ago (the Measures: at least 关注 until the observation ends)."""
    if days_past_due < 0:
        raise ValueError("days past due cannot be negative")
    floors: list[tuple[LoanClass, str]] = []
    if days_past_due > policy.loss_after_days:
        floors.append((LoanClass.LOSS, "OVERDUE_OVER_LOSS_THRESHOLD"))
    elif days_past_due > policy.doubtful_after_days:
        floors.append((LoanClass.DOUBTFUL, "OVERDUE_OVER_DOUBTFUL_THRESHOLD"))
    elif days_past_due > policy.substandard_after_days:
        floors.append((LoanClass.SUBSTANDARD, "OVERDUE_OVER_SUBSTANDARD_THRESHOLD"))
    elif days_past_due > 0:
        floors.append((LoanClass.SPECIAL_MENTION, "OVERDUE"))
    if open_warning_level in {"RED", "ORANGE"}:
        floors.append((LoanClass.SPECIAL_MENTION, f"EARLY_WARNING_{open_warning_level}"))
    if under_observation:
        floors.append((LoanClass.SPECIAL_MENTION, "RESTRUCTURED_UNDER_OBSERVATION"))
    if not floors:
        return Classification(LoanClass.NORMAL, ("PERFORMING",))
    floors.sort(key=lambda floor: floor[0], reverse=True)
    return Classification(floors[0][0], tuple(reason for _, reason in floors))


class Bucket(StrEnum):
    """Delinquency buckets, by days past due."""

    CURRENT = "CURRENT"
    DPD_1_30 = "1-30"
    DPD_31_60 = "31-60"
    DPD_61_90 = "61-90"
    DPD_90_PLUS = "90+"


def bucket_of(days_past_due: int) -> Bucket:
    if days_past_due < 0:
        raise ValueError("days past due cannot be negative")
    if days_past_due == 0:
        return Bucket.CURRENT
    if days_past_due <= 30:
        return Bucket.DPD_1_30
    if days_past_due <= 60:
        return Bucket.DPD_31_60
    if days_past_due <= 90:
        return Bucket.DPD_61_90
    return Bucket.DPD_90_PLUS
