"""ID number, business licence code and ID card checks, with property-based tests of the validators."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.identity import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    IdCard,
    IdentityPolicy,
    Verdict,
    assess_id_card,
    id_check_character,
    id_number_problems,
    mask_id_number,
    uscc_check_character,
    uscc_problems,
)

TODAY = date(2026, 11, 29)


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = province + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(st.dates(date(1940, 1, 1), date(2025, 12, 31)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = area + birth.strftime("%Y%m%d") + sequence
    return first17 + id_check_character(first17)


@given(valid_id_numbers())
def test_every_well_formed_number_passes_and_reveals_its_birth_date(number: str) -> None:
    problems, facts = id_number_problems(number)
    assert problems == [] and facts is not None
    assert facts.birth_date.strftime("%Y%m%d") == number[6:14]
    assert facts.sex == ("男" if int(number[16]) % 2 else "女")


@given(valid_id_numbers(), st.integers(0, 17), st.integers(1, 10))
def test_any_single_character_corruption_is_rejected(number: str, position: int, shift: int) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    wrong = alphabet[(alphabet.index(number[position]) + shift) % len(alphabet)]
    if wrong == number[position]:
        return
    corrupted = number[:position] + wrong + number[position + 1:]
    problems, _ = id_number_problems(corrupted)
    # MOD 11-2 detects every single substitution: the number is never accepted as it stands
    assert problems, corrupted


def test_known_numbers() -> None:
    assert id_number_problems("11010519491231002X")[0] == []  # the standard's own example
    assert id_number_problems("11010519491231002x")[0] == []  # OCR's lower-case x is normalised
    assert id_number_problems("110105194912310021")[0] == ["ID_NUMBER_CHECK_DIGIT"]
    assert id_number_problems("99010519491231002X")[0][-1] == "ID_PROVINCE_INVALID"
    assert id_number_problems("1101051949123")[0] == ["ID_NUMBER_FORMAT"]
    assert id_number_problems("110105194913310025")[0][-1] == "ID_BIRTH_DATE_INVALID"
    assert mask_id_number("330102199001010012") == "3301**********0012"


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_unified_social_credit_codes_validate_and_detect_substitutions(first17: str) -> None:
    code = first17 + uscc_check_character(first17)
    assert uscc_problems(code) == []
    i = len(first17) // 2
    other = USCC_ALPHABET[(USCC_ALPHABET.index(code[i]) + 7) % 31]
    assert uscc_problems(code[:i] + other + code[i + 1:]) == ["USCC_CHECK_CHARACTER"]


def test_real_format_unified_social_credit_code() -> None:
    assert uscc_problems("91350100M000100Y43") == []  # a published example
    assert uscc_problems("91350100M000100Y44") == ["USCC_CHECK_CHARACTER"]
    assert uscc_problems("9135010OM000100Y43") == ["USCC_FORMAT"]  # the letter O is not in the alphabet


def card(**changes: object) -> IdCard:
    base = dict(name="张三", sex="男", ethnicity="汉", birth_date=date(1990, 1, 1), address="浙江省杭州市上城区",
                id_number="330102199001010012", issuing_authority="杭州市公安局上城分局",
                valid_from=date(2016, 3, 1), valid_until=date(2036, 3, 1), min_confidence=0.95)
    base.update(changes)
    return IdCard(**base)  # type: ignore[arg-type]


def reasons(c: IdCard, name: str = "张三") -> tuple[Verdict, tuple[str, ...]]:
    a = assess_id_card(c, name, TODAY, IdentityPolicy())
    return a.verdict, a.reason_codes


def test_a_good_card_passes_and_is_shown_masked() -> None:
    assert id_number_problems("330102199001010012")[0] == []
    a = assess_id_card(card(), "张三", TODAY, IdentityPolicy())
    assert (a.verdict, a.masked_id_number, a.facts["name"]) == (Verdict.PASS, "3301**********0012", "张*")
    assert reasons(card(valid_until=None, long_term=True)) == (Verdict.PASS, ())


@pytest.mark.parametrize(("changes", "name", "code"), [
    ({"valid_until": TODAY - timedelta(days=1)}, "张三", "ID_CARD_EXPIRED"),
    ({"id_number": "330102199001010013"}, "张三", "ID_NUMBER_CHECK_DIGIT"),
    ({"sex": "女"}, "张三", "ID_SEX_MISMATCH"),
    ({"birth_date": date(1990, 1, 2)}, "张三", "ID_BIRTH_DATE_MISMATCH"),
    ({}, "李四", "NAME_MISMATCH"),
    ({"id_number": "330102201001010012", "birth_date": date(2010, 1, 1)}, "张三", "AGE_OUT_OF_BOUNDS"),
    ({"id_number": "330102195001010014", "birth_date": date(1950, 1, 1)}, "张三", "AGE_OUT_OF_BOUNDS"),
])
def test_each_failed_check_has_its_reason_code(changes: dict, name: str, code: str) -> None:
    verdict, codes = reasons(card(**changes), name)
    assert verdict is Verdict.FAIL and code in codes


def test_a_poorly_read_card_asks_for_a_better_photo_rather_than_declining() -> None:
    assert reasons(card(min_confidence=0.5)) == (Verdict.RETRY, ("OCR_LOW_CONFIDENCE",))
    assert reasons(card(id_number=None)) == (Verdict.RETRY, ("OCR_UNREADABLE",))


def test_non_ascii_digits_are_not_an_id_number() -> None:
    assert id_number_problems("1101051949123100２X")[0] == ["ID_NUMBER_FORMAT"]  # full-width 2
    assert id_number_problems("11010519491231٠02X")[0] == ["ID_NUMBER_FORMAT"]  # Arabic-Indic 0
