"""The Chinese words for the codes a loan's life after payout shows officers and customers: one place, so the
console and the app say the same and never show a raw code."""

RESTRUCTURING_ZH = {"AWAITING_FIRST_DECISION": "待审批", "AWAITING_SECOND_DECISION": "待复核（第二位审批人）",
                    "APPROVED": "已批准", "DECLINED": "未批准"}
WRITE_OFF_ZH = {"PROPOSED": "待复核", "CONFIRMED": "已核销", "DECLINED": "复核未通过"}
CHANNEL_ZH = {"SMS": "短信", "PHONE": "电话", "VISIT": "上门"}
OUTCOME_ZH = {"SENT": "已发送", "REACHED": "已联系上", "NO_ANSWER": "未接通", "PROMISED": "承诺还款",
              "REFUSED_TO_PAY": "拒绝还款"}
PROMISE_ZH = {"OPEN": "待履行", "KEPT": "已履行", "BROKEN": "未履行"}
REMINDER_ZH = {"DUE_IN_3_DAYS": "到期前3天提醒", "DUE_TODAY": "到期日提醒", "MISSED_1_DAY": "逾期1天提醒",
               "MISSED_7_DAYS": "逾期7天提醒"}
ESCALATION_ZH = {"REMINDERS": "短信提醒", "OFFICER_CALLS": "专人电话催收", "VISIT_AND_LEGAL_REVIEW": "上门及法务评估"}

# every domain event (chalicelib/domain/events.py) as officers read it in a line's history and the audit trail;
# a test fails on an event without its words
EVENT_ZH = {
    "ApplicationCreated": "创建申请", "ApplicationSubmitted": "提交申请", "DocumentReceived": "收到影像",
    "DocumentUploadRefused": "影像上传被拒", "IdentityVerified": "身份核验通过",
    "CreditDataGathered": "取得征信与税务数据", "ApplicationScored": "完成评分",
    "ApplicationReferred": "转人工审批", "ReviewDecided": "审批决定", "ConflictOfInterestRefused": "回避拒绝",
    "PersonalDataRevealed": "查看完整信息", "OfferMade": "给出额度", "ApplicationDeclined": "申请未获批准",
    "OfferAccepted": "接受额度", "ContractGenerated": "生成合同", "PhoneVerified": "手机号验证通过",
    "SigningOtpSent": "发送签约验证码", "SigningOtpRejected": "签约验证码错误", "ContractSigned": "签署合同",
    "OfferExpired": "额度邀约过期", "ApplicationWithdrawn": "撤回申请", "ApplicationFailed": "申请处理失败",
    "CreditLineActivated": "额度生效", "DrawdownRequested": "申请提款", "LimitReserved": "占用额度",
    "DrawdownRejected": "提款被拒", "PayoutStarted": "开始放款", "FundsDisbursed": "放款成功",
    "ReservationReleased": "释放额度", "LoanBooked": "借据入账", "CustomerNotified": "通知客户",
    "LoanRepaid": "还款", "InstalmentCollected": "扣收当期还款", "LoanOverdue": "借款逾期",
    "CreditLineClosed": "关闭额度", "ArchiveTimestampRenewed": "更新存档时间戳", "CreditLineFrozen": "冻结额度",
    "CreditLineUnfrozen": "解冻额度", "CreditLineLimitReduced": "调减额度",
    "LoanAccelerationProposed": "提议提前到期", "DrawdownAwaitsApproval": "提款待人工审批",
    "DrawdownApproved": "同意提款", "DrawdownDeclined": "拒绝提款", "DocumentProcessed": "影像识别完成",
    "ConsentGranted": "同意授权", "DrawdownNeedsAttention": "提款待人工处理",
    "FirstApprovalRecorded": "初审同意", "IdentityNotVerified": "身份核验未通过", "CreditDecided": "授信决定",
    "LivenessSessionStarted": "开始活体检测", "LivenessChecked": "活体检测完成", "ConsentWithdrawn": "撤回授权",
    "WarningDisposed": "处置预警", "ComplaintReceived": "受理投诉", "ComplaintAnswered": "答复投诉",
    "CreditReportDisputed": "提出征信异议", "CreditReportDisputeResolved": "征信异议核查完毕",
    "CreditReportCorrected": "更正报送", "CreditBureauReportGenerated": "生成征信报文",
    "CreditBureauNegativeNoticeSent": "发送不良信息告知", "InPersonVerificationAwaited": "等待当面核验",
    "InPersonVerificationRecorded": "记录当面核验", "AmlCaseOpened": "反洗钱案件立案",
    "AmlCaseDecided": "反洗钱案件结论", "HumanReviewRequested": "申请人工复核",
    "HumanReviewDecided": "人工复核结论", "RestructuringRequested": "申请展期",
    "RestructuringDecided": "展期审批", "LoanRestructured": "展期生效", "WriteOffProposed": "提议核销",
    "WriteOffDeclined": "退回核销", "LoanWrittenOff": "确认核销", "WrittenOffLoanRecovered": "核销后收回",
    "RepaymentReminderSent": "发送还款提醒", "CollectionContactLogged": "登记催收联系",
    "PromiseToPayRecorded": "登记还款承诺", "PromiseToPayBroken": "还款承诺未履行",
    "CustomerLookedUp": "按身份证号查询客户", "IdDocumentsViewed": "查看证件影像",
    "RiskListEntryAdded": "加入本行风险名单", "StaffIdentityRegistered": "登记员工身份",
}

# the ledger: each kind of transaction and each account (per-loan accounts by their prefix)
LEDGER_KIND_ZH = {
    "DISBURSEMENT": "放款", "REPAYMENT": "还款", "INTEREST_ACCRUAL": "计提利息", "RESTRUCTURING": "展期重组",
    "WRITE_OFF": "核销", "OFF_BALANCE_WRITE_OFF": "表外登记", "RECOVERY": "核销后收回",
    "OFF_BALANCE_RECOVERY": "表外销记",
}
ACCOUNT_ZH = {
    "CUSTOMER_FUNDS_CLEARING": "客户资金清算", "INTEREST_INCOME": "利息收入",
    "DEFAULT_INTEREST_INCOME": "罚息收入", "FEE_INCOME": "手续费收入", "LOAN_LOSS_ALLOWANCE": "贷款损失准备",
    "OFF_BALANCE_WRITTEN_OFF_LOANS": "表外：已核销贷款",
    "OFF_BALANCE_WRITTEN_OFF_LOANS_CONTRA": "表外：已核销贷款（对方）", "LOAN_PRINCIPAL": "贷款本金",
    "RESTRUCTURED_LOAN_PRINCIPAL": "重组贷款本金", "INTEREST_RECEIVABLE": "应收利息",
}


def account_zh(account: str) -> str:
    """A ledger account in words: a loan's own account by its kind (LOAN_PRINCIPAL:loan_x is 贷款本金)."""
    kind = account.split(":", 1)[0]
    return ACCOUNT_ZH.get(kind, account)

VERDICT_ZH = {"PASS": "通过", "FAIL": "未通过", "RETRY": "需重新拍摄", "REVIEW": "需人工复核"}

# why the five-category review put a loan where it is (domain/classification.py)
CLASSIFICATION_REASON_ZH = {
    "PERFORMING": "正常还款", "OVERDUE": "逾期", "OVERDUE_OVER_SUBSTANDARD_THRESHOLD": "逾期超过次级标准",
    "OVERDUE_OVER_DOUBTFUL_THRESHOLD": "逾期超过可疑标准", "OVERDUE_OVER_LOSS_THRESHOLD": "逾期超过损失标准",
    "EARLY_WARNING_RED": "红色预警", "EARLY_WARNING_ORANGE": "橙色预警",
    "RESTRUCTURED_UNDER_OBSERVATION": "展期后观察期内",
}
