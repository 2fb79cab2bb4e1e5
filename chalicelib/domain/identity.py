"""Chinese resident identity card (居民身份证) and business licence checks. Pure: no OCR, no AWS.

Each failed check has its own reason code, so a risk officer (and the customer, in plain words) can see exactly
why an identity was not accepted. A check that cannot be made because the photo was not read well enough asks
for a better photo (RETRY) rather than declining.

ID number (GB 11643-1999): 6-digit area code (first two: province), 8-digit birth date, 3-digit sequence (odd:
male, even: female), ISO 7064 MOD 11-2 check character (0-9 or X).
Unified social credit code (GB 32100-2015): 18 characters from a 31-character alphabet, weighted MOD 31 check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
})
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Verdict(StrEnum):
    PASS = "PASS"  # noqa: S105 - a verdict, not a password
    RETRY = "RETRY"  # ask for a better photo: nothing wrong was proven
    FAIL = "FAIL"
    REVIEW = "REVIEW"  # borderline: a risk officer decides


def normalise_id_number(raw: str) -> str:
    """Removes spaces and turns a lower-case x (often what OCR returns) into the official X."""
    return re.sub(r"\s", "", raw).upper()


def id_check_character(first17: str) -> str:
    return ID_CHECK_CODES[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def mask_id_number(id_number: str) -> str:
    """3301**********0017: area prefix and last four only."""
    n = normalise_id_number(id_number)
    return f"{n[:4]}{'*' * (len(n) - 8)}{n[-4:]}" if len(n) > 8 else "*" * len(n)


@dataclass(frozen=True)
class IdNumberFacts:
    province: str
    birth_date: date
    sex: str  # 男 / 女


def id_number_problems(id_number: str) -> tuple[list[str], IdNumberFacts | None]:
    """Reason codes for what is wrong with the number itself; the facts it encodes when it is well formed."""
    n = normalise_id_number(id_number)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", n):  # ASCII only: \d would accept ٠-٩
        return ["ID_NUMBER_FORMAT"], None
    problems = []
    if id_check_character(n[:17]) != n[17]:
        problems.append("ID_NUMBER_CHECK_DIGIT")
    if n[:2] not in PROVINCE_CODES:
        problems.append("ID_PROVINCE_INVALID")
    try:
        birth = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return [*problems, "ID_BIRTH_DATE_INVALID"], None
    return problems, IdNumberFacts(n[:2], birth, "男" if int(n[16]) % 2 else "女")


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problems(code: str) -> list[str]:
    c = re.sub(r"\s", "", code).upper()
    if len(c) != 18 or any(ch not in USCC_ALPHABET for ch in c):
        return ["USCC_FORMAT"]
    return [] if uscc_check_character(c[:17]) == c[17] else ["USCC_CHECK_CHARACTER"]


@dataclass(frozen=True)
class IdCard:
    """What was read from both sides of the card. ``None`` means not read."""

    name: str | None = None
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: date | None = None
    address: str | None = None
    id_number: str | None = None
    issuing_authority: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None  # None with long_term=True: 长期
    long_term: bool = False
    min_confidence: float = 0.0


@dataclass(frozen=True)
class IdentityPolicy:
    min_age: int = 18
    max_age: int = 65
    min_ocr_confidence: float = 0.80


@dataclass(frozen=True)
class IdCardAssessment:
    verdict: Verdict
    reason_codes: tuple[str, ...]
    masked_id_number: str | None = None
    facts: dict[str, str] = field(default_factory=dict)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def assess_id_card(card: IdCard, declared_name: str, today: date, policy: IdentityPolicy) -> IdCardAssessment:
    missing = [f for f in ("name", "id_number", "birth_date", "sex") if getattr(card, f) is None]
    if card.valid_until is None and not card.long_term:
        missing.append("valid_until")
    if missing or card.min_confidence < policy.min_ocr_confidence:
        return IdCardAssessment(Verdict.RETRY, ("OCR_UNREADABLE" if missing else "OCR_LOW_CONFIDENCE",),
                                facts={"unread": ",".join(missing)} if missing else {})
    assert card.id_number is not None and card.name is not None
    problems, facts = id_number_problems(card.id_number)
    if facts is not None:
        if card.birth_date != facts.birth_date:
            problems.append("ID_BIRTH_DATE_MISMATCH")
        if card.sex != facts.sex:
            problems.append("ID_SEX_MISMATCH")
        if not policy.min_age <= age_on(facts.birth_date, today) <= policy.max_age:
            problems.append("AGE_OUT_OF_BOUNDS")
    if not card.long_term and card.valid_until is not None and card.valid_until < today:
        problems.append("ID_CARD_EXPIRED")
    if re.sub(r"\s", "", card.name) != re.sub(r"\s", "", declared_name):
        problems.append("NAME_MISMATCH")
    masked = mask_id_number(card.id_number)
    shown = {"name": card.name[0] + "*" * (len(card.name) - 1), "sex": card.sex or "",
             "valid_until": "长期" if card.long_term else (card.valid_until.isoformat() if card.valid_until else "")}
    return IdCardAssessment(Verdict.FAIL if problems else Verdict.PASS, tuple(problems), masked, shown)
