"""Ports: what the services need from the outside world, by business area (repository: one per aggregate;
origination, servicing, monitoring, access, platform). Adapters in ``chalicelib/adapters`` implement them with a
named technology (DynamoDB, S3, Step Functions...); tests pass in-memory fakes that subclass the same ports."""

from .access import OfficerSession, SessionCheck, SignIn
from .bureau_reporting import BureauReportFiles, BureauReportingIntake
from .customers import CustomerRecords
from .monitoring import ExternalRecordFeed, WarningStore
from .origination import (
    AccountCheck,
    AccountVerifier,
    ContractSealer,
    ContractSigning,
    CreditBureau,
    DocumentStore,
    FaceService,
    IdentityRegister,
    ImageProbe,
    ImageStamp,
    OcrEngine,
    ReportStore,
    StoredObject,
    TaxAuthority,
)
from .platform import Clock, FieldCipher, Notifier, Secrets
from .repository import (
    ApplicationRepository,
    AuditTrail,
    CreditLineRepository,
    CustomerMessage,
    DocumentRecord,
    DrawdownRepository,
    LendingRepository,
    LoanRepository,
    LoanWorkoutRepository,
    OneTimeCodeRepository,
    OutboxMessage,
    RiskListRepository,
    SweepRepository,
    SweptLine,
)
from .servicing import CoreBanking, Workflow

__all__ = [
    "AccountCheck", "AccountVerifier", "ApplicationRepository", "AuditTrail", "BureauReportFiles",
    "BureauReportingIntake", "Clock", "ContractSealer",
    "ContractSigning", "CoreBanking", "CreditBureau", "CreditLineRepository", "CustomerMessage", "CustomerRecords",
    "DocumentRecord",
    "DocumentStore",
    "DrawdownRepository", "ExternalRecordFeed", "FaceService", "FieldCipher", "IdentityRegister", "ImageProbe",
    "ImageStamp", "LendingRepository", "LoanRepository",
    "LoanWorkoutRepository", "Notifier", "OcrEngine",
    "OfficerSession", "OneTimeCodeRepository", "OutboxMessage", "ReportStore", "RiskListRepository", "Secrets",
    "SessionCheck", "SignIn", "StoredObject", "SweepRepository", "SweptLine", "TaxAuthority", "WarningStore",
    "Workflow",
]
