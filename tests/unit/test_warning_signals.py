"""The figures behind the early-warning rules, derived from what each source reports."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.warning_signals import (
    BureauSnapshot,
    bureau_changes,
    draw_to_repay,
    line_drawn_at_once,
    tax_sales_drop,
)


def months(start_year: int, start_month: int, values: list[int]) -> dict[str, int]:
    out = {}
    for i, value in enumerate(values):
        index = start_year * 12 + start_month - 1 + i
        out[f"{index // 12:04d}-{index % 12 + 1:02d}"] = value
    return out


def test_sales_a_third_below_the_same_months_a_year_earlier_is_a_drop_of_a_third() -> None:
    steady = [100_000_00] * 12
    history = months(2025, 6, steady + [100_000_00] * 3 + [60_000_00, 70_000_00, 70_000_00])
    drop = tax_sales_drop(history)
    assert drop is not None and drop["months"] == ["2026-09", "2026-10", "2026-11"]
    assert drop["drop_ratio"] == round(1 - 200_000_00 / 300_000_00, 4) and drop["basis"] == "year_on_year"


def test_without_a_year_of_history_the_trailing_six_months_are_the_base() -> None:
    history = months(2026, 2, [90_000_00] * 6 + [45_000_00] * 3)
    drop = tax_sales_drop(history)
    assert drop == {"drop_ratio": 0.5, "basis": "trailing_6m", "months": ["2026-08", "2026-09", "2026-10"]}


def test_rising_or_too_short_sales_are_no_signal() -> None:
    assert tax_sales_drop(months(2026, 1, [10] * 9 + [20] * 3)) is None
    assert tax_sales_drop(months(2026, 1, [10, 5])) is None


def test_bureau_refresh_changes_become_signals() -> None:
    before = BureauSnapshot(lenders=2, inquiries_3m=1, overdue_fen=0, credit_limit_fen=100_000_00,
                            balance_fen=30_000_00)
    after = BureauSnapshot(lenders=5, inquiries_3m=7, overdue_fen=1_500_000, credit_limit_fen=100_000_00,
                           balance_fen=80_000_00)
    found = dict(bureau_changes(before, after))
    assert found == {"BUREAU_NEW_OVERDUE": {"new_overdue_fen": 1_500_000}, "BUREAU_LENDERS": {"lender_increase": 3},
                     "BUREAU_INQUIRIES": {"inquiries_3m": 7}, "BUREAU_UTILISATION": {"utilisation_increase": 0.5}}
    assert dict(bureau_changes(None, before)) == {"BUREAU_INQUIRIES": {"inquiries_3m": 1}}
    assert bureau_changes(after, after) == [("BUREAU_INQUIRIES", {"inquiries_3m": 7})]


def test_drawing_just_before_a_due_date_to_repay_it_is_found() -> None:
    due = date(2026, 12, 15)
    found = draw_to_repay([(date(2026, 12, 13), 500_000)], [(date(2026, 12, 14), 433_000)], [due])
    assert found == {"due_date": "2026-12-15", "drawn_on": "2026-12-13", "drawn_fen": 500_000,
                     "repaid_fen": 433_000}
    assert draw_to_repay([(date(2026, 12, 1), 500_000)], [(date(2026, 12, 14), 433_000)], [due]) is None
    assert draw_to_repay([(date(2026, 12, 14), 100_000)], [(date(2026, 12, 14), 433_000)], [due]) is None


def test_the_whole_line_drawn_within_a_week_of_activation() -> None:
    on = date(2026, 12, 1)
    assert line_drawn_at_once(on, 5_000_000, [(date(2026, 12, 2), 3_000_000), (date(2026, 12, 6), 1_800_000)])
    assert line_drawn_at_once(on, 5_000_000, [(date(2026, 12, 2), 3_000_000), (date(2026, 12, 20), 2_000_000)]) \
        is None
