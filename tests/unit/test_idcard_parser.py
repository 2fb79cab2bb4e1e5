"""The ID card parser over OCR lines shaped the ways engines really return them."""

from datetime import date

from chalicelib.domain.idcard_parser import parse_back, parse_front
from chalicelib.domain.ocr import Box, OcrLine, OcrResult


def result(*rows: str) -> OcrResult:
    return OcrResult("test", 1, tuple(OcrLine(text, 0.99, Box(0.05, i * 0.1, 0.6, i * 0.1 + 0.05))
                                      for i, text in enumerate(rows)))


def test_labels_and_values_on_separate_lines_with_spaces() -> None:
    card = parse_front(result("姓 名", "张三", "性 别", "男", "民 族", "汉", "出 生", "1990 年 1 月 1 日",
                              "住 址", "浙江省杭州市上城区", "清泰街100号", "公民身份号码", "33010219900101001x"))
    assert (card.name, card.sex, card.ethnicity, card.birth_date) == ("张三", "男", "汉", date(1990, 1, 1))
    assert card.address == "浙江省杭州市上城区清泰街100号"
    assert card.id_number == "33010219900101001X"


def test_labels_and_values_run_together() -> None:
    card = parse_front(result("姓名张三", "性别男民族汉", "出生1990年1月1日", "住址浙江省杭州市",
                              "公民身份号码330102199001010012"))
    assert (card.name, card.sex, card.ethnicity, card.address) == ("张三", "男", "汉", "浙江省杭州市")


def test_back_with_a_stray_character_and_long_term_validity() -> None:
    card = parse_back(result("中华人民共和国", "居民身份证", "签发机关", "北京市公安局朝阳分局", "有效期限",
                             "艮2015.08.20-长期"))
    assert card.issuing_authority == "北京市公安局朝阳分局"
    assert (card.valid_from, card.valid_until, card.long_term) == (date(2015, 8, 20), None, True)


def test_nothing_read_is_nothing_guessed() -> None:
    card = parse_front(OcrResult("test", 1, ()))
    assert card.name is None and card.id_number is None and card.min_confidence == 0.0
