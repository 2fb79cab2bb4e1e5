"""What the back office is shown: the origination funnel read from milestone events, the watermark burned into card
images, and the band (never the score) of a face comparison."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.pillow_watermark import PillowStamp
from chalicelib.domain.funnel import funnel, nearest_rank

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def entry(event: str, subject: str, at: datetime, **data: object) -> dict:
    return {"event": event, "aggregate_id": subject, "actor": "system", "occurred_at": at.isoformat(), "data": data}


def test_each_application_and_each_line_counts_once_and_the_earliest_first_payout_is_timed() -> None:
    submitted = T0.isoformat()
    found = funnel([
        entry("ApplicationSubmitted", "app_1", T0), entry("ApplicationSubmitted", "app_2", T0),
        entry("ApplicationSubmitted", "app_1", T0),  # the same event read twice counts once
        entry("OfferMade", "app_1", T0 + timedelta(minutes=1)),
        entry("ContractSigned", "app_1", T0 + timedelta(minutes=3)),
        # two first drawdowns of one new line booked at once: one line drawn, timed from the earlier
        entry("LoanBooked", "dd_a", T0 + timedelta(minutes=10), first_on_line=True, credit_line_id="line_1",
              submitted_at=submitted),
        entry("LoanBooked", "dd_b", T0 + timedelta(minutes=11), first_on_line=True, credit_line_id="line_1",
              submitted_at=submitted),
        entry("LoanBooked", "dd_c", T0 + timedelta(minutes=30), loan_id="loan_c"),  # not a first loan
        entry("PersonalDataRevealed", "app_1", T0),  # not a milestone
    ])
    assert found["counts"] == {"APPLIED": 2, "OFFERED": 1, "SIGNED": 1, "DRAWN": 1}
    assert found["submission_to_first_payout"] == {"count": 1, "median_seconds": 600, "p90_seconds": 600}


def test_quantiles_are_values_that_occurred() -> None:
    waits = [float(s) for s in range(1, 11)]
    assert (nearest_rank(waits, 0.5), nearest_rank(waits, 0.9), nearest_rank([], 0.5)) == (5, 9, None)


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(out, "PNG")
    return out.getvalue()


def test_the_watermark_covers_the_picture_and_makes_a_smaller_jpeg() -> None:
    from PIL import Image

    original = png(3000, 1900)
    stamped = PillowStamp().stamp(original, ("仅供审核", "officer-1", "2026-12-01 10:00"))
    picture = Image.open(io.BytesIO(stamped))
    assert picture.format == "JPEG" and max(picture.size) == 1600  # a review copy, not the full resolution
    grid = [picture.getpixel((x, y)) for x in range(0, 1600, 40) for y in range(0, picture.size[1], 40)]
    marked = [p for p in grid if p[0] > p[1] + 30]  # the red text over the grey card
    assert len(marked) > len(grid) * 0.02  # across the picture, not in one corner


@pytest.mark.parametrize("data", [b"not an image", b"\x89PNG\r\n\x1a\n broken"])
def test_what_is_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        PillowStamp().stamp(data, ("仅供审核",))


def test_an_officer_sees_the_face_comparisons_band_never_its_score() -> None:
    from chalicelib.domain.face import FacePolicy, match_band

    policy = FacePolicy()
    assert [match_band(s, policy) for s in (99.2, 95.0, 94.9, 80.0, 79.9, None)] == [
        "MATCH", "MATCH", "BORDERLINE", "BORDERLINE", "LOW", "NO_FACE"]
