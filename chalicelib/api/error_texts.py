"""What the app may show a customer beside an error's code: plain Chinese, no internals. The code stays the
contract (the app branches on it); the message in English stays for developers and logs."""

from __future__ import annotations

ZH = {
    # requests
    "BAD_REQUEST": "请求格式有误，请更新应用后重试。",
    "VALIDATION_ERROR": "填写的信息有误，请检查后重新提交。",
    "PRODUCT_NOT_FOR_APPLICANT": "该产品仅面向特定行业的经营者，请选择适合您的产品。",
    "PAYLOAD_TOO_LARGE": "提交的内容过大，请精简后重试。",
    "UNAUTHORIZED": "登录已失效，请重新登录。",
    "FORBIDDEN": "您没有权限进行此操作。",
    "MFA_REQUIRED": "请先完成多重身份验证。",
    "NOT_FOUND": "未找到相关信息。",
    "INVALID_STATE": "当前状态下不能进行此操作，请刷新后查看。",
    "CONCURRENT_MODIFICATION": "信息刚刚有更新，请刷新后重试。",
    "IDEMPOTENCY_KEY_REUSED": "这笔请求与之前提交的不一致，请重新发起。",
    "SIGN_IN_REFUSED": "用户名或密码错误。",
    "METHOD_NOT_ALLOWED": "不支持此操作，请更新应用后重试。",
    "UNSUPPORTED_MEDIA_TYPE": "请求格式有误，请更新应用后重试。",
    "HEADERS_TOO_LARGE": "请求内容过大，请退出后重新进入。",
    "URI_TOO_LONG": "请求地址过长，请返回后重试。",
    "REQUEST_TIMEOUT": "网络连接超时，请检查网络后重试。",
    "THROTTLED": "操作过于频繁，请稍后再试。",
    "SESSION_REVOKED": "您已在其他地方退出登录或账户已停用，请重新登录。",
    "SESSION_CHECK_UNAVAILABLE": "暂时无法确认您的登录状态，请稍后再试。",
    # application and identity
    "CONSENT_REQUIRED": "请先阅读并同意相关授权。",
    "DOCUMENTS_MISSING": "请先上传身份证正反面和人脸照片。",
    "DOCUMENTS_NOT_READY": "证件还在识别中，请稍候再提交。",
    "DOCUMENT_ALREADY_READ": "该证件已识别成功，无需重复上传。",
    "PHONE_NOT_VERIFIED": "请先验证您的手机号码。",
    "LIVENESS_REQUIRED": "请先完成人脸识别。",
    "LIVENESS_LOCKED": "人脸识别失败次数过多，请稍后再试。",
    "LIVENESS_SESSION_LIMIT": "今日人脸识别次数已达上限，请明天再试。",
    "IDENTITY_NOT_VERIFIED": "身份核验未通过。",
    "APPLICATION_WITHDRAWN": "该申请已撤回。",
    "AGE_OUT_OF_BOUNDS": "很抱歉，您的年龄不符合本产品的申请条件。",
    "BUSINESS_TOO_YOUNG": "很抱歉，经营年限暂不符合本产品的申请条件。",
    "BLACKLISTED": "很抱歉，您暂不符合本产品的申请条件。",
    "DEBT_TO_INCOME_TOO_HIGH": "很抱歉，您当前的负债水平暂不符合申请条件。",
    "CURRENT_OVERDUE": "您有尚未结清的逾期，结清后可再申请。",
    "CREDIT_DATA_UNAVAILABLE": "征信或税务信息暂时无法查询，请稍后再试，您的申请已保存。",
    "POLICY": "很抱歉，您暂不符合本产品的申请条件。",
    # offer and contract
    "OFFER_EXPIRED": "额度已过有效期，请重新申请。",
    "CONTRACT_ALREADY_SIGNED": "合同已签署，无需重复签署。",
    "CONTRACT_SIGNING_UNAVAILABLE": "电子签约服务暂时不可用，请稍后再试。",
    "CONTRACT_WORDS_NOT_KEPT": "该合同请以PDF原件查看。",
    "OTP_INVALID": "验证码不正确，请重新输入。",
    "OTP_EXPIRED": "验证码已过期，请重新获取。",
    "OTP_ATTEMPTS_EXCEEDED": "验证码错误次数过多，请重新获取。",
    "OTP_RESEND_TOO_SOON": "验证码发送过于频繁，请稍后再试。",
    "OTP_DAILY_LIMIT": "今日获取验证码次数已达上限，请明天再试。",
    # drawdowns
    "CREDIT_LINE_NOT_ACTIVE": "额度当前不可用，请查看额度页面的提示。",
    "DRAWDOWN_NOT_AVAILABLE": "本笔提款暂无法办理，请致电本行客服或联系您的客户经理。",
    "CREDIT_LINE_IN_USE": "额度尚有未结清借款，暂不能关闭。",
    "CREDIT_LIMIT_EXCEEDED": "借款金额超过可用额度。",
    "EXTENSION_LIMIT_EXCEEDED": ("延期期限超过了可延长的上限"
                                 "（短期贷款累计不超过原期限，中长期贷款不超过原期限的一半）。"),
    "LOAN_MATURED": "贷款已到期，延期还款须在到期日前申请；如有困难请致电客服。",
    "WRITE_OFF_NOT_ELIGIBLE": "只有五级分类为损失类的贷款可以核销。",
    "THIRD_PARTY_CONTACT_FORBIDDEN": "催收只联系借款人本人，不得联系其亲友、同事等第三人。",
    "OUTSIDE_CONTACT_HOURS": "只能在北京时间8:00至21:00之间联系借款人。",
    "WEEKLY_CONTACT_LIMIT": "七天内联系借款人的次数已达上限。",
    "TERM_NOT_AT_HARVEST": "季节贷须在收获月份到期，请选择到期日落在收获月的借款期限。",
    "AMOUNT_BELOW_MINIMUM": "借款金额低于单笔最低金额。",
    "AMOUNT_ABOVE_MAXIMUM": "借款金额超过单笔最高金额。",
    "AMOUNT_NOT_WHOLE_HUNDREDS": "借款金额须为100元的整数倍。",
    "INVALID_AMOUNT": "金额不正确，请重新输入。",
    "TERM_NOT_ALLOWED": "请选择额度可用的借款期限。",
    "REPAYMENT_METHOD_NOT_ALLOWED": "请选择额度可用的还款方式。",
    "HUMAN_REVIEW_ALREADY_REQUESTED": "您已为本次申请提交过人工复核，请等待复核结果。",
    "EXPOSURE_CAP_REACHED": "本次借款将超过本行对您的授信总额上限，请减少金额或先还款。",
    "PAYOUT_ACCOUNT_NOT_OWN": "借款只能发放到您本人的收款账户。",
    "PAYEE_ACCOUNT_NOT_VERIFIED": "收款账户与您的身份信息不一致，请核对后重试。",
    "CUSTOMER_RECORD_NOT_FOUND": "未查询到您在本行的客户信息，请填写申请信息。",
    "CUSTOMER_RECORDS_UNAVAILABLE": "暂时无法读取您在本行的客户信息，请稍后再试，本次未提交任何信息。",
    "PAYOUT_ACCOUNT_UNKNOWN": "所选收款账户不是您本人在本行的账户，请重新选择。",
    "PAYOUT_ACCOUNT_CANNOT_RECEIVE": "该账户暂不能接收贷款资金，请选择状态正常的一类账户。",
    "DETAILS_FROM_RECORD": "您的姓名、手机号和账户以本行登记信息为准，无需填写。",
    "ID_CARD_NOT_ON_RECORD": "上传的身份证与您在本行登记的证件不一致，请上传本人身份证。",
    "ACCOUNT_VERIFICATION_UNAVAILABLE": "银行卡核验暂时不可用，请稍后再试，本次未提交借款。",
    "ID_CARD_EXPIRED": "您的身份证已过期，请更新证件后再借款。",
    "OUTSIDE_BUSINESS_HOURS": "当前不在借款服务时间内，请在服务时间内再试。",
    "DRAWDOWN_RULE_VIOLATED": "本次借款不符合借款规则。",
    "DISBURSEMENT_REFUSED": "放款未成功，额度已恢复，请稍后重试。",
    "DISBURSEMENT_OUTCOME_UNKNOWN": "放款结果确认中，请稍后查看，请勿重复借款。",
    # repayments
    "QUOTE_CHANGED": "应还金额已变化，请重新试算后再还款。",
    "INSTALMENT_DUE": "今日有到期还款正在处理，请稍后再提前还款。",
    "REPAYMENT_IN_PROGRESS": "您有一笔还款正在处理，请稍后查看。",
    "REPAYMENT_BEING_BOOKED": "还款已扣款成功，正在入账，请稍后查看。",
    "REPAYMENT_REFUSED": "扣款未成功，请确认账户余额后重试。",
    # back office (officers see these; the app never does)
    "OFFICER_CONFLICT_OF_INTEREST": "审批人不得审批本人的申请。",
    "SECOND_OFFICER_REQUIRED": "需由另一位审批人复核。",
    "BUREAU_REPORTING_UNAVAILABLE": "征信报送接口尚未接通，本次未生成报文。",
    "COMPLIANCE_OFFICER_REQUIRED": "涉及制裁或反洗钱名单的事项须由合规人员处理。",
}

BY_STATUS = {400: "请求有误，请稍后重试。", 401: ZH["UNAUTHORIZED"], 403: ZH["FORBIDDEN"], 404: ZH["NOT_FOUND"],
             405: ZH["METHOD_NOT_ALLOWED"], 408: ZH["REQUEST_TIMEOUT"], 409: ZH["INVALID_STATE"],
             413: ZH["PAYLOAD_TOO_LARGE"], 414: ZH["URI_TOO_LONG"], 415: ZH["UNSUPPORTED_MEDIA_TYPE"],
             422: ZH["VALIDATION_ERROR"], 429: ZH["THROTTLED"], 431: ZH["HEADERS_TOO_LARGE"],
             503: "服务暂时不可用，请稍后再试，本次操作未生效。"}
CLIENT_FALLBACK = BY_STATUS[400]  # a 4xx is never told as the server's fault
FALLBACK = "系统繁忙，请稍后再试。"


def zh_message(code: str, status: int) -> str:
    return ZH.get(code) or BY_STATUS.get(status) or (CLIENT_FALLBACK if status < 500 else FALLBACK)
