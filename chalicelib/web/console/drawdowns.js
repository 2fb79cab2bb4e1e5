// 提款审批: drawdowns an early warning holds for an officer (the customer is told the bank will answer within a
// working day). Each shows the line's warning in words and its amount and term; approve lets it go on (reserve,
// pay, book), decline ends it; the comment is kept in the drawdown's history. The API decides who may.

import { h, yuan } from "/shared/web.js";
import { api, refresh, submitting, toast, when, worklist } from "/console/kit.js";

const LEVELS = { RED: "红色", ORANGE: "橙色", YELLOW: "黄色" };
const METHODS = { EQUAL_INSTALMENT: "等额本息", EQUAL_PRINCIPAL: "等额本金", INTEREST_FIRST: "先息后本",
  INTEREST_QUARTERLY: "按季付息、到期还本" };

export const heldDrawdownsView = () => worklist("提款审批", "/v1/admin/drawdowns/awaiting-approval",
  "额度存在未处理的橙色预警时，新的提款须经人工审批；客户已被告知本行将在一个工作日内答复。", heldCard,
  { id: "no-held-drawdowns", text: "暂无待审批的提款。" });

function heldCard(item) {
  const d = item.drawdown;
  const error = h("p", { class: "error", role: "alert" });
  const form = submitting(h("form", { class: "stack", "data-drawdown": d.drawdown_id },
    h("label", {}, "审批意见（记入提款记录）", h("textarea", { name: "comment", required: true, minlength: 4, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit", value: "APPROVE" }, "同意放款"),
      h("button", { type: "submit", value: "DECLINE", class: "danger" }, "拒绝提款")), error), error, async (data, button) => {
    const decision = button ? button.value : "APPROVE";
    await api("POST", `/v1/admin/drawdowns/${encodeURIComponent(d.drawdown_id)}/decision`,
      { decision, comment: String(data.get("comment") || "") });
    toast(decision === "APPROVE" ? "已同意，提款继续办理放款" : "已拒绝该笔提款");
    refresh();
  });
  return h("div", { class: "card held-drawdown", "data-drawdown": d.drawdown_id },
    h("h2", {}, `提款 ${yuan(d.amount_fen)}`, item.warning_level ? h("span", { class: `tag ${item.warning_level}` },
      `${LEVELS[item.warning_level]}预警`) : ""),
    h("dl", { class: "facts" }, h("dt", {}, "申请时间"), h("dd", {}, when(d.created_at)),
      h("dt", {}, "期限 / 方式"), h("dd", {}, `${d.term_months} 个月 · ${METHODS[d.repayment_method] || d.repayment_method}`),
      h("dt", {}, "收款账户"), h("dd", {}, d.account_masked || "—"),
      h("dt", {}, "预警原因"), h("dd", { class: "held-reasons" }, item.reasons_zh.join("；") || "—"),
      h("dt", {}, "额度"), h("dd", {}, h("a", { href: `#/lines/${encodeURIComponent(d.credit_line_id)}` }, "额度与借据"),
        item.warning_id ? ["　", h("a", { href: `#/warnings/${encodeURIComponent(item.warning_id)}` }, "查看预警")] : [])),
    form);
}
