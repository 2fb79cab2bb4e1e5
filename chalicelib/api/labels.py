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
