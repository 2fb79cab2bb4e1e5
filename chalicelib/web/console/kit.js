// What every page of the console shares: the officer's session (in this module's memory only), the API client,
// a page's section, the toast, dates in Beijing time and the five-category labels. Pages live in modules of
// their own (app.js, workout.js) and import these; the rules stay the API's.

import { apiClient, h } from "/shared/web.js";

export const session = { token: null, officer: null, officerId: null, expiresAt: 0, timer: null };
export const charts = [];
const main = document.getElementById("main");

let expired = () => {};
/** What to do when the API says the session has ended (app.js signs the officer out). */
export function onSessionExpired(handler) { expired = handler; }
export const api = apiClient(session, "/v1/console/session", () => expired());

const beijing = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });
export const when = (iso) => iso ? beijing.format(new Date(iso)) : "—";
export const percent = (x) => (Number(x) * 100).toFixed(2) + "%";
export const CLASSES = { NORMAL: "正常", SPECIAL_MENTION: "关注", SUBSTANDARD: "次级", DOUBTFUL: "可疑", LOSS: "损失" };

export function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.hidden = false;
  setTimeout(() => { box.hidden = true; }, 4000);
}

// Each view renders into a section of its own: a view still loading when the officer moves on writes into its
// detached section, never into the next view's.
export function page(title) {
  for (const chart of charts.splice(0)) chart.dispose();
  const section = h("section", {}, h("h1", {}, title));
  main.replaceChildren(section);
  return section;
}

export function failure(err) {
  main.append(h("p", { class: "error", role: "alert" }, err.message));
}

/** The current page again, after a form changed what it shows (the router listens for hash changes). */
export function refresh() { window.dispatchEvent(new HashChangeEvent("hashchange")); }

/** Who decided: the officer signed in is 我; another officer is named as such (the API gives ids, not names). */
export const officerLabel = (id) => id === session.officerId ? `${session.officer}（我）` : "另一位审批人";

/** A form's error line and its submit handler: the body the form builds is sent; an API refusal is shown. */
export function submitting(form, error, send) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try { await send(new FormData(form), event.submitter); } catch (err) { error.textContent = err.message; }
  });
  return form;
}

// The words for the codes an officer's act carries (a disposition, an outcome, a field revealed): shown in the
// audit trail and a warning's history instead of the code.
const VALUE_ZH = { KEEP_FROZEN: "维持冻结", UNFREEZE: "解除冻结", FALSE_ALARM: "误报关闭", REDUCE_LIMIT: "降低额度",
  CONFIRM_LIMIT_REDUCTION: "复核确认降额", PROPOSE_ACCELERATION: "提议提前到期", APPROVE: "同意", DECLINE: "拒绝",
  UPHELD: "维持原结果", OVERTURNED: "调整结果", REPORT: "报送可疑交易", CLOSE: "排除", CORRECTED: "更正",
  VERIFIED: "核验通过", NOT_VERIFIED: "核验不通过", BRANCH: "网点", VIDEO: "视频", ID_NUMBER: "身份证号",
  PHONE: "手机号", PAYOUT_ACCOUNT: "收款账号", BORROWER: "借款人本人", THIRD_PARTY: "第三人", SMS: "短信", VISIT: "上门",
  REACHED: "已联系上", NO_ANSWER: "无人接听", PROMISED: "承诺还款", REFUSED_TO_PAY: "拒绝还款", EXTENSION: "展期",
  ACTIVE: "正常", FROZEN: "已冻结", CLOSED: "已关闭", RED: "红色", ORANGE: "橙色", YELLOW: "黄色" };
const FIELD_ZH = { action: "处置", comment: "意见", outcome: "结论", decision: "决定", credit_limit_fen: "核定额度",
  new_limit_fen: "调整后额度", field: "字段", reason: "理由", channel: "方式", branch: "网点", amount_fen: "金额",
  extra_months: "展期月数", promised_date: "承诺日期", party: "联系对象", note: "说明", found: "是否找到",
  warning_id: "预警", application_id: "申请", credit_line_id: "额度", loan_id: "借据", request_id: "展期申请",
  status: "状态", level: "等级", reply: "答复", finding: "核查说明", by: "查询方式", doc_types: "影像" };
export const valueZh = (v) => VALUE_ZH[v] || v;

/** An act's recorded fields as an officer reads them: labels for the keys, words for the codes, yuan for fen. */
export function actFields(data) {
  return Object.entries(data || {}).map(([k, x]) => {
    const shown = k.endsWith("_fen") && typeof x === "number" ? `¥${(x / 100).toFixed(2)}`
      : Array.isArray(x) ? x.map(valueZh).join("、") : typeof x === "object" && x !== null ? JSON.stringify(x)
        : typeof x === "boolean" ? (x ? "是" : "否") : valueZh(x);
    return `${FIELD_ZH[k] || k}：${shown}`;
  }).join("；");
}

/** A worklist page: its title, a line on the rule it follows, one card per open item, or a plain 暂无 line. */
export async function worklist(title, path, rule, card, empty) {
  const v = page(title);
  const { items } = await api("GET", path);
  v.append(h("p", { class: "muted" }, rule));
  if (!items.length) return v.append(h("p", { class: "muted", id: empty.id }, empty.text));
  v.append(...items.map(card));
}
