// 信贷管理台: one more client of the lending API. It shows what the API answers and sends what the officer
// decides; every rule (who may decide, limits, maker-checker) is the API's. Text is only ever set with
// textContent (never parsed as HTML); the access token lives in kit.js's memory, never in storage.

import { h, yuan } from "/shared/web.js";
import { actFields, api, CLASSES, charts, failure, officerLabel, onSessionExpired, page, percent, session, toast, valueZh,
  when } from "/console/kit.js";
import { collectionCaseView, collectionsView, loanActions, restructuringView, writeOffsView } from "/console/workout.js";
import { heldDrawdownsView } from "/console/drawdowns.js";

const main = document.getElementById("main");

// ---- small helpers -------------------------------------------------------------------------------------
const LEVELS = { RED: "红色", ORANGE: "橙色", YELLOW: "黄色" };
const EVIDENCE = { record_id: "记录编号", case_no: "案号", court: "法院", filed_on: "立案日期", listed_on: "列入日期",
  amount_fen: "金额", decision_no: "决定书文号", authority: "作出机关", record_no: "记录编号", report_no: "报告编号",
  status: "状态", reason: "原因", record_kind: "记录类型", drop_ratio: "下降幅度", basis: "比较基准", months: "月份",
  loan_id: "借据号", overdue_since: "逾期起始日", days_past_due: "逾期天数", new_overdue_fen: "新增逾期金额",
  lender_increase: "新增机构数", inquiries_3m: "近三月查询次数", utilisation_increase: "使用率上升",
  grade_before: "原评级", grade_now: "现评级", pd: "违约概率", reasons: "主要因素", drawn_fen: "提款金额",
  limit_fen: "额度", due_date: "还款日", drawn_on: "提款日", repaid_fen: "还款金额", within_days: "天数" };
const EVENTS = { RAISED: "发起预警", ESCALATED: "升级", CAUSE_ADDED: "新增原因", CAUSE_CLEARED: "原因消除",
  CLOSED: "关闭", LINE_FROZEN: "冻结额度", DISPOSED: "处置", LIMIT_REDUCTION_PROPOSED: "提议降额",
  LIMIT_REDUCED: "已降额", ACCELERATION_PROPOSED: "提议提前到期" };
const SOURCES = { JUDICIAL: "司法", REGISTRY: "工商", TAX: "税务", BUREAU: "征信", BANK: "本行数据", MODEL: "行为评分", SANCTIONS: "制裁及反洗钱名单" };
const RECORD_KINDS = { DISHONEST_DEBTOR: "失信被执行人", ENFORCEMENT: "被执行人", CONSUMPTION_RESTRICTED: "限制高消费",
  LAWSUIT: "新的诉讼", ABNORMAL_OPERATIONS: "列入经营异常名录", DEREGISTERED: "注销", REVOKED: "吊销",
  LEGAL_REP_CHANGED: "法定代表人变更", MONTHLY_SALES: "月度销售申报", SANCTIONS: "制裁名单", WATCH: "监控名单" };
const evidenceValue = (key, value) => key === "record_kind" || key === "kind" ? (RECORD_KINDS[value] || value)
  : key.endsWith("_fen") ? yuan(value) : key === "drop_ratio" ? percent(value)
  : Array.isArray(value) ? value.join("、") : typeof value === "object" ? JSON.stringify(value) : value;

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} 分钟`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} 小时`;
  return `${(seconds / 86400).toFixed(1)} 天`;
}

function waiting(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} 小时 ${minutes % 60} 分钟` : `${Math.floor(hours / 24)} 天`;
}

onSessionExpired(() => signOut("登录已过期，请重新登录"));

// ---- sign-in -------------------------------------------------------------------------------------------
function signInView(message) {
  document.getElementById("bar").hidden = true;
  const error = h("p", { class: "error", role: "alert" }, message || "");
  const form = h("form", { class: "stack", id: "sign-in" },
    h("label", {}, "用户名", h("input", { name: "username", autocomplete: "username", required: true })),
    h("label", {}, "密码", h("input", { name: "password", type: "password", autocomplete: "current-password",
      required: true })),
    h("button", { type: "submit" }, "登录"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const answer = await api("POST", "/v1/console/session",
        { username: String(data.get("username")), password: String(data.get("password")) });
      session.token = answer.access_token;
      session.officer = answer.officer;
      session.officerId = answer.officer_id;
      session.expiresAt = Date.now() + answer.expires_in * 1000;
      clearTimeout(session.timer);
      session.timer = setTimeout(() => signOut("登录已过期，请重新登录"), answer.expires_in * 1000);
      if (location.hash === "#/reviews") route(); else location.hash = "#/reviews"; // hashchange routes
    } catch (err) {
      error.textContent = err.status === 403 ? "此账户不是本行工作人员账户，不能登录管理台。" :
        err.status === 401 ? "用户名或密码错误。" : err.message;
    }
  });
  for (const chart of charts.splice(0)) chart.dispose();
  main.replaceChildren(h("div", { class: "card login" }, h("h1", {}, "信贷管理台登录"),
    h("p", { class: "muted" }, "仅限本行风险审批及运营人员使用。"), form));
}

function signOut(message) {
  session.token = null;
  session.officer = null;
  session.officerId = null;
  clearTimeout(session.timer);
  location.hash = "#/login";
  signInView(message);
}

// ---- review inbox --------------------------------------------------------------------------------------
async function reviewsView() {
  const v = page("审批待办");
  const { items, human_reviews: asked } = await api("GET", "/v1/admin/reviews");
  items.sort((a, b) => a.referred_at.localeCompare(b.referred_at)); // oldest first
  if (asked.length) {
    v.append(h("h2", {}, "客户申请人工复核（个人信息保护法第二十四条）"), ...asked.map(humanReviewCard));
  }
  if (asked.length) v.append(h("h2", {}, "待审批的申请"));
  if (!items.length) return v.append(h("p", { class: "muted" }, "暂无待审批的申请。"));
  v.append(h("table", { id: "reviews" },
    h("thead", {}, h("tr", {}, ["申请人", "经营主体", "申请金额", "建议额度", "评级", "等待时间", "进度"]
      .map((t) => h("th", {}, t)))),
    h("tbody", {}, items.map((item) => h("tr", {
      class: "link", "data-application": item.application_id,
      onclick: () => { location.hash = `#/reviews/${encodeURIComponent(item.application_id)}`; },
    }, h("td", {}, item.applicant_name_masked), h("td", {}, item.business_name_masked),
      h("td", { class: "num" }, yuan(item.requested_amount_fen)), h("td", { class: "num" }, yuan(item.proposed_limit_fen)),
      h("td", {}, item.risk ? item.risk.grade : "—"), h("td", {}, waiting(item.referred_at)),
      h("td", {}, item.first_approval_by ? `待复核（初审：${item.first_approval_by}）` : "待初审"))))));
}

const DECIDED = { DECLINE: "拒绝", APPROVE: "批准" };

// A customer asked a person to review what the system decided: the outcome is told to her with the comment.
function humanReviewCard(r) {
  const [outcome, limit, rate] = r.decided.split(" ");
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", "data-human-review": r.review_id },
    h("label", {}, "复核结论", h("select", { name: "outcome" }, h("option", { value: "UPHELD" }, "维持原结果"),
      h("option", { value: "OVERTURNED" }, "调整结果（客户经理联系客户）"))),
    h("label", {}, "复核意见（将告知客户）", h("textarea", { name: "comment", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "提交复核结论")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api("POST", `/v1/admin/human-reviews/${encodeURIComponent(r.review_id)}/decision`,
        { outcome: String(data.get("outcome")), comment: String(data.get("comment") || "") });
      toast("复核结论已记录并告知客户");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return h("div", { class: "card" },
    h("dl", { class: "facts" }, h("dt", {}, "系统决定"), h("dd", {}, (DECIDED[outcome] || outcome)
      + (limit ? `，额度 ${yuan(Number(limit))}，年利率 ${percent(rate)}` : "")),
      h("dt", {}, "申请时间"), h("dd", {}, when(r.requested_at)),
      h("dt", {}, "处理时限"), h("dd", { class: r.overdue ? "error" : "" }, when(r.due_at) + (r.overdue ? "（已超时）" : "")),
      h("dt", {}, "客户理由"), h("dd", {}, r.reason), h("dt", {}, "申请编号"), h("dd", {}, r.application_id)),
    form);
}

async function reviewView(applicationId) {
  const v = page("申请审批");
  const { items } = await api("GET", "/v1/admin/reviews");
  const item = items.find((i) => i.application_id === applicationId);
  if (!item) return v.append(h("p", { class: "muted" }, "该申请已处理或不存在。"), h("a", { href: "#/reviews" }, "返回待办"));
  const risk = item.risk;
  const identity = item.identity || {};
  const reasons = h("div", { class: "chart", id: "reason-chart" });
  const steps = h("ol", { class: "steps" },
    h("li", { class: item.first_approval_by ? "done" : "" }, item.first_approval_by ? `初审：${item.first_approval_by} 已同意` : "初审"),
    h("li", {}, "复核（第二位审批人）"));
  v.append(
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h2", {}, "申请人与身份核验"), h("dl", { class: "facts" },
        h("dt", {}, "姓名"), h("dd", {}, item.applicant_name_masked),
        h("dt", {}, "手机"), h("dd", {}, item.applicant_phone_masked),
        h("dt", {}, "身份证号"), h("dd", {}, identity.id_number_masked || "—"),
        h("dt", {}, "核验结论"), h("dd", {}, identity.verdict_zh || "—"),
        h("dt", {}, "核验提示"), h("dd", {}, (identity.reasons_zh || []).join("、") || "无"),
        h("dt", {}, "人脸比对"), h("dd", { id: "face-band" }, `与证件照：${BANDS[item.face_match_band] || "—"}；与自拍照：${BANDS[item.selfie_match_band] || "—"}`),
        h("dt", {}, "经营主体"), h("dd", {}, `${item.business_name_masked}（经营 ${item.years_in_business} 年）`),
        h("dt", {}, "年营业收入"), h("dd", {}, yuan(item.annual_revenue_fen)),
        h("dt", {}, "主营业务"), h("dd", { id: "nature-of-business" }, item.nature_of_business || "—"),
        h("dt", {}, "受益所有人"), h("dd", { id: "beneficial-owner" }, item.beneficial_owner === "OTHER"
          ? `他人：${item.beneficial_owner_name_masked}` : item.beneficial_owner === "APPLICANT" ? "申请人本人" : "—"))),
      h("div", { class: "card" }, h("h2", {}, "信用评估"), risk ? h("dl", { class: "facts" },
        h("dt", {}, "违约概率 PD"), h("dd", {}, percent(risk.pd)),
        h("dt", {}, "评分 / 评级"), h("dd", {}, `${risk.score} / ${risk.grade}`),
        h("dt", {}, "征信报告"), h("dd", {}, risk.bureau_record || "无征信记录"),
        h("dt", {}, "核实收入（税务）"), h("dd", {}, yuan(risk.verified_revenue_fen)),
        h("dt", {}, "现有负债（征信）"), h("dd", {}, yuan(risk.existing_debt_fen)),
        h("dt", {}, "申请金额"), h("dd", {}, yuan(item.requested_amount_fen)),
        h("dt", {}, "建议额度"), h("dd", {}, yuan(item.proposed_limit_fen)),
        h("dt", {}, "转人工原因"), h("dd", { id: "referral-reasons" }, item.reasons_zh.join("、"))) : h("p", {}, "无评分"),
      reasons)),
    ...(item.known_risks.length ? [h("div", { class: "card", id: "known-risks" },
      h("h2", {}, "本行已掌握的风险（贷后预警与外部记录）"),
      h("p", { class: "muted" }, "申请人名下额度的未结预警及法院、工商、税务记录，审批时请逐项核实。"),
      ...item.known_risks.map(causeCard))] : []),
    cardImages(item.application_id), revealForm(item.application_id),
    h("div", { class: "card" }, h("h2", {}, "审批（双人复核）"),
      item.compliance_officer_required ? h("p", { class: "notice", id: "compliance-only" },
        "本申请涉及反洗钱事项（名单命中或受益所有人非申请人本人），须由合规人员审批。") : "",
      steps, decisionForm(item)));
  if (risk && window.echarts) {
    const chart = echarts.init(reasons);
    charts.push(chart);
    const names = risk.reasons.map((r) => r.zh).reverse();
    const values = risk.reasons.map((_, i) => Number(risk.contributions[i] || 0)).reverse();
    chart.setOption({ animation: false, title: { text: "主要风险因素对违约几率的贡献（对数几率）", textStyle: { fontSize: 13 } },
      grid: { left: 150, right: 40, top: 36, bottom: 24 }, xAxis: { type: "value" },
      yAxis: { type: "category", data: names },
      series: [{ type: "bar", data: values, itemStyle: { color: "#c0262d" }, label: { show: true, position: "right" } }] });
  }
}

const BANDS = { MATCH: "相符", BORDERLINE: "临界（需人工判断）", LOW: "不符", NO_FACE: "未检出人脸" };
const DOCS = { ID_CARD_FRONT: "身份证人像面", ID_CARD_BACK: "身份证国徽面", SELFIE: "人脸照片" };
const DOC_STATUS = { READ: "已识别", RETAKE_REQUIRED: "需重拍", RECEIVED: "处理中", GONE: "已按期删除", UNREADABLE: "无法显示" };

// The card images are watermarked copies behind links that live a minute: they are fetched when the officer asks.
function cardImages(applicationId) {
  const box = h("div", { class: "card", id: "card-images" }, h("h2", {}, "证件与人脸影像"),
    h("p", { class: "muted" }, "影像带“仅供审核”水印，链接一分钟内有效，不在本机缓存；每次查看均记入审计日志。"));
  const button = h("button", { type: "button", class: "secondary", id: "show-images" }, "查看影像");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const { items } = await api("GET", `/v1/admin/applications/${encodeURIComponent(applicationId)}/card-images`);
      box.append(h("div", { class: "images" }, items.map((i) => h("figure", {},
        i.url ? h("img", { src: i.url, alt: DOCS[i.doc_type], referrerpolicy: "no-referrer" }) : h("div", { class: "muted" }, "无影像"),
        h("figcaption", {}, `${DOCS[i.doc_type]} · ${DOC_STATUS[i.status] || i.status}${i.reason_codes.length ? "（" + i.reason_codes.join("、") + "）" : ""}`)))));
      button.remove();
    } catch (err) { button.disabled = false; box.append(h("p", { class: "error", role: "alert" }, err.message)); }
  });
  box.append(button);
  return box;
}

// Seeing an unmasked value is an act of its own, with a reason, in the audit trail; the value is shown for a minute.
function revealForm(applicationId) {
  const shown = h("p", { class: "revealed", id: "revealed", "aria-live": "polite" });
  const form = h("form", { class: "stack card", id: "reveal" }, h("h2", {}, "查看完整信息（需说明理由，记入审计）"),
    h("label", {}, "字段", h("select", { name: "field" }, [["ID_NUMBER", "身份证号"], ["PHONE", "手机号"], ["PAYOUT_ACCOUNT", "收款账号"]]
      .map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "查看理由", h("input", { name: "reason", required: true, minlength: 4, maxlength: 200 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "查看")), shown);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const answer = await api("POST", `/v1/admin/applications/${encodeURIComponent(applicationId)}/reveal`,
        { field: String(data.get("field")), reason: String(data.get("reason")) });
      shown.textContent = answer.value;
      setTimeout(() => { shown.textContent = ""; }, 60000);
    } catch (err) { shown.textContent = err.message; }
  });
  return form;
}

function decisionForm(item) {
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", id: "decision" },
    h("label", {}, "核定额度（元，可低于建议额度；留空按建议额度）",
      h("input", { name: "limit", inputmode: "decimal", placeholder: item.proposed_limit_fen ? String(item.proposed_limit_fen / 100) : "" })),
    h("label", {}, "审批意见", h("textarea", { name: "comment", required: true, maxlength: 1000 })),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: "APPROVE" }, item.first_approval_by ? "复核同意" : "同意"),
      h("button", { type: "submit", value: "DECLINE", class: "danger" }, "拒绝")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const decision = event.submitter ? event.submitter.value : "APPROVE";
    const body = { decision, comment: String(data.get("comment") || "") };
    const limit = String(data.get("limit") || "").trim();
    if (limit && decision === "APPROVE") body.credit_limit_fen = Math.round(Number(limit) * 100);
    try {
      const answer = await api("POST", `/v1/admin/reviews/${encodeURIComponent(item.application_id)}/decision`, body);
      toast(answer.status === "AWAITING_SECOND_APPROVAL" ? "已提交，等待第二位审批人复核" : "审批已完成");
      location.hash = "#/reviews";
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

// ---- early-warning worklist ----------------------------------------------------------------------------
async function warningsView() {
  const v = page("贷后预警工作台");
  const { items } = await api("GET", "/v1/admin/warnings");
  if (!items.length) return v.append(h("p", { class: "muted" }, "暂无未处理的预警。"));
  v.append(h("table", { id: "warnings" },
    h("thead", {}, h("tr", {}, ["等级", "预警原因", "额度状态", "发起时间", "处理时限"].map((t) => h("th", {}, t)))),
    h("tbody", {}, items.map((w) => h("tr", {
      class: "link", "data-warning": w.warning_id, "data-line": w.credit_line_id,
      onclick: () => { location.hash = `#/warnings/${encodeURIComponent(w.warning_id)}`; },
    }, h("td", {}, h("span", { class: `tag ${w.level}` }, LEVELS[w.level])),
      h("td", {}, w.causes.map((c) => c.reason_zh).join("；")),
      h("td", {}, w.line_status === "FROZEN" ? "已冻结" : "正常"),
      h("td", {}, when(w.opened_at)),
      h("td", { class: w.task_overdue ? "error" : "" }, when(w.task_due_at) + (w.task_overdue ? "（已超时）" : "")))))));
}

// One cause of a warning (or a risk the bank already knew when an application was decided), with its evidence.
function causeCard(c) {
  return h("div", { class: "card cause" },
    h("h2", {}, h("span", { class: `tag ${c.level}` }, LEVELS[c.level]), " ", c.reason_zh),
    h("dl", { class: "facts" }, h("dt", {}, "来源"), h("dd", {}, SOURCES[c.source] || c.source),
      h("dt", {}, "首次发现"), h("dd", {}, when(c.first_seen)),
      ...Object.entries(c.evidence).filter(([k]) => k !== "source")
        .flatMap(([k, v]) => [h("dt", {}, EVIDENCE[k] || k), h("dd", {}, evidenceValue(k, v))])));
}

async function warningView(warningId) {
  const v = page("预警详情");
  const w = await api("GET", `/v1/admin/warnings/${encodeURIComponent(warningId)}`);
  const causes = w.causes.map(causeCard);
  const history = h("table", {}, h("thead", {}, h("tr", {}, ["时间", "事件", "处理人", "说明"].map((t) => h("th", {}, t)))),
    h("tbody", {}, w.history.map((e) => h("tr", {}, h("td", {}, when(e.at)), h("td", {}, (EVENTS[e.event] || e.event) + (e.action ? ` · ${valueZh(e.action)}` : "")),
      h("td", {}, e.by ? officerLabel(e.by) : "系统"), h("td", {}, e.comment || e.rule_zh || e.reason || "")))));
  v.append(h("p", {}, h("span", { class: `tag ${w.level}` }, LEVELS[w.level] + "预警"), "　额度状态：",
    w.line_status === "FROZEN" ? "已冻结" : "正常", "　处理时限：", when(w.task_due_at), "　",
    h("a", { href: `#/lines/${encodeURIComponent(w.credit_line_id)}`, id: "line-link" }, "查看额度与借据")),
  ...causes, pendingCut(w), h("h2", {}, "处理记录"), history,
  w.status === "OPEN" ? dispositionForm(w) : h("p", { class: "muted" }, "该预警已关闭。"));
}

// A limit cut above the checker's amount waits for a second officer: shown as such, with who proposed it and to
// what, until a later cut is booked.
function pendingCut(w) {
  const last = [...w.history].reverse().find((e) => e.event === "LIMIT_REDUCTION_PROPOSED" || e.event === "LIMIT_REDUCED");
  if (!last || last.event !== "LIMIT_REDUCTION_PROPOSED" || w.status !== "OPEN") return null;
  const mine = last.by === session.officerId;
  return h("div", { class: "card notice", id: "pending-cut" }, h("h2", {}, "降额待复核（双人复核）"),
    h("p", {}, `${officerLabel(last.by)}提议将额度调整为 ${yuan(last.new_limit_fen)}（调减 ${yuan(last.reduction_fen)}）。`),
    h("p", {}, mine ? "该降额由您提议，须由另一位审批人在下方选择“复核确认降额”。" : "请核实后在下方选择“复核确认降额”并填写意见。"));
}

function dispositionForm(w) {
  const error = h("p", { class: "error", role: "alert" });
  const limit = h("label", { hidden: true }, "调整后额度（元，不低于已用额度）", h("input", { name: "limit", inputmode: "decimal" }));
  const action = h("select", { name: "action" },
    [["KEEP_FROZEN", "维持冻结"], ["UNFREEZE", "解除冻结"], ["FALSE_ALARM", "误报关闭"], ["REDUCE_LIMIT", "降低额度"],
      ["CONFIRM_LIMIT_REDUCTION", "复核确认降额"], ["PROPOSE_ACCELERATION", "提议提前到期"]]
      .map(([value, text]) => h("option", { value }, text)));
  action.addEventListener("change", () => { limit.hidden = action.value !== "REDUCE_LIMIT"; });
  const form = h("form", { class: "stack card", id: "disposition" }, h("h2", {}, "处置"),
    h("label", {}, "处置方式", action), limit,
    h("label", {}, "处置意见（必填）", h("textarea", { name: "comment", required: true, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "提交处置")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { action: String(data.get("action")), comment: String(data.get("comment") || "") };
    if (body.action === "REDUCE_LIMIT") body.new_limit_fen = Math.round(Number(data.get("limit")) * 100);
    try {
      await api("POST", `/v1/admin/warnings/${encodeURIComponent(w.warning_id)}/disposition`, body);
      toast("处置已记录");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

// ---- complaints: the open ones, earliest due first; each answered once -------------------------------------
async function complaintsView() {
  const v = page("客户投诉");
  const { items } = await api("GET", "/v1/admin/complaints");
  if (!items.length) return v.append(h("p", { class: "muted" }, "暂无待处理的投诉。"));
  v.append(h("p", { class: "muted" }, "按答复期限排列；投诉受理后15日内须答复客户。"),
    ...items.map((c) => complaintCard(c)));
}

function complaintCard(c) {
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", "data-complaint": c.complaint_id },
    h("label", {}, "答复客户（将以短信和手机银行告知）", h("textarea", { name: "reply", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "发送答复")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/v1/admin/complaints/${encodeURIComponent(c.complaint_id)}/reply`,
        { reply: String(new FormData(form).get("reply") || "") });
      toast("答复已发送");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return h("div", { class: "card complaint" },
    h("h2", {}, c.category_zh, c.overdue ? h("span", { class: "tag RED" }, "已超期") : ""),
    h("dl", { class: "facts" }, h("dt", {}, "受理时间"), h("dd", {}, when(c.opened_at)),
      h("dt", {}, "答复期限"), h("dd", { class: c.overdue ? "error" : "" }, when(c.due_at)),
      h("dt", {}, "涉及"), h("dd", {}, c.subject_id ? (c.subject_id.startsWith("line_") ? "额度" : "借据")
        : "未指定"),
      c.subject_id && c.subject_id.startsWith("line_")
        ? [h("dt", {}, ""), h("dd", {}, h("a", { href: `#/lines/${encodeURIComponent(c.subject_id)}` }, "查看额度"))] : []),
    h("p", { class: "complaint-text" }, c.text), form);
}

// ---- identity verified in person: applicants who gave no biometric consent, waiting for an officer -------------
async function inPersonView() {
  const v = page("当面核验");
  const { items } = await api("GET", "/v1/admin/in-person-verifications");
  v.append(h("p", { class: "muted" }, "申请人未同意人脸识别，须由工作人员在网点或视频中核对本人及身份证原件。"));
  if (!items.length) return v.append(h("p", { class: "muted" }, "暂无待核验的申请。"));
  v.append(...items.map(inPersonCard));
}

function inPersonCard(item) {
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", "data-in-person": item.application_id },
    h("label", {}, "核验方式", h("select", { name: "channel" }, h("option", { value: "BRANCH" }, "网点当面"),
      h("option", { value: "VIDEO" }, "视频核验"))),
    h("label", {}, "网点", h("input", { name: "branch", required: true, minlength: 2, maxlength: 60 })),
    h("label", {}, "核验结论", h("select", { name: "outcome" }, h("option", { value: "VERIFIED" }, "本人与证件一致，核验通过"),
      h("option", { value: "NOT_VERIFIED" }, "无法核实，核验不通过"))),
    h("label", {}, "核验说明", h("textarea", { name: "comment", required: true, minlength: 4, maxlength: 500 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "记录核验结果")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api("POST", `/v1/admin/applications/${encodeURIComponent(item.application_id)}/in-person-verification`,
        { outcome: String(data.get("outcome")), channel: String(data.get("channel")),
          branch: String(data.get("branch") || ""), comment: String(data.get("comment") || "") });
      toast("核验结果已记录");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return h("div", { class: "card in-person" }, h("h2", {}, item.applicant_name_masked),
    h("dl", { class: "facts" }, h("dt", {}, "身份证号"), h("dd", {}, item.id_number_masked || "—"),
      h("dt", {}, "手机"), h("dd", {}, item.applicant_phone_masked),
      h("dt", {}, "经营主体"), h("dd", {}, item.business_name_masked),
      h("dt", {}, "提交时间"), h("dd", {}, item.submitted_at ? when(item.submitted_at) : "—")), form);
}

// ---- the anti-money-laundering worklist (compliance officers only) -----------------------------------------
const AML_EVIDENCE = { at: "发现环节", entry_no: "名单条目", list_name: "名单", paid_out_fen: "当日放款（分）",
  threshold_fen: "大额标准（分）", day: "日期", loans: "借据", within_days: "天数内", drawn_fen: "借款合计（分）",
  moved_fen: "转出金额（分）", principal_fen: "借款本金（分）", payments: "转出笔数", payout_on: "放款日",
  application_id: "申请", credit_line_id: "额度", loan_id: "借据" };
const AML_AT = { LISTING: "名单推送", APPLICATION: "申请审批", DRAWDOWN: "提款" };

async function amlView() {
  const v = page("反洗钱");
  let items;
  try { ({ items } = await api("GET", "/v1/admin/aml-cases")); }
  catch (err) {
    if (err.status === 403) return v.append(h("p", { class: "muted", id: "aml-forbidden" }, "反洗钱案件仅合规人员可查看和处理。"));
    throw err;
  }
  v.append(h("p", { class: "muted" }, "名单命中、大额交易、短期内反复借还、放款后资金快进快出，由合规人员逐件核实；处理结论留存十年。"));
  if (!items.length) return v.append(h("p", { class: "muted" }, "暂无待处理的反洗钱案件。"));
  v.append(...items.map(amlCard));
}

function amlCard(c) {
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", "data-aml": c.case_id },
    h("label", {}, "结论", h("select", { name: "outcome" }, h("option", { value: "REPORT" }, "报送可疑交易报告"),
      h("option", { value: "CLOSE" }, "排除，无需报送"))),
    h("label", {}, "核实情况", h("textarea", { name: "comment", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "提交结论")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api("POST", `/v1/admin/aml-cases/${encodeURIComponent(c.case_id)}/decision`,
        { outcome: String(data.get("outcome")), comment: String(data.get("comment") || "") });
      toast("结论已提交并留存");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  const facts = Object.entries(c.evidence).flatMap(([k, value]) => [h("dt", {}, AML_EVIDENCE[k] || k),
    h("dd", {}, k === "at" ? (AML_AT[value] || value) : Array.isArray(value) ? value.join("、") : String(value))]);
  return h("div", { class: "card aml" }, h("h2", {}, c.kind_zh),
    h("dl", { class: "facts" }, h("dt", {}, "发现时间"), h("dd", {}, when(c.opened_at)), ...facts,
      h("dt", {}, "客户"), h("dd", {}, h("a", { href: `#/customers/${encodeURIComponent(c.customer_id)}` }, "客户档案"))),
    form);
}

// ---- credit-bureau reporting: the month's report (once per date) and the disputes about what it said -------
const REPORT_STATUS = { GENERATING: "生成中", GENERATED: "已生成并报送" };
const DISPUTE_FIELDS = { balance_fen: "余额（分）", amount_due_fen: "本月应还（分）", overdue_fen: "逾期金额（分）",
  overdue_periods: "逾期期数", days_past_due: "逾期天数" };

async function bureauView() {
  const v = page("征信报送");
  const [{ items: reports }, { items: disputes }] = await Promise.all([api("GET", "/v1/admin/credit-bureau-reports"),
    api("GET", "/v1/admin/credit-disputes")]);
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack", id: "bureau-report-form" },
    h("label", {}, "报告时点（月末日）", h("input", { type: "date", name: "reporting_date", required: true })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "生成月度报文")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const found = await api("POST", "/v1/admin/credit-bureau-reports",
        { reporting_date: String(new FormData(form).get("reporting_date") || "") });
      toast(found.status === "GENERATED" ? `报文已生成：${found.accounts} 个账户` : "报文正在生成，请稍后刷新");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  v.append(h("div", { class: "card" }, h("h2", {}, "月度报送"),
    h("p", { class: "muted" }, "每月1日自动报送上月末数据；同一报告时点只生成一份报文，重复请求返回同一份。"), form),
  h("div", { class: "card" }, h("h2", {}, "已报送"), reports.length ? h("table", { id: "bureau-reports" },
    h("thead", {}, h("tr", {}, ["报告时点", "状态", "账户数", "更正", "不良信息告知", "回执", "生成时间"].map((t) => h("th", {}, t)))),
    h("tbody", {}, reports.map((r) => h("tr", { "data-date": r.reporting_date }, h("td", {}, r.reporting_date),
      h("td", {}, REPORT_STATUS[r.status]), h("td", {}, r.accounts), h("td", {}, r.corrections), h("td", {}, r.notices_sent),
      h("td", { class: "mono" }, r.receipt || "—"), h("td", {}, r.generated_at ? when(r.generated_at) : "—")))))
    : h("p", { class: "muted" }, "暂无报送记录。")),
  h("h2", {}, "征信异议"),
  disputes.length ? h("div", { id: "disputes" }, disputes.map(disputeCard)) : h("p", { class: "muted" }, "暂无待处理的异议。"));
}

function disputeCard(d) {
  const error = h("p", { class: "error", role: "alert" });
  const outcome = h("select", { name: "outcome" }, h("option", { value: "CORRECTED" }, "异议成立，更正记录"),
    h("option", { value: "UPHELD" }, "原记录无误，予以维持"));
  const fields = h("fieldset", { class: "stack" }, h("legend", {}, "更正后的数值（只填需要更正的项）"),
    Object.entries(DISPUTE_FIELDS).map(([name, label]) => h("label", {}, label,
      h("input", { type: "number", min: 0, step: 1, name }))));
  outcome.addEventListener("change", () => { fields.hidden = outcome.value !== "CORRECTED"; });
  const form = h("form", { class: "stack", "data-dispute": d.dispute_id },
    h("label", {}, "核查结论", outcome), fields,
    h("label", {}, "核查说明（将以短信告知客户）", h("textarea", { name: "finding", required: true, minlength: 10, maxlength: 1000 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "提交核查结论")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const corrected = {};
    if (outcome.value === "CORRECTED") {
      for (const name of Object.keys(DISPUTE_FIELDS)) {
        const value = String(data.get(name) || "").trim();
        if (value !== "") corrected[name] = Number(value);
      }
    }
    try {
      await api("POST", `/v1/admin/credit-disputes/${encodeURIComponent(d.dispute_id)}/resolution`,
        { outcome: outcome.value, finding: String(data.get("finding") || ""), corrected_fields: corrected });
      toast("核查结论已提交");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return h("div", { class: "card dispute" },
    h("h2", {}, d.account_id.startsWith("line_") ? "额度记录异议" : "借据记录异议", d.overdue ? h("span", { class: "tag RED" }, "已超期") : ""),
    h("dl", { class: "facts" }, h("dt", {}, "报告时点"), h("dd", {}, d.reporting_date),
      h("dt", {}, "提出方"), h("dd", {}, d.filed_by.startsWith("customer:") ? "客户本人（手机银行）" : "柜面代为登记"),
      h("dt", {}, "受理时间"), h("dd", {}, when(d.opened_at)),
      h("dt", {}, "核查期限"), h("dd", { class: d.overdue ? "error" : "" }, when(d.due_at)),
      h("dt", {}, "客户"), h("dd", {}, h("a", { href: `#/customers/${encodeURIComponent(d.customer_id)}` }, "客户档案"))),
    h("p", { class: "complaint-text" }, d.text), form);
}

// ---- a credit line with its loans and ledger -----------------------------------------------------------
const LOAN_STATUS = { ACTIVE: "正常还款中", CLOSED: "已结清", WRITTEN_OFF: "已核销（表外）" };
const STATUS = { ACTIVE: "正常", FROZEN: "已冻结", EXPIRED: "已到期", CLOSED: "已关闭", CLOSED_LOAN: "已结清" };
const DRAWDOWN_STATUS = { AWAITING_APPROVAL: "待人工审批", REQUESTED: "已受理", RESERVED: "额度已占用", DISBURSED: "已放款",
  BOOKED: "已入账", REJECTED: "已拒绝", FAILED: "失败" };
const APP_STATUS = { DRAFT: "草稿", SUBMITTED: "审批中", UNDER_REVIEW: "人工审批", OFFERED: "已出额度", DECLINED: "已拒绝",
  ACCEPTED: "待签约", SIGNED: "已签约", ACTIVE: "已生效", EXPIRED: "已过期", WITHDRAWN: "已撤回", FAILED: "失败" };

async function lineView(lineId) {
  const v = page("额度与借据");
  const d = await api("GET", `/v1/admin/credit-lines/${encodeURIComponent(lineId)}`);
  const line = d.line;
  v.append(h("div", { class: "card", id: "line" }, h("dl", { class: "facts" },
    h("dt", {}, "额度编号"), h("dd", {}, line.credit_line_id),
    h("dt", {}, "授信额度"), h("dd", {}, `${yuan(line.limit_fen)}（${d.limit_in_words}）`),
    h("dt", {}, "可用额度"), h("dd", {}, yuan(line.available_fen)),
    h("dt", {}, "状态"), h("dd", {}, STATUS[line.status] || line.status),
    h("dt", {}, "年利率"), h("dd", {}, percent(line.annual_rate)),
    h("dt", {}, "收款账户"), h("dd", {}, line.payout_account_masked),
    h("dt", {}, "有效期至"), h("dd", {}, when(line.valid_until)),
    line.notice ? [h("dt", {}, "客户提示"), h("dd", {}, line.notice)] : [],
    d.open_warning_id ? [h("dt", {}, "未处理预警"), h("dd", {}, h("a", { href: `#/warnings/${encodeURIComponent(d.open_warning_id)}` }, "查看预警"))] : [],
    h("dt", {}, "客户与合同"), h("dd", {}, h("a", { href: `#/customers/${encodeURIComponent(d.customer_id)}` }, "客户档案"), "　",
      h("a", { href: `#/contracts/${encodeURIComponent(d.application_id)}`, id: "contract-link" }, "借款合同")))));
  v.append(h("h2", {}, "提款记录"), d.drawdowns.length ? h("table", { id: "drawdowns" },
    h("thead", {}, h("tr", {}, ["申请时间", "金额", "期限", "状态", "借据号"].map((t) => h("th", {}, t)))),
    h("tbody", {}, d.drawdowns.map((x) => h("tr", {}, h("td", {}, when(x.created_at)), h("td", { class: "num" }, yuan(x.amount_fen)),
      h("td", {}, `${x.term_months} 个月`), h("td", {}, x.status === "AWAITING_APPROVAL" ? h("a", { href: "#/drawdowns" }, DRAWDOWN_STATUS[x.status])
        : DRAWDOWN_STATUS[x.status] || x.status), h("td", {}, x.loan_id || "—")))))
    : h("p", { class: "muted" }, "尚无提款。"));
  v.append(h("h2", {}, "借据"));
  if (!d.loans.length) v.append(h("p", { class: "muted" }, "尚无借款。"));
  for (const item of d.loans) {
    const loan = item.loan;
    v.append(h("div", { class: "card loan", "data-loan": loan.loan_id },
      h("dl", { class: "facts" },
        h("dt", {}, "借据号"), h("dd", {}, loan.loan_id),
        h("dt", {}, "本金 / 余额"), h("dd", {}, `${yuan(loan.principal_fen)} / ${yuan(loan.outstanding_principal_fen)}`),
        h("dt", {}, "期限 / 方式"), h("dd", {}, `${loan.term_months} 个月 · ${loan.repayment_method_zh}`),
        h("dt", {}, "年利率 / APR"), h("dd", {}, `${percent(loan.annual_rate)} / ${percent(loan.apr)}`),
        h("dt", {}, "状态"), h("dd", { class: "loan-status" }, LOAN_STATUS[loan.status] || loan.status),
        h("dt", {}, "五级分类"), h("dd", { class: "classification" }, item.classification_zh
          + (item.under_observation ? `（展期后观察期至 ${loan.observed_until}）` : "")),
        h("dt", {}, "逾期天数"), h("dd", {}, `${loan.days_past_due} 天（历史最长 ${item.worst_days_past_due} 天）`),
        loan.extended_months ? [h("dt", {}, "展期"), h("dd", {}, `已展期 ${loan.extended_months} 个月（${loan.restructured_on}）`)] : [],
        loan.status === "WRITTEN_OFF" ? [h("dt", {}, "核销"), h("dd", {}, `${loan.written_off_on} 核销，尚未收回 ${yuan(loan.written_off_balance_fen)}`)] : []),
      item.classification_history.length ? h("p", { class: "muted" }, "分类变动：",
        item.classification_history.map((c) => `${when(c.at)} ${CLASSES[c.from_class] || c.from_class}→${CLASSES[c.to_class] || c.to_class}（${(c.reasons_zh || c.reasons).join("、")}）`).join("；")) : null,
      h("table", { class: "schedule" }, h("thead", {}, h("tr", {}, ["期次", "还款日", "本金", "利息", "合计"].map((t) => h("th", {}, t)))),
        h("tbody", {}, loan.schedule.map((r) => h("tr", { class: r.number <= loan.instalments_paid ? "muted" : "" },
          h("td", {}, r.number), h("td", {}, r.due_date), h("td", { class: "num" }, yuan(r.principal_fen)),
          h("td", { class: "num" }, yuan(r.interest_fen)), h("td", { class: "num" }, yuan(r.total_fen)))))),
      item.closed_schedules.length ? h("p", { class: "muted closed-schedules" }, "已关闭的还款计划：",
        item.closed_schedules.map((c) => `${when(c.closed_at)} 展期前 ${c.instalments} 期、到期日 ${c.maturity}`).join("；")) : null,
      loanActions(item)));
  }
  v.append(h("h2", {}, "还款记录"), d.repayments.length ? h("table", { id: "repayments" },
    h("thead", {}, h("tr", {}, ["入账时间", "金额", "流水号"].map((t) => h("th", {}, t)))),
    h("tbody", {}, d.repayments.map((r) => h("tr", {}, h("td", {}, when(r.booked_at)), h("td", { class: "num" }, yuan(r.amount_fen)),
      h("td", {}, r.reference))))) : h("p", { class: "muted" }, "尚无还款。"));
  v.append(h("h2", {}, "额度变动"), h("table", { id: "line-history" },
    h("thead", {}, h("tr", {}, ["时间", "事件", "可用额度变动", "状态"].map((t) => h("th", {}, t)))),
    h("tbody", {}, d.history.items.map((m) => h("tr", {}, h("td", {}, when(m.occurred_at)), h("td", {}, m.event_zh || m.event),
      h("td", { class: "num" }, m.available_change_fen ? yuan(m.available_change_fen) : ""), h("td", {}, m.status_after ? STATUS[m.status_after] : ""))))));
  v.append(h("h2", {}, "会计分录"), h("table", { id: "ledger" },
    h("thead", {}, h("tr", {}, ["记账时间", "类型", "科目", "借方", "贷方"].map((t) => h("th", {}, t)))),
    h("tbody", {}, d.ledger.flatMap((t) => t.legs.map((leg, i) => h("tr", {},
      h("td", {}, i ? "" : when(t.booked_at)), h("td", {}, i ? "" : t.kind_zh || t.kind),
      h("td", {}, leg.account_zh || leg.account),
      h("td", { class: "num" }, leg.debit_fen ? yuan(leg.debit_fen) : ""), h("td", { class: "num" }, leg.credit_fen ? yuan(leg.credit_fen) : "")))))));
}

// ---- portfolio dashboard -------------------------------------------------------------------------------
// Every figure says as of when it holds: the book's as of the last daily sweep (none before the first: no figure,
// not ¥0.00), today's money and the open warnings as they stand now. A chart with nothing to draw says 暂无数据;
// a month's PSI or a cohort below the minimum sample (the API's thresholds) says 样本不足 and raises nothing.
async function dashboardView() {
  const v = page("资产组合与模型监控");
  const [book, model, flow] = await Promise.all([api("GET", "/v1/admin/portfolio"), api("GET", "/v1/admin/model-monitoring"),
    api("GET", "/v1/admin/origination")]);
  const swept = Boolean(book.as_of);
  const asOf = swept ? `截至 ${book.as_of} 日终${book.sweep_complete ? "" : "（批处理未完成）"}` : "尚无日终批处理";
  const kpi = (label, value, when, id) => h("div", { class: "card", id }, h("div", { class: "muted" }, label),
    h("div", { class: "kpi" }, value), h("div", { class: "muted small as-of" }, when));
  const book_ = (value) => swept ? value : "—";
  v.append(h("p", { class: "muted", id: "as-of" }, swept ? `贷款余额、不良率、冻结额度和图表${asOf}；今日放款、回收与预警为实时数据。`
    : "尚未运行日终批处理：贷款余额、不良率和分类图表在首次批处理后显示；今日放款、回收与预警为实时数据。"),
  h("div", { class: "grid3" }, kpi("贷款余额", book_(yuan(book.outstanding_fen)), asOf, "kpi-outstanding"),
    kpi("不良率", book_(percent(book.npl_ratio)), asOf, "kpi-npl"),
    kpi("冻结额度数", book_(String(book.lines_frozen)), asOf),
    kpi("今日放款", `${book.disbursed_today.count} 笔 · ${yuan(book.disbursed_today.fen)}`, `${book.today} 实时`),
    kpi("今日回收", `${book.collected_today.count} 笔 · ${yuan(book.collected_today.fen)}`, `${book.today} 实时`),
    kpi("未处理预警", `红 ${book.warnings_open.RED} · 橙 ${book.warnings_open.ORANGE} · 黄 ${book.warnings_open.YELLOW}`, "实时"),
    kpi("提交至首次放款（中位数）", duration(flow.submission_to_first_payout.median_seconds), `${flow.from} 至 ${flow.to}`),
    kpi("提交至首次放款（P90）", duration(flow.submission_to_first_payout.p90_seconds), `${flow.from} 至 ${flow.to}`),
    kpi("近期首次放款", `${flow.submission_to_first_payout.count} 户`, `${flow.from} 至 ${flow.to}`)));
  const box = (id) => h("div", { class: "chart", id });
  const [funnel, cash, buckets, classes, psi, vintage] = ["chart-funnel", "chart-cash", "chart-buckets", "chart-classes",
    "chart-psi", "chart-vintage"].map(box);
  v.append(h("div", { class: "grid" }, h("div", { class: "card" }, funnel), h("div", { class: "card" }, cash)),
    h("div", { class: "grid" }, h("div", { class: "card" }, buckets), h("div", { class: "card" }, classes),
      h("div", { class: "card" }, psi), h("div", { class: "card" }, vintage)));
  if (!window.echarts) return failure(new Error("图表库未加载"));
  const draw = (el, option) => { const c = echarts.init(el); charts.push(c); c.setOption({ animation: false, ...option }); };
  const empty = (el, title, text = "暂无数据") => el.replaceChildren(h("div", { class: "chart-title" }, title),
    h("p", { class: "muted empty-chart" }, text));
  const stages = [["APPLIED", "提交申请"], ["OFFERED", "获得额度"], ["SIGNED", "签署合同"], ["DRAWN", "首次提款"]];
  const funnelTitle = `审批漏斗（${flow.from} 至 ${flow.to}）`;
  if (!flow.funnel.APPLIED) empty(funnel, funnelTitle);
  else draw(funnel, { title: { text: funnelTitle, textStyle: { fontSize: 13 } }, tooltip: { trigger: "item" },
    series: [{ type: "funnel", top: 40, bottom: 10, sort: "none", minSize: "20%", label: { formatter: "{b}：{c}" },
      data: stages.map(([k, name]) => ({ name, value: flow.funnel[k] })) }] });
  const cashTitle = `每日放款与回收（元，${flow.from} 至 ${flow.to}）`;
  if (!flow.days.some((d) => d.disbursed.fen || d.collected.fen)) empty(cash, cashTitle);
  else draw(cash, { title: { text: cashTitle, textStyle: { fontSize: 13 } }, legend: { bottom: 0 }, tooltip: { trigger: "axis" },
    grid: { left: 80, right: 16, top: 40, bottom: 56 }, xAxis: { type: "category", data: flow.days.map((d) => d.date.slice(5)) },
    yAxis: { type: "value" }, series: [
      { name: "放款", type: "bar", data: flow.days.map((d) => d.disbursed.fen / 100), itemStyle: { color: "#0b5cad" } },
      { name: "回收", type: "bar", data: flow.days.map((d) => d.collected.fen / 100), itemStyle: { color: "#1f7a3d" } }] });
  const bucketNames = Object.keys(book.outstanding_by_bucket);
  const bucketTitle = `按逾期天数的贷款余额（元，${asOf}）`;
  if (!swept || !book.outstanding_fen) empty(buckets, bucketTitle);
  else draw(buckets, { title: { text: bucketTitle, textStyle: { fontSize: 13 } }, grid: { left: 80, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: bucketNames.map((b) => b === "CURRENT" ? "未逾期" : `${b}天`) }, yAxis: { type: "value" },
    series: [{ type: "bar", data: bucketNames.map((b) => book.outstanding_by_bucket[b] / 100), itemStyle: { color: "#0b5cad" } }] });
  const classTitle = `五级分类余额（${asOf}）`;
  if (!swept || !book.outstanding_fen) empty(classes, classTitle); // five equal slices over zeros would read as 20% 损失
  else draw(classes, { title: { text: classTitle, textStyle: { fontSize: 13 } }, tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], top: 30,
      data: Object.entries(book.outstanding_by_class).filter(([, fen]) => fen > 0).map(([k, fen]) => ({ name: CLASSES[k] || k, value: fen / 100 })) }] });
  const minSample = model.thresholds.min_sample;
  const measured = model.stability.filter((r) => r.status !== "NO_DATA" && r.status !== "INSUFFICIENT_SAMPLE");
  const psiTitle = `评分稳定性 PSI（0.10 关注 · 0.25 行动；每月至少 ${minSample} 笔评分）`;
  if (!measured.length) {
    empty(psi, psiTitle, model.stability.some((r) => r.status === "INSUFFICIENT_SAMPLE") ? `样本不足：各月评分均少于 ${minSample} 笔，暂不计算` : "暂无数据");
  } else {
    const months = [...new Set(model.stability.map((r) => r.month))];
    const psiSeries = ["NEW_APPLICATIONS", "RESCORED_BOOK"].map((p) => ({ name: p === "NEW_APPLICATIONS" ? "新申请" : "存量重评",
      type: "bar", data: months.map((m) => { const r = measured.find((x) => x.month === m && x.population === p); return r ? r.psi : null; }) }));
    draw(psi, { title: { text: psiTitle, textStyle: { fontSize: 13 } }, legend: { bottom: 0 },
      grid: { left: 50, right: 24, top: 40, bottom: 56 }, xAxis: { type: "category", data: months }, yAxis: { type: "value" },
      series: [...psiSeries, { type: "line", name: "行动阈值", data: months.map(() => 0.25), symbol: "none", lineStyle: { type: "dashed", color: "#c0262d" } }] });
  }
  const cohorts = model.vintage.filter((c) => c.sample_sufficient);
  const vintageTitle = `账龄曲线：曾逾期30天以上占比（每批至少 ${model.thresholds.vintage_min_loans} 笔）`;
  if (!cohorts.length) empty(vintage, vintageTitle, model.vintage.length ? "样本不足：各放款月份的借款笔数均低于最低样本量" : "暂无数据");
  else draw(vintage, { title: { text: vintageTitle, textStyle: { fontSize: 13 } }, legend: { bottom: 0 },
    grid: { left: 50, right: 24, top: 40, bottom: 56 }, xAxis: { type: "value", name: "账龄(月)", minInterval: 1 },
    yAxis: { type: "value", axisLabel: { formatter: (x) => (x * 100).toFixed(0) + "%" } },
    series: cohorts.map((c) => ({ name: c.cohort, type: "line", data: c.points.map((p) => [p.months_on_book, p.share]) })) });
  if (model.model_warnings.length) {
    v.append(h("div", { class: "card" }, h("h2", {}, "模型预警"), h("ul", {}, model.model_warnings.map((m) =>
      h("li", {}, `${m.month} ${m.population === "NEW_APPLICATIONS" ? "新申请" : "存量重评"}：PSI ${m.psi}（${m.status === "ACT" ? "需行动" : "需关注"}）`)))));
  }
}

// ---- customers: search and file -----------------------------------------------------------------------
// A mistyped 居民身份证号码 is told before it is searched for (and before the search is written to the audit
// trail): its last character is a check digit (GB 11643-1999), as the API checks it (422 ID_NUMBER_CHECK_DIGIT).
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idCheckDigitHolds(number) {
  const n = number.toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(n)) return false;
  const total = ID_WEIGHTS.reduce((sum, w, i) => sum + Number(n[i]) * w, 0);
  return "10X98765432"[total % 11] === n[17];
}

function customersView() {
  const v = page("客户查询");
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "stack card", id: "customer-search" },
    h("label", {}, "查询方式", h("select", { name: "by" }, [["id_number", "身份证号（记入审计）"], ["application_id", "申请编号"],
      ["credit_line_id", "额度编号"]].map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "查询内容", h("input", { name: "value", required: true, autocomplete: "off" })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "查询")), error);
  const idNumberProblem = () => {
    const typed = String(form.elements.value.value).trim();
    return form.elements.by.value === "id_number" && typed && !idCheckDigitHolds(typed)
      ? "身份证号有误（共18位，末位校验码不符），请核对后重新输入。" : "";
  };
  form.addEventListener("input", () => { error.textContent = idNumberProblem(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (idNumberProblem()) { error.textContent = idNumberProblem(); return; }
    const data = new FormData(form);
    try {
      const found = await api("POST", "/v1/admin/customers/search", { [String(data.get("by"))]: String(data.get("value")).trim() });
      location.hash = `#/customers/${encodeURIComponent(found.customer_id)}`;
    } catch (err) { error.textContent = err.status === 404 ? "未找到相符的客户。" : err.message; }
  });
  v.append(form);
}

async function customerView(customerId) {
  const v = page("客户档案");
  const c = await api("GET", `/v1/admin/customers/${encodeURIComponent(customerId)}`);
  v.append(h("div", { class: "card" }, h("dl", { class: "facts" }, h("dt", {}, "客户"), h("dd", {}, c.applicant_name_masked),
    h("dt", {}, "手机"), h("dd", {}, c.applicant_phone_masked), h("dt", {}, "客户编号"), h("dd", {}, c.customer_id))));
  v.append(h("h2", {}, "授信额度"), c.lines.length ? h("table", { id: "customer-lines" },
    h("thead", {}, h("tr", {}, ["额度编号", "授信额度", "可用额度", "状态", "有效期至"].map((t) => h("th", {}, t)))),
    h("tbody", {}, c.lines.map((l) => h("tr", { class: "link", "data-line": l.credit_line_id,
      onclick: () => { location.hash = `#/lines/${encodeURIComponent(l.credit_line_id)}`; } },
    h("td", {}, l.credit_line_id), h("td", { class: "num" }, yuan(l.limit_fen)), h("td", { class: "num" }, yuan(l.available_fen)),
    h("td", {}, STATUS[l.status] || l.status), h("td", {}, when(l.valid_until)))))) : h("p", { class: "muted" }, "尚无额度。"));
  v.append(h("h2", {}, "贷款申请"), h("table", { id: "customer-applications" },
    h("thead", {}, h("tr", {}, ["申请编号", "经营主体", "申请金额", "状态", "提交时间", "合同"].map((t) => h("th", {}, t)))),
    h("tbody", {}, c.applications.map((a) => h("tr", {}, h("td", {}, a.application_id), h("td", {}, a.business_name_masked),
      h("td", { class: "num" }, yuan(a.requested_amount_fen)), h("td", {}, APP_STATUS[a.status] || a.status),
      h("td", {}, when(a.submitted_at)), h("td", {}, ["ACCEPTED", "SIGNED", "ACTIVE"].includes(a.status)
        ? h("a", { href: `#/contracts/${encodeURIComponent(a.application_id)}` }, "查看") : "—"))))));
}

// ---- the contract --------------------------------------------------------------------------------------
const SIGNATURE_FIELDS = { Borrower: "借款人签名", BankSeal: "贷款人电子印章", ArchiveTimestamp: "存档时间戳" };
async function contractView(applicationId) {
  const v = page("借款合同");
  const d = await api("GET", `/v1/admin/applications/${encodeURIComponent(applicationId)}/contract`);
  const c = d.contract;
  const check = d.verification;
  v.append(h("div", { class: "card", id: "contract" }, h("dl", { class: "facts" },
    h("dt", {}, "合同编号"), h("dd", {}, c.contract_no),
    h("dt", {}, "状态"), h("dd", {}, c.status === "SIGNED" ? "已签署" : "待签署"),
    h("dt", {}, "授信额度"), h("dd", {}, d.credit_limit_fen === null ? "—" : `${yuan(d.credit_limit_fen)}（${d.credit_limit_in_words}）`),
    h("dt", {}, "签署时间"), h("dd", {}, when(c.signed_at)),
    h("dt", {}, "签章级别"), h("dd", {}, c.pades_level || "—"),
    h("dt", {}, "文件摘要 SHA-256"), h("dd", { class: "mono" }, c.signed_sha256 || c.sha256),
    h("dt", {}, "下载"), h("dd", {}, h("a", { href: c.download_url, rel: "noopener noreferrer", target: "_blank" },
      `下载 PDF（${Math.round(c.download_expires_in / 60)} 分钟内有效）`)))));
  if (!check) return v.append(h("p", { class: "muted" }, "合同尚未签署，暂无验签结果。"));
  v.append(h("div", { class: "card", id: "verification" }, h("h2", {}, "验签结果"),
    h("p", { class: check.valid ? "ok" : "error" }, check.valid ? "有效：全部签名与时间戳有效，签署后未被修改，与存档摘要一致。" : `无效：${check.summary}`),
    h("table", {}, h("thead", {}, h("tr", {}, ["签名域", "签署方", "时间戳时间", "有效"].map((t) => h("th", {}, t)))),
      h("tbody", {}, check.signatures.map((x) => h("tr", {}, h("td", {}, SIGNATURE_FIELDS[x.field] || x.field), h("td", {}, x.signer),
        h("td", {}, when(x.timestamp_at)), h("td", { class: x.valid ? "ok" : "error" }, x.valid ? "是" : "否")))))));
}

// ---- reconciliation and audit -------------------------------------------------------------------------
const PROBLEMS = { AT_CORE_NOT_BOOKED: "核心已处理、台账未记", BOOKED_NOT_AT_CORE: "台账已记、核心无记录", AMOUNT_DIFFERS: "金额不一致" };

async function reconciliationView() {
  const v = page("对账");
  const r = await api("GET", "/v1/admin/reconciliation");
  v.append(h("div", { class: "grid3" }, h("div", { class: "card" }, h("div", { class: "muted" }, "已勾对"), h("div", { class: "kpi" }, `${r.matched} 笔`)),
    h("div", { class: "card" }, h("div", { class: "muted" }, "已勾对金额"), h("div", { class: "kpi" }, yuan(r.matched_fen))),
    h("div", { class: "card" }, h("div", { class: "muted" }, "差错"), h("div", { class: `kpi ${r.breaks.length ? "error" : "ok"}` }, `${r.breaks.length} 笔`))));
  v.append(h("h2", {}, "差错明细"), r.breaks.length ? h("table", { id: "breaks" },
    h("thead", {}, h("tr", {}, ["类型", "编号", "差错", "核心金额", "台账金额"].map((t) => h("th", {}, t)))),
    h("tbody", {}, r.breaks.map((b) => h("tr", {}, h("td", {}, b.kind === "PAYOUT" ? "放款" : "扣款"), h("td", {}, b.id),
      h("td", {}, PROBLEMS[b.problem] || b.problem), h("td", { class: "num" }, yuan(b.core_fen)), h("td", { class: "num" }, yuan(b.ledger_fen))))))
    : h("p", { class: "ok", id: "no-breaks" }, "台账与核心系统一致，无差错。"));
}

const ACTIONS = { ReviewDecided: "审批决定", FirstApprovalRecorded: "初审同意", PersonalDataRevealed: "查看完整信息",
  CustomerLookedUp: "按身份证号查询客户", IdDocumentsViewed: "查看证件影像", WarningDisposed: "处置预警",
  CreditLineUnfrozen: "解冻额度", CreditLineLimitReduced: "降低额度", LoanAccelerationProposed: "提议提前到期",
  DrawdownApproved: "同意提款", DrawdownDeclined: "拒绝提款", ConflictOfInterestRefused: "回避拒绝",
  RiskListEntryAdded: "加入本行风险名单", StaffIdentityRegistered: "登记员工身份", ComplaintAnswered: "答复客户投诉",
  RestructuringRequested: "提议展期", RestructuringDecided: "展期审批", WriteOffProposed: "提议核销",
  WriteOffDeclined: "退回核销", LoanWrittenOff: "确认核销", WrittenOffLoanRecovered: "登记追偿款",
  CollectionContactLogged: "登记催收联系", PromiseToPayRecorded: "登记还款承诺" };

function auditView() {
  const v = page("审计日志");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  const results = h("div", { id: "audit-results" });
  const form = h("form", { class: "filters card", id: "audit-search" },
    h("label", {}, "起始日期", h("input", { name: "from", type: "date", value: today })),
    h("label", {}, "截止日期", h("input", { name: "to", type: "date", value: today })),
    h("label", {}, "操作人编号", h("input", { name: "officer", autocomplete: "off", list: "officer-ids" })),
    h("datalist", { id: "officer-ids" }, h("option", { value: session.officerId || "" }, "我")),
    h("label", {}, "操作", h("select", { name: "action" }, h("option", { value: "" }, "全部"),
      Object.entries(ACTIONS).map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "申请编号", h("input", { name: "application_id", autocomplete: "off" })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "查询")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim()) query.set(key, String(value).trim());
    try {
      const { items, truncated } = await api("GET", `/v1/admin/audit?${query}`);
      results.replaceChildren(items.length ? h("table", { id: "audit" },
        h("thead", {}, h("tr", {}, ["时间", "操作", "操作人", "对象", "内容"].map((t) => h("th", {}, t)))),
        h("tbody", {}, items.map((e) => h("tr", {}, h("td", {}, when(e.occurred_at)), h("td", {}, e.event_zh || ACTIONS[e.event] || e.event),
          h("td", {}, e.officer ? (e.officer === session.officerId ? `${session.officer}（我）` : e.officer)
            : e.actor.startsWith("customer:") ? "客户" : "系统"), h("td", {}, e.subject_id),
          h("td", {}, actFields(e.data))))))
        : h("p", { class: "muted" }, "没有符合条件的记录。"), truncated ? h("p", { class: "error" }, "结果过多，仅显示最近 500 条，请缩小查询范围。") : "");
    } catch (err) { results.replaceChildren(h("p", { class: "error", role: "alert" }, err.message)); }
  });
  v.append(form, results);
  form.requestSubmit();
}

// ---- routing -------------------------------------------------------------------------------------------
async function route() {
  if (!session.token) return signInView();
  document.getElementById("bar").hidden = false;
  document.getElementById("officer").textContent = session.officer;
  const [, view, id] = (location.hash || "#/reviews").split("/").map(decodeURIComponent);
  for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.dataset.view === view);
  try {
    if (view === "warnings") await (id ? warningView(id) : warningsView());
    else if (view === "lines" && id) await lineView(id);
    else if (view === "dashboard") await dashboardView();
    else if (view === "customers") await (id ? customerView(id) : customersView());
    else if (view === "complaints") await complaintsView();
    else if (view === "drawdowns") await heldDrawdownsView();
    else if (view === "restructuring") await restructuringView();
    else if (view === "collections") await (id ? collectionCaseView(id) : collectionsView());
    else if (view === "write-offs") await writeOffsView();
    else if (view === "bureau") await bureauView();
    else if (view === "aml") await amlView();
    else if (view === "in-person") await inPersonView();
    else if (view === "contracts" && id) await contractView(id);
    else if (view === "reconciliation") await reconciliationView();
    else if (view === "audit") auditView();
    else await (id ? reviewView(id) : reviewsView());
  } catch (err) {
    if (err.status !== 401) failure(err);
  }
}

document.getElementById("sign-out").addEventListener("click", () => signOut("您已退出登录。"));
window.addEventListener("hashchange", route);
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
route();
