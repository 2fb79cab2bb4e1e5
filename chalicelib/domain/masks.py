"""How a person's name is shown where it is masked: 张三 as 张*, and inside her business's name too. Pure functions,
used by the views and by the repository, which keeps the masked business name and account numbers beside the
sealed ones so that a list of applications, lines or drawdowns is read without opening any envelope."""

from __future__ import annotations

import re


def mask_account(account_no: str) -> str:
    """An account number as screens show it: its last four digits (what the customer recognises it by)."""
    return f"****{account_no[-4:]}" if len(account_no) > 4 else "****"


def mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if name else ""


def mask_business_name(business_name: str, owner_name: str) -> str:
    """A sole trader's business most often carries its owner's name (张三便利店): where her name is masked, so is
    it inside the business's (张*便利店). A business name without hers is not personal and is shown whole."""
    if owner_name and owner_name in business_name:
        return business_name.replace(owner_name, mask_name(owner_name))
    return business_name


def mask_phone(phone: str) -> str:
    """138****8000: the first three and the last four digits."""
    digits = re.sub(r"\D", "", phone)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"
