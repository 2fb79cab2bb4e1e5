"""The consents an applicant gives before anything is collected (PIPL Articles 14, 28-29: separate consent for
sensitive personal information - biometrics, financial accounts, credit records), in the words the app shows.
The application records each consent's kind and version; a new text is a new version."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    title: str
    text: str


BANK = "本行"  # the bank's name in the texts: the deploying bank's legal name replaces it

CONSENTS: tuple[ConsentText, ...] = (
    ConsentText("PERSONAL_INFORMATION", "v1", "个人信息处理授权书", (
        f"为向您提供小额普惠贷服务，{BANK}将在您申请、签约、用款、还款及贷后管理期间处理您的以下个人信息："
        "姓名、身份证件信息、手机号码、经营主体信息、收款账户信息、设备信息。\n"
        f"处理目的：核验身份、评估信用、签订合同、发放贷款、收回贷款、履行反洗钱等法定义务。{BANK}仅在实现上述目的"
        "所必需的最短期限内保存您的信息，法律法规另有规定的除外。\n"
        f"{BANK}不会向第三方出售您的个人信息。为完成上述目的确需向电子签名、短信等服务提供者提供的，{BANK}将要求其"
        "按本授权的范围处理并采取保护措施。\n"
        "您可以查阅、复制、更正您的个人信息，也可以撤回本授权；撤回后我们将无法继续为您办理本产品，但不影响撤回前"
        "已进行的处理。撤回可在应用内办理，或致电客服热线。")),
    ConsentText("CREDIT_BUREAU", "v1", "征信查询及报送授权书", (
        f"本人授权{BANK}在贷款申请审批、贷后管理期间，向中国人民银行征信中心及依法设立的征信机构查询、打印、保存本人"
        "的信用报告，并按规定报送本人的信用信息。\n"
        f"本人同时授权{BANK}向税务机关查询本人经营主体的纳税信息，用于核实经营收入。\n"
        "查询结果仅用于本次贷款的审批及贷后管理。不良信息将按规定如实报送，并可能影响本人今后的信用活动。"
        "本授权自本人同意之日起至贷款结清之日止有效。")),
    ConsentText("BIOMETRIC", "v1", "人脸识别授权书", (
        "人脸信息属于敏感个人信息。为确认是您本人办理业务、防止他人冒用您的身份，"
        f"{BANK}将采集您的人脸照片并进行活体检测，与您的身份证照片比对。\n"
        "人脸照片与证件照片仅用于身份核验，自上传之日起30日后自动删除；比对结果保留至贷款结清后按规定期限。\n"
        "您可以拒绝本授权，但将无法在线办理本产品；您可以前往网点办理。")),
)
