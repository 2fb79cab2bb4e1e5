"""Credit-bureau reports and disputes as the repository keeps them, against the in-memory fake and DynamoDB
(moto): a reporting date is claimed once (a second claim gets the first report), saved under its version, listed
newest first; a dispute is filed once, resolved under its version (two officers at once: one wins), listed per
customer (only hers) and by status earliest due first, each step in its trail."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.bureau_reporting import BureauReport, ReportFile, ReportStatus
from chalicelib.domain.credit_dispute import CreditDispute, DisputeStatus
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_a_reporting_date_is_claimed_once_and_saved_under_its_version(repo: Any) -> None:
    day = date(2000 + uuid.uuid4().int % 900, 1, 31)  # a date of this test's own
    first = repo.claim_bureau_report(BureauReport(day, ReportStatus.GENERATING, "olivia", NOW))
    second = repo.claim_bureau_report(BureauReport(day, ReportStatus.GENERATING, "oscar", NOW))
    assert first.requested_by == second.requested_by == "olivia" and second.version == first.version
    file = ReportFile(day, b"{}\n", "a" * 64, 3, 1, ())
    stale = repo.claim_bureau_report(BureauReport(day, ReportStatus.GENERATING, "oscar", NOW))
    done = first.generated(f"bureau-reporting/{day}/accounts.jsonl", file, 1, NOW)
    repo.save_bureau_report(done)
    with pytest.raises(ConcurrentModificationError):
        repo.save_bureau_report(stale.generated("elsewhere", file, 0, NOW))  # read before: refused
    again = repo.claim_bureau_report(BureauReport(day, ReportStatus.GENERATING, "oscar", NOW))
    assert again.status is ReportStatus.GENERATED and again.sha256 == "a" * 64 and again.accounts == 3
    assert again.s3_key.endswith("accounts.jsonl") and again.notices_sent == 1 and again.generated_at == NOW
    later = date(day.year, 2, 28)
    repo.claim_bureau_report(BureauReport(later, ReportStatus.GENERATING, "olivia", NOW))
    listed = [r.reporting_date for r in repo.bureau_reports(limit=100)]
    assert listed.index(later) < listed.index(day)  # newest first


def filed(customer: str, minutes: int = 0) -> CreditDispute:
    return CreditDispute.file(customer, f"loan_{uuid.uuid4().hex}", date(2026, 11, 30), "我已按时还款，不应报逾期",
                              f"customer:{customer}", NOW + timedelta(minutes=minutes))


def test_a_dispute_is_filed_once_and_resolved_once_under_its_version(repo: Any) -> None:
    dispute = filed(f"c-{uuid.uuid4().hex[:8]}")
    repo.add_dispute(dispute)
    with pytest.raises(ConcurrentModificationError):
        repo.add_dispute(dispute)
    first, second = repo.get_dispute(dispute.dispute_id), repo.get_dispute(dispute.dispute_id)
    first.resolve("olivia", True, "核实扣款记录，还款当日已到账，逾期系误报", {"days_past_due": 0, "status": "NORMAL"},
                  NOW + timedelta(days=3))
    repo.save_dispute(first)
    second.resolve("oscar", False, "核实后原记录无误，予以维持", {}, NOW + timedelta(days=3))
    with pytest.raises(ConcurrentModificationError):
        repo.save_dispute(second)
    stored = repo.get_dispute(dispute.dispute_id)
    assert stored.status is DisputeStatus.CORRECTED and stored.corrected_fields == {"days_past_due": 0,
                                                                                     "status": "NORMAL"}
    stored.reported(date(2026, 12, 31), NOW + timedelta(days=25))
    repo.save_dispute(stored)
    assert repo.get_dispute(dispute.dispute_id).reported_on == date(2026, 12, 31)
    assert [e["event"] for e in repo.audit_trail(dispute.dispute_id)] == [
        "CreditReportDisputed", "CreditReportDisputeResolved", "CreditReportCorrected"]
    with pytest.raises(NotFoundError):
        repo.get_dispute("dsp_" + "0" * 32)


def test_disputes_are_listed_per_customer_and_by_status_earliest_due_first(repo: Any) -> None:
    alice, bob = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    older, newer, bobs = filed(alice, 0), filed(alice, 5), filed(bob, 2)
    for d in (older, newer, bobs):
        repo.add_dispute(d)
    assert [d.dispute_id for d in repo.disputes_of(alice)] == [newer.dispute_id, older.dispute_id]
    assert [d.dispute_id for d in repo.disputes_of(bob)] == [bobs.dispute_id]
    ours = {older.dispute_id, newer.dispute_id, bobs.dispute_id}
    assert [d.dispute_id for d in repo.disputes_with_status(DisputeStatus.OPEN) if d.dispute_id in ours] == [
        older.dispute_id, bobs.dispute_id, newer.dispute_id]
    upheld = repo.get_dispute(older.dispute_id)
    upheld.resolve("olivia", False, "核实后原记录无误，予以维持", {}, NOW + timedelta(days=1))
    repo.save_dispute(upheld)
    assert older.dispute_id not in [d.dispute_id for d in repo.disputes_with_status(DisputeStatus.OPEN)]
    assert older.dispute_id in [d.dispute_id for d in repo.disputes_with_status(DisputeStatus.UPHELD)]
