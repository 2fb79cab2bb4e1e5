"""The bank's business date. Loans start, instalments fall due, quotes accrue, auto-debit runs, days past due
count and business hours apply by the calendar date in Beijing, whatever the servers' clock zone: a drawdown at
00:01 Beijing time (16:01 UTC the day before) is dated that Beijing day.

China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact, and it needs no time-zone
database on the Lambda image."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    """Now, aware and in UTC: what is stored; the business date is read from it (below)."""
    return datetime.now(UTC)


def business_date(moment: datetime) -> date:
    """The Beijing calendar date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no business date: pass an aware one (UTC)")
    return moment.astimezone(BEIJING).date()


def beijing_time(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)
