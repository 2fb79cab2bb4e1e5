"""Domain events: facts in the past tense. Each state change produces one, and the repository appends it to the
audit trail in the same DynamoDB transaction as the change itself, so the trail can never disagree with the state.

Event data carries ids, statuses, amounts and reason codes: never a name, phone or ID number.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .business_date import utcnow  # (events are stamped with it)


@dataclass(frozen=True)
class DomainEvent:
    name: str
    aggregate_id: str
    actor: str
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=utcnow)
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)


# Names, kept in one place so the audit trail has a closed vocabulary.
APPLICATION_CREATED = "ApplicationCreated"
APPLICATION_SUBMITTED = "ApplicationSubmitted"
DOCUMENT_RECEIVED = "DocumentReceived"
DOCUMENT_UPLOAD_REFUSED = "DocumentUploadRefused"
IDENTITY_VERIFIED = "IdentityVerified"
CREDIT_DATA_GATHERED = "CreditDataGathered"
APPLICATION_SCORED = "ApplicationScored"
APPLICATION_REFERRED = "ApplicationReferred"
REVIEW_DECIDED = "ReviewDecided"
CONFLICT_OF_INTEREST_REFUSED = "ConflictOfInterestRefused"
PERSONAL_DATA_REVEALED = "PersonalDataRevealed"
OFFER_MADE = "OfferMade"
APPLICATION_DECLINED = "ApplicationDeclined"
OFFER_ACCEPTED = "OfferAccepted"
CONTRACT_GENERATED = "ContractGenerated"
PHONE_VERIFIED = "PhoneVerified"
SIGNING_OTP_SENT = "SigningOtpSent"
SIGNING_OTP_REJECTED = "SigningOtpRejected"
CONTRACT_SIGNED = "ContractSigned"
OFFER_EXPIRED = "OfferExpired"
APPLICATION_WITHDRAWN = "ApplicationWithdrawn"
APPLICATION_FAILED = "ApplicationFailed"
CREDIT_LINE_ACTIVATED = "CreditLineActivated"
DRAWDOWN_REQUESTED = "DrawdownRequested"
LIMIT_RESERVED = "LimitReserved"
DRAWDOWN_REJECTED = "DrawdownRejected"
PAYOUT_STARTED = "PayoutStarted"
FUNDS_DISBURSED = "FundsDisbursed"
RESERVATION_RELEASED = "ReservationReleased"
LOAN_BOOKED = "LoanBooked"
CUSTOMER_NOTIFIED = "CustomerNotified"
LOAN_REPAID = "LoanRepaid"
INSTALMENT_COLLECTED = "InstalmentCollected"
LOAN_OVERDUE = "LoanOverdue"
CREDIT_LINE_CLOSED = "CreditLineClosed"
ARCHIVE_TIMESTAMP_RENEWED = "ArchiveTimestampRenewed"
CREDIT_LINE_FROZEN = "CreditLineFrozen"  # by an early warning (RED)
CREDIT_LINE_UNFROZEN = "CreditLineUnfrozen"  # by an officer's disposition of the warning
CREDIT_LINE_LIMIT_REDUCED = "CreditLineLimitReduced"  # by an officer's disposition (never below what is drawn)
LOAN_ACCELERATION_PROPOSED = "LoanAccelerationProposed"  # 提前到期 proposed by an officer: legal acts on it
DRAWDOWN_AWAITS_APPROVAL = "DrawdownAwaitsApproval"  # an ORANGE warning is open on the line
DRAWDOWN_APPROVED = "DrawdownApproved"  # by an officer: the workflow starts
DRAWDOWN_DECLINED = "DrawdownDeclined"  # by an officer: nothing was reserved
DOCUMENT_PROCESSED = "DocumentProcessed"
CONSENT_GRANTED = "ConsentGranted"
DRAWDOWN_NEEDS_ATTENTION = "DrawdownNeedsAttention"
FIRST_APPROVAL_RECORDED = "FirstApprovalRecorded"
IDENTITY_NOT_VERIFIED = "IdentityNotVerified"
CREDIT_DECIDED = "CreditDecided"
LIVENESS_SESSION_STARTED = "LivenessSessionStarted"
LIVENESS_CHECKED = "LivenessChecked"
CONSENT_WITHDRAWN = "ConsentWithdrawn"
WARNING_DISPOSED = "WarningDisposed"  # an officer's disposition of an early warning, whatever it changed
COMPLAINT_RECEIVED = "ComplaintReceived"  # a customer's complaint, with its due date
COMPLAINT_ANSWERED = "ComplaintAnswered"  # an officer's answer to it (once)
DISPUTE_FILED = "CreditReportDisputed"  # an objection (异议) to what the bank reports to the credit bureau
DISPUTE_RESOLVED = "CreditReportDisputeResolved"  # an officer's finding: corrected, or the record stands
DISPUTE_CORRECTION_REPORTED = "CreditReportCorrected"  # the correction went out in a report
BUREAU_REPORT_GENERATED = "CreditBureauReportGenerated"  # a reporting date's file written
BUREAU_NEGATIVE_NOTICE_SENT = "CreditBureauNegativeNoticeSent"  # told before her first negative report
IN_PERSON_VERIFICATION_AWAITED = "InPersonVerificationAwaited"  # no face: the workflow waits for an officer
IN_PERSON_VERIFICATION_RECORDED = "InPersonVerificationRecorded"  # the officer, branch or video, time, outcome
AML_CASE_OPENED = "AmlCaseOpened"  # a pattern or a list hit for a compliance officer to look at
AML_CASE_DECIDED = "AmlCaseDecided"  # reported as suspicious, or closed with the reason
HUMAN_REVIEW_REQUESTED = "HumanReviewRequested"  # the customer asked a person to review an automated decision
HUMAN_REVIEW_DECIDED = "HumanReviewDecided"  # the officer's outcome of that review
RESTRUCTURING_REQUESTED = "RestructuringRequested"  # more months asked for (the borrower) or proposed (an officer)
RESTRUCTURING_DECIDED = "RestructuringDecided"  # one officer's approval or decline (two approve)
LOAN_RESTRUCTURED = "LoanRestructured"  # the new schedule booked, the old one closed; at least 关注 for 12 months
WRITE_OFF_PROPOSED = "WriteOffProposed"  # 核销 proposed by one officer
WRITE_OFF_DECLINED = "WriteOffDeclined"  # the second officer did not confirm it
LOAN_WRITTEN_OFF = "LoanWrittenOff"  # confirmed: off the balance sheet, the claim kept
WRITTEN_OFF_LOAN_RECOVERED = "WrittenOffLoanRecovered"  # money collected after the write-off
REMINDER_SENT = "RepaymentReminderSent"  # a due-date or missed-payment reminder to the borrower
COLLECTION_CONTACT_LOGGED = "CollectionContactLogged"  # an officer's contact with the borrower
PROMISE_TO_PAY_RECORDED = "PromiseToPayRecorded"
PROMISE_TO_PAY_BROKEN = "PromiseToPayBroken"  # the date passed unpaid: the case escalates
CUSTOMER_LOOKED_UP = "CustomerLookedUp"  # an officer found a customer by ID number (the number is never kept)
ID_DOCUMENTS_VIEWED = "IdDocumentsViewed"  # an officer opened the card images (watermarked review copies)
RISK_LIST_ENTRY_ADDED = "RiskListEntryAdded"  # an identity put on the bank's risk list (its keyed hash only)
STAFF_IDENTITY_REGISTERED = "StaffIdentityRegistered"  # an officer's ID number in the staff register (hashed)

# Whose act an event records. Staff acts are also indexed by day for the audit search.
OFFICER = "officer:"


def officer_actor(officer_id: str) -> str:
    return f"{OFFICER}{officer_id}"


def is_staff_action(event: DomainEvent) -> bool:
    return event.actor.startswith(OFFICER)
