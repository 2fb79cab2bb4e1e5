from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.business_date import utcnow
from ..ports import (
    AccountVerifier,
    BureauReportFiles,
    BureauReportingIntake,
    Clock,
    ContractSealer,
    ContractSigning,
    CoreBanking,
    CreditBureau,
    CustomerRecords,
    DocumentStore,
    ExternalRecordFeed,
    FaceService,
    FieldCipher,
    IdentityRegister,
    ImageProbe,
    ImageStamp,
    LendingRepository,
    Notifier,
    OcrEngine,
    ReportStore,
    Secrets,
    SessionCheck,
    SignIn,
    TaxAuthority,
    WarningStore,
    Workflow,
)
from ..settings import Settings


class SystemClock(Clock):
    def now(self) -> datetime:
        return utcnow()


@dataclass
class Dependencies:
    settings: Settings
    repo: LendingRepository
    documents: DocumentStore
    workflow: Workflow
    notifier: Notifier
    core_banking: CoreBanking
    bureau: CreditBureau
    customer_records: CustomerRecords
    tax: TaxAuthority
    reports: ReportStore
    clock: Clock
    secrets: Secrets
    cipher: FieldCipher
    ocr_engines: dict[str, OcrEngine]
    faces: FaceService
    contracts: ContractSigning
    sealer: ContractSealer
    warnings: WarningStore
    external_records: ExternalRecordFeed
    sign_in: SignIn
    identities: IdentityRegister
    accounts: AccountVerifier
    stamp: ImageStamp
    images: ImageProbe
    sessions: SessionCheck
    bureau_intake: BureauReportingIntake
    bureau_files: BureauReportFiles

    def ocr_for(self, doc_type: str) -> OcrEngine:
        return self.ocr_engines[self.settings.ocr_engines.get(doc_type, "rapidocr")]
