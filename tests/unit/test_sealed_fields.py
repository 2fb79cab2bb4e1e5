"""Sealing personal fields at the repository boundary (adapters/dynamodb_sealed_fields.py), with a counting cipher."""

from chalicelib.adapters.dynamodb_sealed_fields import SealedFields
from tests.fakes.memory import ReversibleCipher


class CountingCipher(ReversibleCipher):
    def __init__(self) -> None:
        self.encrypted = self.decrypted = 0

    def encrypt(self, plaintext: str, application_id: str) -> dict[str, str]:
        self.encrypted += 1
        return super().encrypt(plaintext, application_id)

    def decrypt(self, sealed: dict[str, str], application_id: str) -> str:
        self.decrypted += 1
        return super().decrypt(sealed, application_id)


def test_the_fields_leave_the_item_and_come_back_whole() -> None:
    sealer = SealedFields(CountingCipher())
    item = {"PK": "APPLICATION#a", "applicant_phone": "13800138000", "payout_account_no": "6222021234567890123"}
    stored = sealer.seal(item, ("applicant_phone", "payout_account_no"), "app_1")
    assert "applicant_phone" not in stored and "payout_account_no" not in stored and "13800138000" not in str(stored)
    assert SealedFields(CountingCipher()).open(stored, "app_1") == item


def test_an_unchanged_value_is_not_sealed_again_and_an_opened_one_not_opened_again() -> None:
    cipher = CountingCipher()
    sealer = SealedFields(cipher)
    item = {"PK": "x", "account_no": "6222021234567890123"}
    first = sealer.seal(item, ("account_no",), "dd_1")
    assert sealer.seal(item, ("account_no",), "dd_1") == first and cipher.encrypted == 1
    cold = SealedFields(cipher)  # another container
    for _ in range(3):
        assert cold.open(first, "dd_1")["account_no"] == "6222021234567890123"
    assert cipher.decrypted == 1
    assert sealer.seal(item, ("account_no",), "dd_2") != first  # another context: its own envelope


def test_the_owners_name_is_masked_inside_her_business_name() -> None:
    from chalicelib.domain.masks import mask_business_name

    assert mask_business_name("张三便利店", "张三") == "张*便利店"
    assert mask_business_name("杭州欧阳娜娜服装店", "欧阳娜娜") == "杭州欧***服装店"
    assert mask_business_name("杭州好运来超市", "张三") == "杭州好运来超市"  # not hers: not personal
    assert mask_business_name("张三便利店", "") == "张三便利店"
