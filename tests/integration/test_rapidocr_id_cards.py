"""The local OCR engine really reads the synthetic ID cards in tests/fixtures/idcards (drawn by draw_cards.py),
and every field parsed from them matches what was drawn."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from chalicelib.adapters.rapidocr_ocr import RapidOcr, UnreadableImageError
from chalicelib.domain.idcard_parser import parse_back, parse_front
from chalicelib.domain.identity import IdentityPolicy, Verdict, assess_id_card

CARDS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "idcards"
EXPECTED = json.loads((CARDS_DIR / "cards.json").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def ocr() -> RapidOcr:
    return RapidOcr()


def read_card(ocr: RapidOcr, key: str):  # type: ignore[no-untyped-def]
    front = parse_front(ocr.read((CARDS_DIR / f"{key}_front.png").read_bytes()))
    back = parse_back(ocr.read((CARDS_DIR / f"{key}_back.png").read_bytes()))
    return replace(front, issuing_authority=back.issuing_authority, valid_from=back.valid_from,
                   valid_until=back.valid_until, long_term=back.long_term,
                   min_confidence=min(front.min_confidence, back.min_confidence))


@pytest.mark.parametrize("key", sorted(k for k, v in EXPECTED.items() if not v["blurred"]))
def test_every_field_is_read_as_drawn(ocr: RapidOcr, key: str) -> None:
    want = EXPECTED[key]
    card = read_card(ocr, key)
    assert card.name == want["name"]
    assert card.sex == want["sex"]
    assert card.ethnicity == want["ethnicity"]
    assert card.birth_date == date.fromisoformat(want["birth_date"])
    assert card.address == want["address"]
    assert card.id_number == want["id_number"]
    assert card.issuing_authority == want["issuing_authority"]
    assert card.valid_from == date.fromisoformat(want["valid_from"])
    assert card.long_term is want["long_term"]
    assert card.valid_until == (date.fromisoformat(want["valid_until"]) if want["valid_until"] else None)
    assert card.min_confidence >= IdentityPolicy().min_ocr_confidence  # read well enough to be trusted


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_card_gets_the_expected_verdict(ocr: RapidOcr, key: str) -> None:
    want = EXPECTED[key]
    assessment = assess_id_card(read_card(ocr, key), want["name"], TODAY, IdentityPolicy())
    if want["expect"] in ("PASS", "RETRY"):
        assert assessment.verdict is Verdict(want["expect"]), assessment
    else:
        assert assessment.verdict is Verdict.FAIL and want["expect"] in assessment.reason_codes, assessment


def test_corrupt_bytes_are_unreadable_not_a_crash(ocr: RapidOcr) -> None:
    png = (CARDS_DIR / "valid_zhang_front.png").read_bytes()
    for bad in (b"", b"not an image", png[: len(png) // 3]):
        with pytest.raises(UnreadableImageError):
            ocr.read(bad)


def test_the_business_licence_is_read_and_its_code_checked(ocr: RapidOcr) -> None:
    from chalicelib.domain.idcard_parser import parse_business_licence
    from chalicelib.domain.identity import uscc_problems

    want = json.loads((CARDS_DIR / "licence.json").read_text(encoding="utf-8"))
    good = parse_business_licence(ocr.read((CARDS_DIR / "licence_valid.png").read_bytes()))
    assert good == {"uscc": want["valid"], "name": want["name"], "established": want["established"]}
    assert uscc_problems(good["uscc"]) == []
    bad = parse_business_licence(ocr.read((CARDS_DIR / "licence_bad_check.png").read_bytes()))
    assert bad["uscc"] == want["bad_check"] and uscc_problems(bad["uscc"]) == ["USCC_CHECK_CHARACTER"]
