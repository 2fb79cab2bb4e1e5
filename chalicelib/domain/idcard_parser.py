"""Reads the fields of a resident ID card out of normalised OCR lines.

OCR may return a label and its value as one line ("姓名张三") or two ("姓名", "张三"), may put spaces inside
labels, and may add a stray character before a date. The parser therefore works on the text in reading order
and anchors on the labels and the shapes of the values, never on positions."""

from __future__ import annotations

import re
from datetime import date

from .identity import IdCard, normalise_id_number
from .ocr import OcrResult

_SPACES = re.compile(r"[ \t\u3000]+")
LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码", "签发机关", "有效期限",  # ID card
          "统一社会信用代码", "名称", "类型", "法定代表人", "经营者", "经营场所", "经营范围", "注册资本", "成立日期",
          "住所")  # business licence


def _lines(result: OcrResult) -> list[str]:
    return [_SPACES.sub("", line.text) for line in result.reading_order() if line.text.strip()]


def _after(label: str, text: str) -> str | None:
    match = re.search(label + r"[:：]?(.*)", text)
    return _cut_at_label(match.group(1)) if match else None


def _cut_at_label(value: str) -> str:
    """A value ends where the next label begins ("汉出生" -> "汉")."""
    cut = min((value.find(label) for label in LABELS if label in value), default=-1)
    return value[:cut] if cut >= 0 else value


def _value(label: str, lines: list[str], i: int) -> str | None:
    """The value after a label: on the same line, or alone on the next line."""
    same = _after(label, lines[i])
    if same:
        return same
    following = lines[i + 1] if i + 1 < len(lines) else ""
    return following if following and not following.startswith(LABELS) else None


def parse_front(result: OcrResult) -> IdCard:
    lines = _lines(result)
    joined = "".join(lines)
    name = sex = ethnicity = address = number = None
    birth = None
    for i, line in enumerate(lines):
        if line.startswith("姓名"):
            name = _value("姓名", lines, i)
        if "性别" in line:
            found = re.match(r"[男女]", _value("性别", lines, i) or "")
            sex = found.group(0) if found else None
        if "民族" in line:
            found = re.match(r"[\u4e00-\u9fff]{1,6}", _value("民族", lines, i) or "")
            ethnicity = found.group(0) if found else None
        if line.startswith("住址"):
            parts = [_after("住址", line) or ""]
            for following in lines[i + 1:]:
                if following.startswith(LABELS) or re.search(r"[0-9]{17}[0-9Xx]", following):
                    break
                parts.append(following)
            address = "".join(parts) or None
    found_birth = re.search(r"([12][0-9]{3})年([01]?[0-9])月([0-3]?[0-9])日", joined)
    if found_birth:
        try:
            birth = date(int(found_birth.group(1)), int(found_birth.group(2)), int(found_birth.group(3)))
        except ValueError:
            birth = None
    found_number = re.search(r"(?<![0-9])([0-9]{17}[0-9Xx])(?![0-9])", joined)
    if found_number:
        number = normalise_id_number(found_number.group(1))
    return IdCard(name=name, sex=sex, ethnicity=ethnicity, birth_date=birth, address=address, id_number=number,
                  min_confidence=_confidence(result))


def _date(text: str) -> date | None:
    try:
        y, m, d = (int(p) for p in text.split("."))
        return date(y, m, d)
    except ValueError:
        return None


def parse_back(result: OcrResult) -> IdCard:
    lines = _lines(result)
    joined = "".join(lines)
    authority = None
    for i, line in enumerate(lines):
        if line.startswith("签发机关"):
            authority = _value("签发机关", lines, i)
    valid_from = valid_until = None
    long_term = False
    found = re.search(r"([0-9]{4}\.[0-9]{2}\.[0-9]{2})[-—－至]+([0-9]{4}\.[0-9]{2}\.[0-9]{2}|长期)", joined)
    if found:
        valid_from = _date(found.group(1))
        long_term = found.group(2) == "长期"
        valid_until = None if long_term else _date(found.group(2))
    return IdCard(issuing_authority=authority, valid_from=valid_from, valid_until=valid_until, long_term=long_term,
                  min_confidence=_confidence(result))


def _confidence(result: OcrResult) -> float:
    return result.min_confidence if result.lines else 0.0


def parse_business_licence(result: OcrResult) -> dict[str, str | None]:
    """营业执照: 统一社会信用代码, 名称, 成立日期. Values only; checks are in domain.identity."""
    lines = _lines(result)
    joined = "".join(lines)
    code = re.search(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])", joined)
    name = None
    for i, line in enumerate(lines):
        if line.startswith("名称"):
            name = _value("名称", lines, i)
    founded = re.search(r"成立日期[:：]?([12][0-9]{3})年([01]?[0-9])月([0-3]?[0-9])日", joined)
    established = None
    if founded:
        try:
            established = date(int(founded.group(1)), int(founded.group(2)), int(founded.group(3))).isoformat()
        except ValueError:
            established = None
    return {"uscc": code.group(1) if code else None, "name": name, "established": established}
