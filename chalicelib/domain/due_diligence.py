"""Customer due diligence for a business borrower (反洗钱法 2024, 客户尽职调查): what her business does and who
ultimately owns or controls it (受益所有人), recorded with the application. A business whose beneficial owner is
someone other than the applicant is a compliance officer's to look at before any line is granted."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError

BENEFICIAL_OWNER_NOT_APPLICANT = "BENEFICIAL_OWNER_NOT_APPLICANT"  # refers to a compliance officer


@dataclass(frozen=True)
class DueDiligence:
    nature_of_business: str  # 主营业务 in her words (e.g. 日用百货零售)
    beneficial_owner_is_applicant: bool
    beneficial_owner_name: str = ""  # when it is someone else (sealed with the application, never logged)
    industry: str = "OTHER"  # 行业类别 (domain/products.py's INDUSTRIES): a product may lend to some only

    def __post_init__(self) -> None:
        if not 2 <= len(self.nature_of_business.strip()) <= 100:
            raise ValidationError("say what the business does", {"field": "due_diligence.nature_of_business"})
        if self.beneficial_owner_is_applicant == bool(self.beneficial_owner_name.strip()):
            raise ValidationError("name the beneficial owner when, and only when, it is not you",
                                  {"field": "due_diligence.beneficial_owner_name"})

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return () if self.beneficial_owner_is_applicant else (BENEFICIAL_OWNER_NOT_APPLICANT,)
