// The loan's life after payout, for officers: restructuring decisions (展期审批), the collections worklist
// (催收工作台) with its contact log and promises, write-off confirmation (核销), and the actions a loan's card on
// the line view offers. Maker-checker is shown as such: who decided first, and that a second, different officer
// is needed; the API refuses the same officer twice and every other rule (who may be contacted, when, how often,
// which loan qualifies for a write-off) with its Chinese message, which the form shows.

import { h, yuan } from "/shared/web.js";
import { api, officerLabel, page, refresh, session, submitting, toast, when, worklist } from "/console/kit.js";

const OUTCOMES = { APPROVE: "同意", DECLINE: "拒绝" };
const lineLink = (lineId, text = "额度与借据") => h("a", { href: `#/lines/${encodeURIComponent(lineId)}` }, text);
const fenOf = (yuanText) => Math.round(Number(String(yuanText).trim()) * 100);

// ---- 展期审批: open requests, oldest first; two different officers approve ---------------------------------
export const restructuringView = () => worklist("展期审批", "/v1/admin/restructuring-requests",
  "展期须经两位不同审批人同意后生效；任一人拒绝即结束。展期后的借据至少列为关注类，观察12个月。", restructuringCard,
  { id: "no-restructuring", text: "暂无待审批的展期申请。" });

function restructuringCard(r) {
  const first = r.decisions[0];
  const mine = first && first.officer_id === session.officerId;
  const steps = h("ol", { class: "steps" },
    h("li", { class: first ? "done" : "" }, first ? `初审：${officerLabel(first.officer_id)} ${OUTCOMES[first.outcome]}（${first.comment}）` : "初审"),
    h("li", {}, "复核（第二位审批人）"));
  const error = h("p", { class: "error", role: "alert" });
  const form = submitting(h("form", { class: "stack", "data-restructuring": r.request_id },
    mine ? h("p", { class: "notice" }, "您已作出初审决定，须由另一位审批人复核。") : "",
    h("label", {}, "审批意见", h("textarea", { name: "comment", required: true, minlength: 4, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit", value: "APPROVE" }, first ? "复核同意" : "同意"),
      h("button", { type: "submit", value: "DECLINE", class: "danger" }, "拒绝")), error), error, async (data, button) => {
    const outcome = button ? button.value : "APPROVE";
    const done = await api("POST", `/v1/admin/restructuring-requests/${encodeURIComponent(r.request_id)}/decision`,
      { outcome, comment: String(data.get("comment") || "") });
    toast(done.status === "AWAITING_SECOND_DECISION" ? "已提交，等待第二位审批人复核"
      : done.status === "APPROVED" ? "展期已生效，新的还款计划已入账" : "已拒绝展期申请");
    refresh();
  });
  return h("div", { class: "card restructuring", "data-request": r.request_id },
    h("h2", {}, `${r.kind_zh} ${r.extra_months} 个月`, h("span", { class: "tag" }, r.status_zh)),
    h("dl", { class: "facts" }, h("dt", {}, "借据号"), h("dd", {}, r.loan_id),
      h("dt", {}, "发起方"), h("dd", {}, r.requested_by === "CUSTOMER" ? "客户本人（手机银行）" : "客户经理提议"),
      h("dt", {}, "申请时间"), h("dd", {}, when(r.requested_at)),
      h("dt", {}, "申请理由"), h("dd", {}, r.reason),
      h("dt", {}, "额度"), h("dd", {}, lineLink(r.credit_line_id))),
    steps, form);
}

// ---- 催收工作台: cases by delinquency bucket ----------------------------------------------------------------
const BUCKETS = { "1-30": "逾期1–30天", "31-60": "逾期31–60天", "61-90": "逾期61–90天", "90+": "逾期90天以上" };

export async function collectionsView() {
  const v = page("催收工作台");
  const { buckets } = await api("GET", "/v1/admin/collections");
  v.append(h("p", { class: "muted" }, "只联系借款人本人；北京时间 8:00–21:00 之外不联系；每周联系次数有上限。以上由系统控制，超出时不予登记。"));
  const cases = buckets.reduce((n, b) => n + b.cases.length, 0);
  if (!cases) return v.append(h("p", { class: "muted", id: "no-collections" }, "暂无逾期客户。"));
  for (const b of buckets) {
    if (!b.cases.length) continue;
    v.append(h("h2", {}, `${BUCKETS[b.bucket] || b.bucket}（${b.cases.length} 户）`), h("table", { class: "collections" },
      h("thead", {}, h("tr", {}, ["客户", "逾期天数", "逾期金额", "催收阶段", "本周联系", "承诺还款"].map((t) => h("th", {}, t)))),
      h("tbody", {}, b.cases.map((c) => h("tr", { class: "link", "data-customer": c.customer_id,
        onclick: () => { location.hash = `#/collections/${encodeURIComponent(c.customer_id)}`; } },
      h("td", {}, c.customer_id), h("td", { class: "num" }, `${c.days_past_due} 天`), h("td", { class: "num" }, yuan(c.overdue_fen)),
      h("td", {}, c.escalation_zh), h("td", {}, `${c.contacts_this_week} / ${c.max_contacts_per_week}`),
      h("td", {}, c.promises.filter((p) => p.status === "OPEN").map((p) => `${p.promised_date} ${yuan(p.amount_fen)}`).join("；") || "—"))))));
  }
}

export async function collectionCaseView(customerId) {
  const v = page("催收案件");
  const c = await api("GET", `/v1/admin/collections/${encodeURIComponent(customerId)}`);
  v.append(h("div", { class: "card", id: "collection-case" }, h("dl", { class: "facts" },
    h("dt", {}, "客户"), h("dd", {}, h("a", { href: `#/customers/${encodeURIComponent(c.customer_id)}` }, "客户档案")),
    h("dt", {}, "逾期天数"), h("dd", {}, `${c.days_past_due} 天（${BUCKETS[c.bucket] || c.bucket}）`),
    h("dt", {}, "逾期金额"), h("dd", {}, yuan(c.overdue_fen)),
    h("dt", {}, "催收阶段"), h("dd", { id: "escalation" }, c.escalation_zh),
    h("dt", {}, "本周已联系"), h("dd", { id: "contacts-this-week" }, `${c.contacts_this_week} 次（上限 ${c.max_contacts_per_week} 次）`))),
  h("h2", {}, "逾期借据"), h("table", { id: "arrears" },
    h("thead", {}, h("tr", {}, ["借据号", "逾期天数", "逾期金额"].map((t) => h("th", {}, t)))),
    h("tbody", {}, c.arrears.map((a) => h("tr", {}, h("td", {}, a.loan_id), h("td", { class: "num" }, `${a.days_past_due} 天`),
      h("td", { class: "num" }, yuan(a.overdue_fen)))))),
  c.pending_reminders.length ? h("p", { class: "notice", id: "held-reminders" }, "待发送的提醒（联系时段外暂缓）：",
    c.pending_reminders.map((r) => `${r.kind_zh}（第 ${r.instalment} 期，${r.due_date}）`).join("；")) : "",
  h("h2", {}, "联系记录"), c.contacts.length ? h("table", { id: "contacts" },
    h("thead", {}, h("tr", {}, ["时间", "方式", "结果", "记录人", "说明"].map((t) => h("th", {}, t)))),
    h("tbody", {}, c.contacts.map((x) => h("tr", {}, h("td", {}, when(x.at)), h("td", {}, x.channel_zh), h("td", {}, x.outcome_zh),
      h("td", {}, x.by.startsWith("officer:") ? officerLabel(x.by.slice(8)) : "系统自动提醒"), h("td", {}, x.note))))) : h("p", { class: "muted" }, "尚无联系记录。"),
  h("h2", {}, "还款承诺"), c.promises.length ? h("table", { id: "promises" },
    h("thead", {}, h("tr", {}, ["承诺日期", "金额", "登记时间", "状态"].map((t) => h("th", {}, t)))),
    h("tbody", {}, c.promises.map((p) => h("tr", {}, h("td", {}, p.promised_date), h("td", { class: "num" }, yuan(p.amount_fen)),
      h("td", {}, when(p.made_at)), h("td", { class: p.status === "BROKEN" ? "error" : "" }, p.status_zh))))) : h("p", { class: "muted" }, "尚无还款承诺。"),
  h("div", { class: "grid" }, contactForm(c.customer_id), promiseForm(c.customer_id)));
}

function contactForm(customerId) {
  const error = h("p", { class: "error", role: "alert" });
  const choose = (name, options) => h("select", { name }, options.map(([value, text]) => h("option", { value }, text)));
  return submitting(h("form", { class: "stack card", id: "contact-form" }, h("h2", {}, "登记联系"),
    h("label", {}, "联系对象", choose("party", [["BORROWER", "借款人本人"], ["THIRD_PARTY", "其他人（亲友、同事等）"]])),
    h("label", {}, "联系方式", choose("channel", [["PHONE", "电话"], ["SMS", "短信"], ["VISIT", "上门"]])),
    h("label", {}, "联系结果", choose("outcome", [["REACHED", "已联系上"], ["NO_ANSWER", "无人接听"], ["PROMISED", "承诺还款"],
      ["REFUSED_TO_PAY", "拒绝还款"]])),
    h("label", {}, "说明", h("textarea", { name: "note", maxlength: 500 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "登记")), error), error, async (data) => {
    await api("POST", `/v1/admin/collections/${encodeURIComponent(customerId)}/contacts`, {
      party: String(data.get("party")), channel: String(data.get("channel")), outcome: String(data.get("outcome")),
      note: String(data.get("note") || "") });
    toast("联系已登记");
    refresh();
  });
}

function promiseForm(customerId) {
  const error = h("p", { class: "error", role: "alert" });
  return submitting(h("form", { class: "stack card", id: "promise-form" }, h("h2", {}, "登记还款承诺"),
    h("label", {}, "承诺金额（元）", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "[0-9]+(\\.[0-9]{1,2})?" })),
    h("label", {}, "承诺还款日", h("input", { name: "promised_date", type: "date", required: true })),
    h("p", { class: "muted" }, "到期未还的承诺将自动升级催收阶段。"),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "登记承诺")), error), error, async (data) => {
    await api("POST", `/v1/admin/collections/${encodeURIComponent(customerId)}/promises`,
      { amount_fen: fenOf(data.get("amount")), promised_date: String(data.get("promised_date")) });
    toast("还款承诺已登记");
    refresh();
  });
}

// ---- 核销: proposals awaiting a second officer -------------------------------------------------------------
export const writeOffsView = () => worklist("核销审批", "/v1/admin/write-offs",
  "仅五级分类为损失类的借据可以核销：一位审批人提议，另一位审批人确认后转入表外，债权保留，继续追偿。", writeOffCard,
  { id: "no-write-offs", text: "暂无待确认的核销。" });

function writeOffCard(p) {
  const mine = p.proposed_by === session.officerId;
  const error = h("p", { class: "error", role: "alert" });
  const form = submitting(h("form", { class: "stack", "data-write-off": p.loan_id },
    mine ? h("p", { class: "notice" }, "核销由您提议，须由另一位审批人确认。") : "",
    h("label", {}, "核查意见", h("textarea", { name: "reason", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit", value: "CONFIRM" }, "确认核销"),
      h("button", { type: "submit", value: "DECLINE", class: "danger" }, "不同意核销")), error), error, async (data, button) => {
    const text = String(data.get("reason") || "");
    const path = `/v1/admin/loans/${encodeURIComponent(p.loan_id)}/write-off`;
    if (button && button.value === "DECLINE") {
      await api("POST", `${path}/decline`, { comment: text });
      toast("已退回核销提议");
    } else {
      const done = await api("POST", path, { reason: text });
      toast(done.status === "CONFIRMED" ? "核销已完成，借据转入表外" : "已提交，等待第二位审批人确认");
    }
    refresh();
  });
  return h("div", { class: "card write-off", "data-loan": p.loan_id },
    h("h2", {}, `核销 ${yuan(p.amount_fen)}`, h("span", { class: "tag" }, p.status_zh)),
    h("dl", { class: "facts" }, h("dt", {}, "借据号"), h("dd", {}, p.loan_id),
      h("dt", {}, "提议人"), h("dd", {}, officerLabel(p.proposed_by)),
      h("dt", {}, "提议时间"), h("dd", {}, when(p.proposed_at)),
      h("dt", {}, "核销理由"), h("dd", {}, p.reason),
      h("dt", {}, "额度"), h("dd", {}, lineLink(p.credit_line_id))),
    h("ol", { class: "steps" }, h("li", { class: "done" }, `提议：${officerLabel(p.proposed_by)}`),
      h("li", {}, p.needs_second_officer ? "确认（第二位审批人）" : "确认")), form);
}

// ---- a loan's card on the line view: what an officer may start for it ------------------------------------
export function loanActions(item) {
  const loan = item.loan;
  if (loan.status === "CLOSED") return null;
  if (loan.status === "WRITTEN_OFF") return recoveryForm(loan);
  const forms = [restructuringForm(loan)];
  if (item.classification === "LOSS") forms.push(writeOffForm(loan));
  return h("div", { class: "grid loan-actions" }, forms);
}

function restructuringForm(loan) {
  const error = h("p", { class: "error", role: "alert" });
  return submitting(h("form", { class: "stack card propose-restructuring" }, h("h3", {}, "提议展期"),
    h("label", {}, "展期月数", h("input", { name: "extra_months", type: "number", min: 1, max: 36, required: true })),
    h("label", {}, "理由", h("textarea", { name: "reason", required: true, minlength: 5, maxlength: 500 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "提交展期提议")), error), error, async (data) => {
    await api("POST", `/v1/admin/loans/${encodeURIComponent(loan.loan_id)}/restructuring-requests`,
      { kind: "EXTENSION", extra_months: Number(data.get("extra_months")), reason: String(data.get("reason") || "") });
    toast("展期提议已提交，待两位审批人决定");
    refresh();
  });
}

function writeOffForm(loan) {
  const error = h("p", { class: "error", role: "alert" });
  return submitting(h("form", { class: "stack card propose-write-off" }, h("h3", {}, "提议核销"),
    h("label", {}, "核销理由（损失认定依据）", h("textarea", { name: "reason", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, "提议核销")), error), error, async (data) => {
    const done = await api("POST", `/v1/admin/loans/${encodeURIComponent(loan.loan_id)}/write-off`,
      { reason: String(data.get("reason") || "") });
    toast(done.status === "CONFIRMED" ? "核销已完成" : "核销提议已提交，待第二位审批人确认");
    refresh();
  });
}

function recoveryForm(loan) {
  const error = h("p", { class: "error", role: "alert" });
  const key = crypto.randomUUID(); // one key per form shown: a double click books the recovery once
  return submitting(h("form", { class: "stack card record-recovery" }, h("h3", {}, "登记核销后追偿款"),
    h("p", { class: "muted" }, `已核销：${loan.written_off_on || "—"}；尚未收回 ${yuan(loan.written_off_balance_fen)}`),
    h("label", {}, "收回金额（元）", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "[0-9]+(\\.[0-9]{1,2})?" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "登记追偿款")), error), error, async (data) => {
    const done = await api("POST", `/v1/admin/loans/${encodeURIComponent(loan.loan_id)}/recoveries`,
      { amount_fen: fenOf(data.get("amount")) }, { "Idempotency-Key": key });
    toast(`追偿款已入账，尚欠 ${yuan(done.owed_after_fen)}`);
    refresh();
  });
}
