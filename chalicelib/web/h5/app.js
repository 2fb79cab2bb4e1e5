// The lending H5: the customer's journey as one more client of the lending API. Every amount, date, schedule, rule
// and decision comes from the API; the page asks, shows and sends. Text is only ever set as text. The access token
// lives in this module's memory (never in storage): a reload signs the customer out.

import { NetworkError, apiClient, h, yuan } from "/shared/web.js";

const session = { token: null, timer: null };
const main = document.getElementById("main");
const draft = { consents: [], step: 0, identity: "FACE", product: null }; // the application being filled in, in memory only
const previews = {}; // the photos this phone took, shown beside their status (object URLs of the files, never uploaded from here)

// ---- helpers -------------------------------------------------------------------------------------------
const rate = (r) => (Number(r) * 100).toFixed(2) + "%";
const day = (iso) => iso ? new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long",
  day: "numeric" }).format(new Date(iso.length === 10 ? iso + "T00:00:00+08:00" : iso)) : "—";
const LINE_STATUS = { ACTIVE: "可用", FROZEN: "暂停使用", EXPIRED: "已到期", CLOSED: "已关闭" };
const NEXT = { UPLOAD_DOCUMENTS_AND_SUBMIT: "继续填写申请", VERIFY_IN_PERSON: "请到网点或视频核验身份", WAIT_FOR_DECISION: "审批中，请稍候", REVIEW_AND_ACCEPT_OFFER: "查看额度",
  SIGN_CONTRACT: "签署合同", WAIT_FOR_ACTIVATION: "额度开通中", DRAW_FUNDS: "去借款", CONTACT_BANK: "请联系客服", NONE: "" };
const DOCS = [["ID_CARD_FRONT", "身份证人像面", "environment"], ["ID_CARD_BACK", "身份证国徽面", "environment"],
  ["SELFIE", "本人正脸照片", "user"]];

// A decimal amount in yuan as the customer typed it, to whole fen, without floating point.
function toFen(text) {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(String(text));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3500);
}

const api = apiClient(session, "/v1/session", () => signOut("登录已失效，请重新登录。"));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls until done(answer), waiting longer each time (0.5 s up to 4 s); the screen shows where it stands meanwhile.
async function poll(path, done, onEach, seconds = 90) {
  const until = Date.now() + seconds * 1000;
  for (let wait = 500; ; wait = Math.min(wait * 1.6, 4000)) {
    let answer = null;
    try { answer = await api("GET", path); } catch (err) { if (!(err instanceof NetworkError)) throw err; }
    if (answer) { if (onEach) onEach(answer); if (done(answer)) return answer; }
    if (Date.now() > until) throw new Error("处理时间较长，请稍后在首页查看结果。");
    await sleep(wait);
  }
}

function screen(title, back) {
  document.getElementById("title").textContent = title;
  const backButton = document.getElementById("back");
  backButton.hidden = !back;
  backButton.onclick = () => { location.hash = back; };
  document.getElementById("sign-out").hidden = !session.token;
  const section = h("section");
  main.replaceChildren(section);
  window.scrollTo(0, 0);
  return section;
}

function failure(section, err) { section.append(h("p", { class: "error", role: "alert" }, err.message)); }

// The local stack's stand-in for the SMS a phone would receive (absent outside the local stage).
async function devCode(template, box) {
  try {
    const { items } = await api("GET", "/v1/dev/outbox");
    const message = items.find((m) => m.template === template);
    if (message) box.replaceChildren(h("div", { class: "dev" }, "本地演示环境，短信内容：", message.text));
  } catch (err) { /* not the local stage: the customer reads the SMS on the phone */ }
}

// ---- sign-in and the product ---------------------------------------------------------------------------
function signInView(message) {
  const v = screen("登录", "#/product");
  const error = h("p", { class: "error", role: "alert" }, message || "");
  const form = h("form", { id: "sign-in", class: "card" },
    h("h1", {}, "登录手机银行"),
    h("label", {}, "用户名", h("input", { name: "username", autocomplete: "username", required: true })),
    h("label", {}, "密码", h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit" }, "登录"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const answer = await api("POST", "/v1/session", { username: String(data.get("username")), password: String(data.get("password")) });
      session.token = answer.access_token;
      session.profile = undefined; // (read again for whoever signed in)
      clearTimeout(session.timer);
      session.timer = setTimeout(() => signOut("登录已超时，请重新登录。"), answer.expires_in * 1000);
      location.hash = "#/home";
    } catch (err) { error.textContent = err.status === 401 ? "用户名或密码错误。" : err.message; }
  });
  v.append(form);
}

function signOut(message) {
  session.token = null;
  session.profile = undefined;
  clearTimeout(session.timer);
  signInView(message);
  if (location.hash !== "#/login") history.replaceState(null, "", "#/login");
}

// The bank's products (GET /v1/products), one card each: she chooses, reads its terms, then applies with it.
const INDUSTRY = { RETAIL: "批发零售", CATERING: "餐饮", MANUFACTURING: "加工制造", SERVICES: "生活服务", TRANSPORT: "交通运输",
  AGRICULTURE: "种植养殖（农户、合作社）", OTHER: "其他" };
async function productView() {
  const v = screen("选择贷款产品");
  const [{ items }, profile] = await Promise.all([api("GET", "/v1/products"), session.token ? bankProfile() : null]);
  const pre = profile && profile.pre_approval;
  const p = items.find((x) => x.product_code === draft.product) || items.find((x) => pre && x.product_code === pre.product_code) || items[0];
  draft.product = p.product_code;
  v.append(h("div", { class: "choices", id: "products" }, items.map((x) => h("button", {
    type: "button", class: x.product_code === p.product_code ? "choice-card chosen" : "choice-card", "data-product": x.product_code,
    "aria-pressed": String(x.product_code === p.product_code), onclick: () => { draft.product = x.product_code; productView(); } },
  h("strong", {}, x.name_zh), h("span", { class: "muted" }, `最高 ${yuan(x.max_line_fen)} · 年利率 ${rate(x.min_annual_rate)} 起`)))));
  v.append(
    h("div", { class: "card hero", id: "product", "data-product": p.product_code }, h("div", {}, p.name_zh), h("div", { class: "big" }, `最高 ${yuan(p.max_line_fen)}`),
      h("div", { class: "muted" }, `年利率 ${rate(p.min_annual_rate)} 起 · ${p.fees} · 随借随还`)),
    h("div", { class: "card" }, h("p", {}, p.summary), h("dl", { class: "rows" },
      h("dt", {}, "额度范围"), h("dd", {}, `${yuan(p.min_line_fen)} – ${yuan(p.max_line_fen)}`),
      h("dt", {}, "年利率"), h("dd", {}, `${rate(p.min_annual_rate)} – ${rate(p.max_annual_rate)}（单利）`),
      h("dt", {}, "借款期限"), h("dd", {}, p.terms_months.map((t) => `${t}个月`).join("、")),
      h("dt", {}, "还款方式"), h("dd", {}, p.repayment_methods_zh.join("、")),
      p.harvest_months.length ? [h("dt", {}, "到期月份"), h("dd", { id: "harvest-months" }, `收获月 ${p.harvest_months.map((m) => `${m}月`).join("、")}，到期一次还本`)] : [],
      p.grace_months ? [h("dt", {}, "宽限期"), h("dd", {}, `前${p.grace_months}个月只付利息`)] : [],
      h("dt", {}, "额度有效期"), h("dd", {}, `${p.line_validity_months}个月，可循环使用`))),
    h("div", { class: "card" }, h("h2", {}, "谁可以申请"), h("ul", {}, p.eligibility.map((e) => h("li", {}, e)))),
    h("button", { type: "button", id: "start", onclick: () => {
      draft.industries = p.industries;
      location.hash = session.token ? "#/apply" : "#/login";
    } }, session.token ? `申请${p.name_zh}` : "登录后申请"));
}

// The customer's record at the bank, or null for a customer new to the bank (404 CUSTOMER_RECORD_NOT_FOUND):
// what the app shows read-only instead of asking, and the accounts it offers for a payout.
// Asked once per sign-in: a customer new to the bank is told so once (one 404), not on every screen.
// The question itself is kept, not only its answer: two screens asking at once (home, then the product page at
// once) share one request.
function bankProfile() {
  if (session.profile === undefined) {
    session.profile = api("GET", "/v1/customer/profile").catch((err) => {
      if (err.status === 404 && err.code === "CUSTOMER_RECORD_NOT_FOUND") return null;
      session.profile = undefined; // asked again next time
      throw err;
    });
  }
  return session.profile;
}

function accountChoices(profile, name) {
  const usable = profile.accounts.filter((a) => a.can_receive_payout);
  return h("fieldset", { class: "accounts", id: name },
    h("legend", {}, "收款账户（您在本行的账户）"),
    profile.accounts.map((a) => h("label", { class: a.can_receive_payout ? "choice" : "choice muted" },
      h("input", { type: "radio", name, value: a.account_id, required: true, disabled: !a.can_receive_payout,
        checked: a.account_id === (usable[0] && usable[0].account_id) }),
      `${a.account_class === "I" ? "一类账户" : "二类账户"} ${a.account_no_masked}`,
      a.can_receive_payout ? "" : h("span", { class: "hint" }, a.status === "ACTIVE" ? "（二类户不能接收贷款）" : "（账户状态异常）"))));
}

// ---- home ----------------------------------------------------------------------------------------------
async function homeView() {
  const v = screen("我的贷款");
  const [apps, lines, profile, loans] = await Promise.all([api("GET", "/v1/applications"), api("GET", "/v1/credit-lines"),
    bankProfile(), api("GET", "/v1/loans")]);
  for (const line of lines.items) {
    v.append(h("a", { class: "card hero block", href: `#/lines/${line.credit_line_id}`, "data-line": line.credit_line_id },
      h("div", { class: "muted" }, `可用额度 · ${LINE_STATUS[line.status] || line.status}`), h("div", { class: "big" }, yuan(line.available_fen)),
      h("div", { class: "muted" }, `总额度 ${yuan(line.limit_fen)} · 年利率 ${rate(line.annual_rate)}`)));
    // the next thing she can do with it: the bank's notice first, then draw what is available
    if (line.notice) v.append(h("p", { class: "notice", "data-notice": line.credit_line_id }, line.notice));
    else if (line.status === "ACTIVE" && line.available_fen > 0) {
      v.append(h("button", { type: "button", class: "next-step", "data-draw": line.credit_line_id,
        onclick: () => { location.hash = `#/lines/${line.credit_line_id}/draw`; } }, "去借款"));
    }
  }
  const owing = loans.items.filter((l) => l.status === "ACTIVE" && l.next_instalment);
  if (owing.length) v.append(h("h2", {}, "待还款"));
  for (const l of owing) { // each loan's next instalment, opening the loan (repay early, ask for more time there)
    const due = l.next_instalment;
    v.append(h("a", { class: "card item", href: `#/loans/${l.loan_id}`, "data-next-due": l.loan_id },
      h("span", {}, `${day(due.due_date)} 应还 ${yuan(due.total_fen)}`),
      h("span", { class: l.days_past_due ? "warn" : "" }, l.days_past_due ? `已逾期 ${l.days_past_due} 天` : "去还款 ›")));
  }
  const open = apps.items.filter((a) => a.next_action !== "NONE" && a.status !== "ACTIVE");
  if (open.length) v.append(h("h2", {}, "进行中的申请"));
  for (const a of open) {
    v.append(h("a", { class: "card item", href: `#/applications/${a.application_id}`, "data-application": a.application_id },
      h("span", {}, a.business_name_masked), h("span", { class: "warn" }, NEXT[a.next_action] || a.next_action)));
  }
  const ended = apps.items.filter((a) => a.status === "DECLINED");
  for (const a of ended.slice(0, 1)) {
    v.append(h("a", { class: "card item", href: `#/applications/${a.application_id}` }, h("span", {}, "最近一次申请未获批准"), h("span", {}, "查看原因")));
  }
  if (!lines.items.some((l) => l.status === "ACTIVE") && !open.length) {
    const pre = profile && profile.pre_approval;
    if (pre) {
      v.append(h("div", { class: "card hero", id: "pre-approval" }, h("div", {}, "您有预授信额度"),
        h("div", { class: "big" }, yuan(pre.limit_fen)),
        h("div", { class: "muted" }, `年利率 ${rate(pre.annual_rate_from)} 起 · 有效期至 ${day(pre.valid_until)}`),
        h("p", { class: "muted" }, "根据您在本行的账户往来测算；申请时将查询征信，最终额度以审批结果为准。")));
    }
    v.append(h("button", { type: "button", id: "apply", onclick: () => { location.hash = "#/product"; } },
      pre ? "立即申请" : "申请贷款"));
  }
  v.append(h("a", { class: "card item", href: "#/messages", id: "to-messages" }, h("span", {}, "消息"), h("span", {}, "›")),
    h("a", { class: "card item", href: "#/complaints", id: "to-complaints" }, h("span", {}, "投诉与建议"), h("span", {}, "›")),
    h("a", { class: "card item", href: "#/disputes", id: "to-disputes" }, h("span", {}, "征信异议"), h("span", {}, "›")));
}

// ---- apply: consents one by one, then the form -----------------------------------------------------------
async function consentsView() {
  if (!draft.product) { location.hash = "#/product"; return; } // an application names its product: chosen first
  const v = screen("阅读授权", "#/product");
  const { items } = await api("GET", "/v1/consents");
  const step = Math.min(draft.step, items.length);
  if (step === items.length) return formView();
  const c = items[step];
  v.append(h("div", { class: "steps" }, items.map((_, i) => h("span", { class: i <= step ? "done" : "" }))),
    h("div", { class: "card", id: "consent", "data-kind": c.kind }, h("h1", {}, c.title), h("div", { class: "consent-text", tabindex: 0 }, c.text),
      h("p", { class: "muted" }, `第 ${step + 1} 项，共 ${items.length} 项 · 版本 ${c.version}`),
      h("button", { type: "button", id: "agree", onclick: () => {
        if (c.kind === "BIOMETRIC") draft.identity = "FACE";
        draft.consents = draft.consents.filter((x) => x.kind !== c.kind).concat([{ kind: c.kind, version: c.version, granted: true }]);
        draft.step = step + 1;
        consentsView();
      } }, "我已阅读并同意"),
      c.kind === "BIOMETRIC" ? h("button", { type: "button", class: "secondary", id: "in-person", onclick: () => {
        // no face: she is verified by a person, in a branch or by video (the consent is not given)
        draft.consents = draft.consents.filter((x) => x.kind !== c.kind);
        draft.identity = "IN_PERSON";
        draft.step = step + 1;
        consentsView();
      } }, "不同意人脸识别，改为到网点或视频核验") : "",
      h("button", { type: "button", class: "secondary", onclick: () => { draft.step = 0; location.hash = "#/product"; } }, "不同意")));
}

const FIELDS = [
  ["applicant.name", "姓名（与身份证一致）", { required: true, minlength: 2, maxlength: 30, autocomplete: "name" }],
  ["applicant.phone", "手机号码", { required: true, pattern: "1[3-9][0-9]{9}", inputmode: "numeric", autocomplete: "tel" }],
  ["business.name", "经营主体名称", { required: true, minlength: 2, maxlength: 100 }],
  ["business.registration_no", "统一社会信用代码", { required: true, pattern: "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", maxlength: 18 }],
  ["business.years_in_business", "经营年限（年）", { required: true, type: "number", min: 0, max: 100, inputmode: "numeric" }],
  ["business.annual_revenue", "年营业收入（元）", { required: true, pattern: "\\d{1,12}(\\.\\d{1,2})?", inputmode: "decimal" }],
  ["requested_amount", "申请金额（元）", { required: true, pattern: "\\d{1,12}(\\.\\d{1,2})?", inputmode: "decimal" }],
  ["purpose", "借款用途", { required: true, minlength: 2, maxlength: 200 }],
  ["payout_account_no", "本人收款账号", { required: true, pattern: "[0-9]{12,30}", inputmode: "numeric" }],
];
// A mistyped 统一社会信用代码 is told as it is typed: its last character is a check character (GB 32100-2015), the
// same check the API makes (it refuses the code with 422 USCC_CHECK_CHARACTER whatever the app does).
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function usccCheckHolds(code) {
  const c = code.toUpperCase();
  if (c.length !== 18 || [...c].some((ch) => !USCC_ALPHABET.includes(ch))) return true; // the pattern tells that
  const total = USCC_WEIGHTS.reduce((sum, w, i) => sum + USCC_ALPHABET.indexOf(c[i]) * w, 0);
  return USCC_ALPHABET[(31 - (total % 31)) % 31] === c[17];
}
const CHECKED = { "business.registration_no": [usccCheckHolds, "统一社会信用代码有误，请逐位核对营业执照后重新填写"] };
const FIELD_HINTS = { "applicant.phone": "请输入11位手机号码", "business.registration_no": "请输入18位统一社会信用代码",
  "payout_account_no": "请输入12至30位数字账号", "business.annual_revenue": "请输入金额，最多两位小数",
  "requested_amount": "请输入金额，最多两位小数" };

// Customer due diligence (反洗钱): what the business does, and whether she is its beneficial owner.
function diligenceFields() {
  const owner = h("select", { name: "beneficial_owner" }, h("option", { value: "APPLICANT" }, "是，本人"),
    h("option", { value: "OTHER" }, "否，另有他人"));
  const otherName = h("input", { name: "beneficial_owner_name", maxlength: 50, placeholder: " " });
  const other = h("label", { hidden: true }, "实际控制人姓名", otherName);
  owner.addEventListener("change", () => { other.hidden = owner.value !== "OTHER"; otherName.required = owner.value === "OTHER"; });
  const nature = h("input", { name: "nature_of_business", required: true, minlength: 2, maxlength: 100, placeholder: " " });
  const allowed = draft.industries && draft.industries.length ? draft.industries : Object.keys(INDUSTRY);
  const industry = h("select", { name: "industry" }, allowed.map((code) => h("option", { value: code }, INDUSTRY[code] || code)));
  const el = h("fieldset", { class: "stack", id: "due-diligence" }, h("legend", {}, "经营情况"),
    h("label", {}, "行业类别", industry),
    h("label", {}, "主营业务（如：日用百货零售）", nature, h("span", { class: "field-error", "data-for": "nature_of_business" })),
    h("label", {}, "您是否为该经营主体的实际控制人（受益所有人）", owner), other,
    h("p", { class: "muted" }, "根据反洗钱规定，本行须了解经营主体的主营业务及受益所有人。"));
  const read = () => ({ nature_of_business: nature.value.trim(), beneficial_owner: owner.value, industry: industry.value,
    ...(owner.value === "OTHER" ? { beneficial_owner_name: otherName.value.trim() } : {}) });
  return { el, read };
}

async function formView() {
  const profile = await bankProfile();
  return profile ? knownFormView(profile) : typedFormView();
}

// A customer the bank knows: what the bank holds is shown, masked and read-only; she chooses the amount, the
// purpose and one of her own accounts (the business only where the bank has none on file).
function knownFormView(profile) {
  const v = screen("确认申请", "#/product");
  const error = h("p", { class: "error", role: "alert" });
  const known = h("div", { class: "card", id: "known" }, h("h2", {}, "本行已为您读取以下信息"),
    h("dl", { class: "rows" }, h("dt", {}, "姓名"), h("dd", {}, profile.name_masked),
      h("dt", {}, "身份证号"), h("dd", {}, profile.id_number_masked), h("dt", {}, "手机号码"), h("dd", {}, profile.phone_masked),
      profile.business ? [h("dt", {}, "经营主体"), h("dd", {}, profile.business.name)] : []),
    h("p", { class: "muted" }, "以上信息来自您在本行的登记资料；如有变动，请到网点更新。"));
  const business = profile.business ? [] : FIELDS.filter(([name]) => name.startsWith("business."));
  const asked = FIELDS.filter(([name]) => name === "requested_amount" || name === "purpose");
  const pre = profile.pre_approval;
  const diligence = diligenceFields();
  const form = h("form", { id: "application", class: "card", novalidate: true }, h("h1", {}, "借款信息"),
    pre ? h("p", { class: "muted" }, `您的预授信额度 ${yuan(pre.limit_fen)}`) : "",
    [...business, ...asked].map(([name, label, attrs]) => h("label", {}, label, h("input", { name, placeholder: " ", ...attrs }),
      h("span", { class: "field-error", "data-for": name }))),
    diligence.el, accountChoices(profile, "payout_account_id"),
    h("button", { type: "submit" }, "下一步：上传证件"), error);
  form.addEventListener("input", (event) => showValidity(event.target));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const inputs = [...form.querySelectorAll("input:not([type=radio])")];
    inputs.forEach(showValidity);
    const account = form.querySelector("input[name=payout_account_id]:checked");
    if (!inputs.every((i) => i.checkValidity()) || !account) { error.textContent = "请按提示修改标红的内容，并选择收款账户。"; return; }
    const value = (name) => String(form.elements[name].value).trim();
    const body = { product_code: draft.product, requested_amount_fen: toFen(value("requested_amount")), purpose: value("purpose"),
      payout_account_id: account.value, consents: draft.consents, due_diligence: diligence.read(),
      identity_verification: draft.identity || "FACE" };
    if (!profile.business) {
      body.business = { name: value("business.name"), registration_no: value("business.registration_no").toUpperCase(),
        years_in_business: Number(value("business.years_in_business")), annual_revenue_fen: toFen(value("business.annual_revenue")) };
    }
    try {
      const created = await api("POST", "/v1/applications", body);
      draft.step = 0;
      location.hash = `#/applications/${created.application_id}`;
    } catch (err) { error.textContent = err.message; }
  });
  v.append(known, form);
}

function typedFormView() {
  const v = screen("填写申请", "#/product");
  const error = h("p", { class: "error", role: "alert" });
  const diligence = diligenceFields();
  const form = h("form", { id: "application", class: "card", novalidate: true }, h("h1", {}, "经营信息"),
    FIELDS.map(([name, label, attrs]) => h("label", {}, label, h("input", { name, placeholder: " ", ...attrs }),
      h("span", { class: "field-error", "data-for": name }))),
    diligence.el, h("button", { type: "submit" }, "提交并上传证件"), error);
  form.addEventListener("input", (event) => showValidity(event.target));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const inputs = [...form.querySelectorAll("input")];
    inputs.forEach(showValidity);
    if (!inputs.every((i) => i.checkValidity())) { error.textContent = "请按提示修改标红的内容。"; return; }
    const value = (name) => String(form.elements[name].value).trim();
    const body = { product_code: draft.product, requested_amount_fen: toFen(value("requested_amount")), purpose: value("purpose"),
      applicant: { name: value("applicant.name"), phone: value("applicant.phone") },
      business: { name: value("business.name"), registration_no: value("business.registration_no").toUpperCase(),
        years_in_business: Number(value("business.years_in_business")), annual_revenue_fen: toFen(value("business.annual_revenue")) },
      payout_account_no: value("payout_account_no"), consents: draft.consents, due_diligence: diligence.read(),
      identity_verification: draft.identity || "FACE" };
    try {
      const created = await api("POST", "/v1/applications", body);
      draft.step = 0;
      location.hash = `#/applications/${created.application_id}`;
    } catch (err) {
      error.textContent = err.message;
      for (const f of (err.details.fields || [])) {
        const name = String(f.field).replace(/^body\./, "").replace(/_fen$/, "");
        const slot = form.querySelector(`[data-for="${CSS.escape(name)}"]`);
        if (slot) slot.textContent = (CHECKED[name] && f.type === "USCC_CHECK_CHARACTER") ? CHECKED[name][1] : "请检查此项";
      }
    }
  });
  v.append(form);
}

function showValidity(input) {
  if (!(input instanceof HTMLInputElement)) return;
  const slot = input.parentElement.querySelector(".field-error");
  const [holds, told] = CHECKED[input.name] || [];
  if (holds) input.setCustomValidity(holds(input.value.trim()) ? "" : told);
  const ok = input.checkValidity();
  input.classList.toggle("bad", !ok);
  if (slot) slot.textContent = ok ? "" : input.validity.valueMissing ? "此项必填"
    : input.validity.customError ? input.validationMessage : (FIELD_HINTS[input.name] || "格式不正确");
}

// ---- an application, whatever its state --------------------------------------------------------------------
async function applicationView(id) {
  const v = screen("我的申请", "#/home");
  const a = await api("GET", `/v1/applications/${id}`);
  if (a.status === "DRAFT") return draftView(v, a);
  if (a.status === "SUBMITTED" || a.status === "UNDER_REVIEW" || a.status === "SIGNED") return waitingView(v, a);
  if (a.status === "OFFERED") return offerView(v, a);
  if (a.status === "ACCEPTED") return contractView(v, a);
  if (a.status === "ACTIVE") { location.hash = `#/lines/${a.credit_line_id}`; return; }
  if (a.status === "DECLINED") {
    v.append(h("div", { class: "card", id: "declined" }, h("h1", {}, "很抱歉，本次申请未获批准"),
      h("p", {}, "主要原因："), h("ul", {}, (a.decision ? a.decision.reasons : []).map((r) => h("li", {}, r.zh))),
      h("p", { class: "muted" }, "您可以在情况改善后再次申请；如有疑问，请致电客服热线。")));
    return v.append(humanReviewCard(a));
  }
  v.append(h("div", { class: "card" }, h("h1", {}, { EXPIRED: "额度已过期", WITHDRAWN: "申请已撤回", FAILED: "申请未能完成" }[a.status] || a.status),
    h("p", { class: "muted" }, a.failure_reason ? "办理中出现问题，请联系客服。" : "如需借款，请重新申请。")));
}

// The right to a person: the system's decision reviewed by a risk officer, who answers within 15 days.
function humanReviewCard(a) {
  const status = h("p", { class: "muted", id: "human-review-status" });
  const form = h("form", { id: "human-review", class: "card", novalidate: true }, h("h2", {}, "申请人工复核"),
    h("p", { class: "muted" }, "本结果由系统自动作出。您可以请本行工作人员复核，我们将在15日内以短信告知复核结论。"),
    h("label", {}, "请说明需要复核的原因", h("textarea", { name: "reason", required: true, minlength: 5, maxlength: 1000, placeholder: " " })),
    h("button", { type: "submit", class: "secondary" }, "提交复核申请"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = String(new FormData(form).get("reason") || "").trim();
    if (reason.length < 5) { status.textContent = "请用几句话说明原因。"; return; }
    try {
      const r = await api("POST", `/v1/applications/${a.application_id}/human-review`, { reason });
      form.replaceChildren(h("h2", {}, "人工复核已受理"), h("p", { class: "ok", id: "human-review-accepted" },
        `我们将在 ${day(r.due_at)} 前以短信告知复核结论。`));
    } catch (err) { status.textContent = err.message; }
  });
  return form;
}

function draftView(v, a) {
  const docs = Object.fromEntries(a.documents.map((d) => [d.type, d]));
  const inPerson = a.identity_verification === "IN_PERSON";
  const wanted = DOCS.filter(([t]) => !inPerson || t !== "SELFIE");
  const allRead = wanted.every(([t]) => docs[t] && docs[t].status === "READ");
  const faceDone = inPerson || a.liveness_passed;
  v.append(h("div", { class: "steps" }, [a.phone_verified, allRead, faceDone].map((done) => h("span", { class: done ? "done" : "" }))));
  v.append(phoneCard(a), documentsCard(a, docs, wanted), inPerson
    ? h("div", { class: "card", id: "in-person-note" }, h("h2", {}, "3. 当面核验"),
      h("p", { class: "muted" }, "您选择不使用人脸识别。提交后请携带身份证原件到本行任一网点，或预约视频核验，由工作人员核实身份后继续审批。"))
    : livenessCard(a, allRead),
    h("button", { type: "button", id: "submit", disabled: !(a.phone_verified && allRead && faceDone), onclick: async (event) => {
      event.target.disabled = true;
      try { await api("POST", `/v1/applications/${a.application_id}/submit`); route(); }
      catch (err) { event.target.disabled = false; toast(err.message); }
    } }, "提交申请"));
}

// An SMS code button that counts down until another code may be asked for (the API says how long, on sending
// and on a 429), so that the customer is never left tapping a button that will refuse.
function sendCodeButton(id, label, path, onSent) {
  const button = h("button", { type: "button", class: "secondary", id });
  button.textContent = label;
  const countDown = (seconds) => {
    button.disabled = true;
    let left = seconds;
    const tick = () => {
      if (left <= 0) { button.disabled = false; button.textContent = "重新获取验证码"; return; }
      button.textContent = `已发送，${left} 秒后可重新获取`;
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  };
  button.addEventListener("click", async () => {
    try { const sent = await api("POST", path); countDown(sent.resend_after); onSent(); }
    catch (err) {
      if (err.status === 429 && err.details.retry_after_seconds) countDown(err.details.retry_after_seconds);
      toast(err.message);
    }
  });
  return button;
}

// A refused code in words: how many tries are left after a wrong one (the API counts them).
const codeRefused = (err) => err.details && err.details.attempts_left !== undefined
  ? `验证码错误，还可尝试 ${err.details.attempts_left} 次。` : err.message;

function phoneCard(a) {
  const card = h("div", { class: "card", id: "phone" }, h("h2", {}, "1. 验证手机号码"));
  if (a.phone_verified) return card.append(h("p", { class: "ok" }, `✓ 已验证 ${a.applicant_phone_masked}`)), card;
  const dev = h("div");
  const input = h("input", { name: "otp", class: "otp", inputmode: "numeric", maxlength: 6, pattern: "[0-9]{6}", autocomplete: "one-time-code" });
  const status = h("p", { class: "error", role: "alert", id: "code-status" });
  card.append(h("p", { class: "muted" }, `验证码将发送至 ${a.applicant_phone_masked}`),
    sendCodeButton("send-code", "获取验证码", `/v1/applications/${a.application_id}/phone-verification`,
      () => devCode("PHONE_VERIFICATION", dev)), dev, h("label", {}, "短信验证码", input), status,
    h("button", { type: "button", id: "confirm-code", onclick: async () => {
      try { await api("POST", `/v1/applications/${a.application_id}/phone-verification/confirmation`, { otp: input.value.trim() }); route(); }
      catch (err) { status.textContent = codeRefused(err); }
    } }, "验证"));
  return card;
}

function documentsCard(a, docs, wanted = DOCS) {
  const card = h("div", { class: "card", id: "documents" }, h("h2", {}, wanted.length < DOCS.length ? "2. 拍摄身份证" : "2. 拍摄身份证和本人照片"),
    h("p", { class: "muted" }, "请在光线充足处拍摄，证件四角完整、文字清晰。"));
  for (const [type, label, camera] of wanted) {
    const d = docs[type];
    const status = h("div", { class: "muted", "data-status": type },
      !d ? "未上传" : d.status === "READ" ? h("span", { class: "ok" }, "✓ 已识别")
        : d.status === "RETAKE_REQUIRED" ? h("span", { class: "error" }, "请重新拍摄：" + d.reasons.map((r) => r.zh).join("；"))
          : "识别中…");
    const preview = h("img", { alt: "", src: previews[`${a.application_id}:${type}`] });
    const input = h("input", { type: "file", accept: "image/jpeg,image/png", capture: camera, name: type,
      onchange: () => upload(a.application_id, type, input, preview, status) });
    card.append(h("div", { class: "doc" }, preview, h("div", {}, h("div", {}, label), status,
      d && d.status === "READ" ? null : input)));
  }
  return card;
}

// Straight to the documents bucket with the presigned POST (the page does not read S3's answer: no-cors); the
// API says when the picture has been read.
async function upload(applicationId, type, input, preview, status) {
  const file = input.files[0];
  if (!file) return;
  preview.src = previews[`${applicationId}:${type}`] = URL.createObjectURL(file);
  status.textContent = "上传中…";
  try {
    const post = await api("POST", `/v1/applications/${applicationId}/documents`, { type, content_type: file.type || "image/jpeg" });
    const form = new FormData();
    for (const [key, value] of Object.entries(post.fields)) form.append(key, value);
    form.append("file", file);
    await fetch(post.url, { method: "POST", body: form, mode: "no-cors", credentials: "omit" });
    status.textContent = "识别中…";
    // this upload's own status (reading is asynchronous: an earlier photo's answer may still be there)
    const mine = (d) => d.type === type && d.key === post.key;
    const after = await poll(`/v1/applications/${applicationId}`, (b) => b.documents.some((d) => mine(d) && d.status !== "RECEIVED"));
    const doc = after.documents.find(mine);
    if (doc.status === "READ") route();
    else status.replaceChildren(h("span", { class: "error" }, "请重新拍摄：" + doc.reasons.map((r) => r.zh).join("；")));
  } catch (err) { status.replaceChildren(h("span", { class: "error" }, err.message)); }
}

function livenessCard(a, allRead) {
  const card = h("div", { class: "card", id: "liveness" }, h("h2", {}, "3. 人脸识别"));
  if (a.liveness_passed) return card.append(h("p", { class: "ok" }, "✓ 已通过")), card;
  card.append(h("p", { class: "muted" }, "请正对屏幕，按提示眨眼、转头，确认是本人操作。"),
    h("button", { type: "button", class: "secondary", id: "start-liveness", disabled: !allRead, onclick: async (event) => {
      event.target.disabled = true;
      try {
        const started = await api("POST", `/v1/applications/${a.application_id}/liveness-sessions`);
        const result = await api("POST", `/v1/applications/${a.application_id}/liveness-sessions/${started.session_id}/result`);
        if (result.outcome === "PASS") route();
        else { toast(result.outcome === "RETRY" ? "未能确认是本人，请重试。" : "人脸识别未通过。"); event.target.disabled = false; }
      } catch (err) { toast(err.message); event.target.disabled = false; }
    } }, "开始人脸识别"));
  return card;
}

async function waitingView(v, a) {
  const text = h("p", { id: "progress" }, a.status === "SIGNED" ? "合同已签署，正在为您开通额度…"
    : a.status === "UNDER_REVIEW" ? "您的申请需要人工审核，审核完成后将短信通知您。"
    : a.next_action === "VERIFY_IN_PERSON" ? "请携带本人身份证原件到本行任一网点，或预约视频核验；工作人员核实身份后将继续审批，结果短信通知您。"
      : "正在审批，通常一分钟内完成，请勿离开…");
  const spinner = h("div", { class: "spinner" });
  v.append(h("div", { class: "card", id: "waiting" }, spinner, text));
  const done = await poll(`/v1/applications/${a.application_id}`, (b) => !["SUBMITTED", "UNDER_REVIEW", "SIGNED"].includes(b.status),
    (b) => {
      if (b.status === "UNDER_REVIEW") text.textContent = "您的申请需要人工审核，审核完成后将短信通知您。";
      if (b.next_action === "VERIFY_IN_PERSON") text.textContent = "请携带本人身份证原件到本行任一网点，或预约视频核验；工作人员核实身份后将继续审批，结果短信通知您。";
    }, a.status === "UNDER_REVIEW" || a.next_action === "VERIFY_IN_PERSON" ? 20 : 90)
    .catch(() => null);
  if (location.hash !== `#/applications/${a.application_id}`) return;
  if (done) { route(); return; }
  // the wait ends: no spinner turning for ever, a plain status and a way on (the answer also comes by SMS)
  spinner.remove();
  text.textContent = a.next_action === "VERIFY_IN_PERSON" || text.textContent.startsWith("请携带")
    ? text.textContent : "审批仍在进行中，结果将以短信通知您。您可以先返回首页，稍后在“进行中的申请”查看。";
  v.querySelector("#waiting").append(h("div", { class: "actions", id: "waiting-actions" },
    h("button", { type: "button", class: "secondary", id: "check-again", onclick: () => route() }, "刷新状态"),
    h("button", { type: "button", id: "back-home", onclick: () => { location.hash = "#/home"; } }, "返回首页")));
}

async function offerView(v, a) {
  const o = await api("GET", `/v1/applications/${a.application_id}/offer`);
  const w = o.worked_example;
  v.append(h("div", { class: "card hero", id: "offer" }, h("div", { class: "muted" }, "恭喜，您获得授信额度"),
      h("div", { class: "big" }, yuan(o.credit_limit_fen)), h("div", {}, o.credit_limit_in_words)),
    h("div", { class: "card" }, h("dl", { class: "rows" },
      h("dt", {}, "年化利率"), h("dd", { id: "offer-apr" }, rate(o.price.apr)),
      h("dt", {}, "综合融资成本"), h("dd", { id: "offer-cost" }, `${yuan(o.price.total_cost_fen)}（全额借${w.term_months}个月）`),
      h("dt", {}, "合同年利率"), h("dd", {}, rate(o.annual_rate)),
      h("dt", {}, "可选期限"), h("dd", {}, o.term_months.map((t) => `${t}个月`).join("、")),
      h("dt", {}, "还款方式"), h("dd", {}, o.repayment_methods_zh.join("、")),
      h("dt", {}, "费用"), h("dd", {}, o.price.fees_fen ? yuan(o.price.fees_fen) : "无"),
      h("dt", {}, "有效期至"), h("dd", {}, day(o.valid_until)))),
    h("div", { class: "card" }, h("h2", {}, "还款示例"),
      h("p", {}, `借 ${yuan(w.amount_fen)}，${w.term_months}个月，${w.repayment_method_zh}：首期还款 ${yuan(w.first_instalment_fen)}，`
        + `利息合计 ${yuan(w.total_interest_fen)}，共还 ${yuan(w.total_repaid_fen)}（年化 ${rate(w.apr)}）。`)),
    h("button", { type: "button", id: "accept", onclick: async (event) => {
      event.target.disabled = true;
      try { await api("POST", `/v1/applications/${a.application_id}/offer/acceptance`); route(); }
      catch (err) { event.target.disabled = false; toast(err.message); }
    } }, "接受额度，查看合同"));
}

// The contract: its words as the same agreement the PDF was drawn from, laid out for a phone (a v1 contract,
// whose words were not kept apart, is drawn page by page from its PDF with pdf.js); its sha256, the SMS code,
// then the signature.
async function contractView(v, a) {
  const [contract, doc] = await Promise.all([api("GET", `/v1/applications/${a.application_id}/contract`),
    api("GET", `/v1/applications/${a.application_id}/contract/document`)]);
  const pages = h("div", { id: "pdf" }, h("div", { class: "spinner" }));
  const dev = h("div");
  const input = h("input", { name: "otp", class: "otp", inputmode: "numeric", maxlength: 6, autocomplete: "one-time-code" });
  const signStatus = h("p", { class: "error", role: "alert", id: "sign-status" });
  v.append(h("div", { class: "card" }, h("h1", {}, "借款合同"), h("p", { class: "muted" }, `合同编号 ${doc.contract_no}`),
      h("p", { class: "muted" }, "文件指纹（SHA-256）："), h("p", { class: "mono", id: "sha256" }, doc.sha256)),
    pages, h("div", { class: "card", id: "sign" }, h("h2", {}, "短信验证签署"),
      sendCodeButton("send-sign-code", "获取签署验证码", `/v1/applications/${a.application_id}/contract/otp`,
        () => devCode("CONTRACT_SIGNING_OTP", dev)), dev, h("label", {}, "短信验证码", input), signStatus,
      h("button", { type: "button", id: "sign-contract", onclick: async (event) => {
        event.target.disabled = true;
        try {
          await api("POST", `/v1/applications/${a.application_id}/contract/signature`, { otp: input.value.trim() });
          signedView(a.application_id);
        } catch (err) { event.target.disabled = false; signStatus.textContent = codeRefused(err); }
      } }, "我已阅读合同，同意签署")));
  if (!contract.words_available) { await drawPdf(doc.pdf_base64, pages); return; }
  const words = await api("GET", `/v1/applications/${a.application_id}/contract/agreement`);
  pages.replaceChildren(agreementText(words), h("button", { type: "button", class: "link", id: "show-pdf", onclick: async (event) => {
    event.target.remove();
    const original = h("div", { id: "pdf-original" }, h("div", { class: "spinner" }));
    pages.append(original);
    await drawPdf(doc.pdf_base64, original);
  } }, "查看 PDF 原件"));
}

function agreementText(words) {
  return h("div", { class: "card agreement", id: "agreement", "data-version": words.template_version },
    h("h2", {}, words.title),
    h("dl", { class: "rows terms" }, words.key_terms.flatMap((t) => [h("dt", {}, t.label), h("dd", {}, t.value)])),
    words.clauses.map((c) => h("section", { class: "clause" }, h("h3", {}, c.heading), h("p", {}, c.text))),
    h("div", { class: "muted" }, words.signature_block.map((line) => h("p", {}, line))));
}

// The signed PDF kept by her, from the same origin (the API's copy checked against its recorded sha256).
function contractDownload(applicationId) {
  return h("button", { type: "button", class: "secondary", id: "download-contract", onclick: async () => {
    try {
      const doc = await api("GET", `/v1/applications/${applicationId}/contract/document`);
      const bytes = Uint8Array.from(atob(doc.pdf_base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
      const link = h("a", { href: url, download: `借款合同-${doc.contract_no}.pdf`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) { toast(err.message); }
  } }, "下载已签署的合同（PDF）");
}

async function drawPdf(base64, into) {
  const pdfjs = await import("/app/vendor/pdf.min.mjs");
  pdfjs.GlobalWorkerOptions.workerSrc = "/app/vendor/pdf.worker.min.mjs";
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const pdf = await pdfjs.getDocument({ data: bytes, isEvalSupported: false }).promise;
  into.replaceChildren();
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: 2 });
    const canvas = h("canvas", { class: "pdf-page", width: Math.floor(viewport.width), height: Math.floor(viewport.height), "data-page": n });
    into.append(canvas);
    await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
  }
}

async function signedView(applicationId) {
  const v = screen("签署完成", "#/home");
  const check = await api("GET", `/v1/applications/${applicationId}/contract/verification`);
  v.append(h("div", { class: "card", id: "signed" }, h("h1", { class: check.valid ? "ok" : "error" }, check.valid ? "✓ 合同已签署" : "合同验证未通过"),
    h("p", {}, check.valid ? "电子签名与时间戳验证有效，签署后未被修改。" : "请联系客服。"),
    h("dl", { class: "rows" }, h("dt", {}, "签章级别"), h("dd", {}, check.pades_level), h("dt", {}, "签名"), h("dd", {}, `${check.signatures.length} 个，均有效`)),
    contractDownload(applicationId)),
    h("div", { class: "card", id: "activation" }, h("div", { class: "spinner" }), h("p", {}, "正在为您开通额度…")));
  const a = await poll(`/v1/applications/${applicationId}`, (b) => b.status === "ACTIVE" || b.status === "FAILED");
  document.getElementById("activation").replaceChildren(a.status === "ACTIVE"
    ? h("a", { class: "button", id: "to-line", href: `#/lines/${a.credit_line_id}` }, "额度已开通，去借款")
    : h("p", { class: "error" }, "额度开通未完成，请联系客服。"));
}

// ---- the line: draw with a preview, loans, history ---------------------------------------------------------------
async function lineView(id) {
  const v = screen("我的额度", "#/home");
  const [line, loans, history] = await Promise.all([api("GET", `/v1/credit-lines/${id}`), api("GET", "/v1/loans?limit=50"),
    api("GET", `/v1/credit-lines/${id}/history`)]);
  v.append(h("div", { class: "card hero", id: "line", "data-status": line.status }, h("div", { class: "muted" }, `可用额度 · ${LINE_STATUS[line.status] || line.status}`),
    h("div", { class: "big", id: "available" }, yuan(line.available_fen)),
    h("div", { class: "muted" }, `总额度 ${yuan(line.limit_fen)} · 年利率 ${rate(line.annual_rate)} · 有效期至 ${day(line.valid_until)}`)));
  if (line.notice) v.append(h("div", { class: "notice", id: "notice" }, line.notice));
  if (line.next_action === "DRAW_FUNDS") v.append(h("button", { type: "button", id: "draw", onclick: () => { location.hash = `#/lines/${id}/draw`; } }, "借款"));
  const mine = loans.items.filter((l) => l.credit_line_id === id);
  v.append(h("h2", {}, "我的借据"), mine.length ? h("div", { class: "card", id: "loans" }, mine.map((l) => h("a", { class: "item", href: `#/loans/${l.loan_id}`, "data-loan": l.loan_id },
    h("span", {}, `${yuan(l.principal_fen)} · ${l.term_months}个月`),
    h("span", { class: l.status === "CLOSED" ? "muted" : "" }, l.status === "CLOSED" ? "已结清"
      : l.next_instalment ? `${day(l.next_instalment.due_date)} 应还 ${yuan(l.next_instalment.total_fen)}` : "")))) : h("p", { class: "muted" }, "暂无借款。"));
  const EVENTS = { CreditLineActivated: "额度开通", LimitReserved: "借款占用", ReservationReleased: "额度恢复", LoanRepaid: "还款恢复额度",
    InstalmentCollected: "按期还款", CreditLineFrozen: "额度暂停", CreditLineUnfrozen: "额度恢复使用", CreditLineLimitReduced: "额度调整", CreditLineClosed: "额度关闭" };
  v.append(h("h2", {}, "额度变动"), h("div", { class: "card", id: "history" }, history.items.slice().reverse().map((m) => h("div", { class: "item" },
    h("span", {}, `${day(m.occurred_at)} ${EVENTS[m.event] || m.event}`), h("span", {}, m.available_change_fen ? (m.available_change_fen > 0 ? "+" : "") + yuan(m.available_change_fen) : "")))));
}

const pending = { confirmation: null }; // one drawdown confirmation: its Idempotency-Key, made once, kept across retries

async function drawView(id) {
  const v = screen("借款", `#/lines/${id}`);
  const [line, profile] = await Promise.all([api("GET", `/v1/credit-lines/${id}`), bankProfile()]);
  const error = h("p", { class: "error", role: "alert" });
  const preview = h("div", { id: "quote" });
  const form = h("form", { id: "draw-form", class: "card", novalidate: true },
    h("p", { class: "muted" }, `可借 ${yuan(line.available_fen)}，100元的整数倍`),
    h("label", {}, "借款金额（元）", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "\\d{1,12}(\\.\\d{1,2})?", placeholder: " " })),
    quickAmounts(line.available_fen),
    h("label", {}, "借款期限", h("select", { name: "term" }, line.term_months.map((t) => h("option", { value: t }, `${t}个月`)))),
    h("label", {}, "还款方式", h("select", { name: "method" }, line.repayment_methods.map((m, i) => h("option", { value: m }, line.repayment_methods_zh[i])))),
    profile ? accountChoices(profile, "payout_account_id")
      : h("label", {}, `收款账号（本人账户 ${line.payout_account_masked}）`, h("input", { name: "account", inputmode: "numeric", required: true, pattern: "[0-9]{12,30}", placeholder: " " })),
    h("button", { type: "submit", class: "secondary" }, "试算还款计划"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    preview.replaceChildren();
    const amount = toFen(form.elements.amount.value);
    const own = form.querySelector("input[name=payout_account_id]:checked");
    const payee = own ? { payout_account_id: own.value }
      : form.elements.account && form.elements.account.checkValidity() ? { account_no: form.elements.account.value.trim() } : null;
    if (amount === null || !payee) { error.textContent = "请填写正确的金额并选择收款账户。"; return; }
    const body = { amount_fen: amount, term_months: Number(form.elements.term.value), repayment_method: form.elements.method.value };
    try {
      const quote = await api("POST", `/v1/credit-lines/${id}/drawdown-quote`, body);
      pending.confirmation = { key: crypto.randomUUID(), lineId: id, body: { ...body, ...payee } };
      preview.replaceChildren(quoteCard(quote));
    } catch (err) { error.textContent = err.message; }
  });
  v.append(form, preview);
}

// One tap for the usual amounts: 全部 (what is available, in the whole hundreds of yuan a drawdown takes) and the
// round amounts that fit; the API checks the amount as it checks a typed one.
function quickAmounts(availableFen) {
  const all = availableFen - (availableFen % 10_000);
  const choices = [[all, "全部"], ...[1_000_000, 3_000_000, 5_000_000].filter((f) => f < all).map((f) => [f, `${f / 1_000_000}万`])];
  if (!all) return null;
  return h("div", { class: "quick-amounts", id: "quick-amounts" }, choices.map(([fen, text]) => h("button", {
    type: "button", class: "chip", "data-fen": fen,
    onclick: (event) => { event.target.closest("form").elements.amount.value = String(fen / 100); } }, text)));
}

function quoteCard(q) {
  const status = h("p", { class: "muted", id: "confirm-status" });
  const button = h("button", { type: "button", id: "confirm-draw" }, "确认借款");
  button.addEventListener("click", () => confirmDrawdown(button, status));
  return h("div", { class: "card" }, h("h2", {}, "还款计划"),
    h("dl", { class: "rows" }, h("dt", {}, "借款金额"), h("dd", {}, `${yuan(q.amount_fen)}`), h("dt", {}, "大写"), h("dd", {}, q.amount_in_words),
      h("dt", {}, "利息合计"), h("dd", { id: "total-interest" }, yuan(q.total_interest_fen)), h("dt", {}, "还款总额"), h("dd", {}, yuan(q.total_repayment_fen)),
      h("dt", {}, "年化利率"), h("dd", { id: "quote-apr" }, rate(q.price.apr)),
      h("dt", {}, "综合融资成本"), h("dd", { id: "quote-cost" }, `${yuan(q.price.total_cost_fen)}（利息与费用合计）`)),
    scheduleTable(q.schedule, 0, "schedule"),
    h("p", { class: "muted" }, "以放款当日为起息日，实际还款日以借据为准。"), button, status);
}

// One tap or many, one drawdown: the key was made when the schedule was shown; a lost answer is asked again with
// the same key (the API answers a replay with the first drawdown), until it is known.
async function confirmDrawdown(button, status) {
  if (button.disabled || !pending.confirmation) return;
  button.disabled = true;
  const { key, lineId, body } = pending.confirmation;
  for (let attempt = 0, wait = 1000; ; attempt += 1, wait = Math.min(wait * 2, 8000)) {
    try {
      const accepted = await api("POST", `/v1/credit-lines/${lineId}/drawdowns`, body, { "Idempotency-Key": key });
      pending.confirmation = null;
      location.hash = `#/drawdowns/${accepted.drawdown_id}`;
      return;
    } catch (err) {
      if (!(err instanceof NetworkError) || attempt >= 5) {
        status.textContent = err.message;
        button.disabled = false; // a later tap replays the same key: never a second drawdown
        return;
      }
      status.textContent = "网络中断，正在重新确认…（不会重复借款）";
      await sleep(wait);
    }
  }
}

async function drawdownView(id) {
  const v = screen("放款进度", "#/home");
  const text = h("p", { id: "drawdown-status" }, "已受理，正在放款…");
  v.append(h("div", { class: "card" }, h("div", { class: "spinner" }), text));
  // the words come from the API (message_zh), as does what to offer next (next_action): none is decided here
  const dd = await poll(`/v1/drawdowns/${id}`, (d) => ["BOOKED", "FAILED", "REJECTED", "AWAITING_APPROVAL"].includes(d.status),
    (d) => { text.textContent = d.message_zh || text.textContent; });
  if (dd.status === "BOOKED") {
    v.replaceChildren(h("div", { class: "card", id: "booked" }, h("h1", { class: "ok" }, "✓ 借款已到账"),
      h("p", {}, `${yuan(dd.amount_fen)} 已发放至 ${dd.account_masked}`),
      h("a", { class: "button", href: `#/loans/${dd.loan_id}` }, "查看借据和还款计划")));
  } else if (dd.status === "AWAITING_APPROVAL") {
    v.replaceChildren(h("div", { class: "card" }, h("h1", {}, "借款审核中"), h("p", {}, dd.message_zh)));
  } else {
    const next = { DRAW_AGAIN: h("a", { class: "button", href: `#/lines/${dd.credit_line_id}/draw` }, "重新借款"),
      READ_NOTICE: h("a", { class: "button", href: `#/lines/${dd.credit_line_id}` }, "查看额度说明"),
      CONTACT_BANK: h("a", { class: "button", href: "#/home" }, "返回首页") }[dd.next_action];
    v.replaceChildren(h("div", { class: "card", id: "not-paid", "data-next": dd.next_action },
      h("h1", { class: "error" }, "借款未成功"), h("p", {}, dd.message_zh), ...(next ? [next] : [])));
  }
}

// ---- a loan: schedule and early repayment ---------------------------------------------------------------------
const RESTRUCTURING_SHOWN = { AWAITING_FIRST_DECISION: "审核中", AWAITING_SECOND_DECISION: "审核中", APPROVED: "已同意",
  DECLINED: "未同意" };

async function loanView(id) {
  const v = screen("借据详情", "#/home");
  const [loan, asked] = await Promise.all([api("GET", `/v1/loans/${id}`), api("GET", "/v1/restructuring-requests")]);
  const state = loan.status === "CLOSED" ? "已结清" : loan.status === "WRITTEN_OFF" ? "已逾期，请联系本行处理"
    : loan.days_past_due ? `已逾期 ${loan.days_past_due} 天` : "正常";
  v.append(h("div", { class: "card", id: "loan", "data-status": loan.status }, h("dl", { class: "rows" },
      h("dt", {}, "借款金额"), h("dd", {}, yuan(loan.principal_fen)), h("dt", {}, "剩余本金"), h("dd", { id: "outstanding" }, yuan(loan.outstanding_principal_fen)),
      h("dt", {}, "期限"), h("dd", {}, `${loan.term_months}个月 · ${loan.repayment_method_zh}`), h("dt", {}, "年化利率"), h("dd", { id: "loan-apr" }, rate(loan.price.apr)),
      h("dt", {}, "综合融资成本"), h("dd", { id: "loan-cost" }, `${yuan(loan.price.total_cost_fen)}（利息与费用合计）`),
      loan.extended_months ? [h("dt", {}, "展期"), h("dd", { id: "extended" }, `已展期 ${loan.extended_months} 个月`)] : [],
      h("dt", {}, "状态"), h("dd", {}, state))),
    h("h2", {}, "还款计划"), h("div", { class: "card" }, scheduleTable(loan.schedule, loan.instalments_paid, "loan-schedule")));
  const mine = asked.items.filter((r) => r.loan_id === id);
  if (mine.length) v.append(h("h2", {}, "展期申请"), ...mine.map(restructuringCard));
  if (loan.status !== "ACTIVE") return;
  const box = h("div", { id: "repay" });
  v.append(h("div", { class: "actions" },
    h("button", { type: "button", class: "secondary", id: "repay-quote", onclick: async () => {
      try { box.replaceChildren(repayCard(id, await api("POST", `/v1/loans/${id}/repayment-quote`))); } catch (err) { toast(err.message); }
    } }, "提前还清"),
    h("button", { type: "button", class: "secondary", id: "repay-part", onclick: () => box.replaceChildren(partForm(id, box)) }, "部分提前还款")), box);
  if (!mine.some((r) => r.status.startsWith("AWAITING"))) v.append(restructuringForm(id, loan));
}

// The schedule with each date in full (year included: a loan runs into next year and beyond).
function scheduleTable(rows, paid, tableId) {
  return h("table", { id: tableId },
    h("thead", {}, h("tr", {}, ["期数", "还款日", "本金", "利息", "合计"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows.map((i) => h("tr", { class: i.number <= paid ? "muted" : "" }, h("td", {}, i.number),
      h("td", { class: "date" }, i.due_date), h("td", {}, yuan(i.principal_fen)), h("td", {}, yuan(i.interest_fen)), h("td", {}, yuan(i.total_fen))))));
}

function restructuringCard(r) {
  const last = r.decisions[r.decisions.length - 1];
  return h("div", { class: "card", "data-restructuring": r.request_id }, h("div", { class: "muted" },
    `${r.kind_zh} ${r.extra_months} 个月 · ${day(r.requested_at)} 提交`),
  h("p", { class: r.status === "APPROVED" ? "ok" : r.status === "DECLINED" ? "warn" : "muted" },
    RESTRUCTURING_SHOWN[r.status] || r.status_zh,
    r.status === "APPROVED" ? "，新的还款计划已生效，见上表。" : r.status === "DECLINED" && last ? `：${last.comment}` : "，本行将在审核后通知您。"));
}

// 展期: more months to repay what is not yet due; the bank's officers decide, she is told by SMS and here.
function restructuringForm(loanId, loan) {
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "card", id: "restructuring-form", novalidate: true }, h("h2", {}, "申请展期"),
    h("p", { class: "muted" }, "经营遇到困难、按期还款有压力时，可申请延长还款期限。已到期的款项仍需按期归还；展期后利息按实际期限计算。"),
    h("label", {}, "延长", h("select", { name: "extra_months" }, [3, 6, 9, 12].filter((m) => m <= loan.term_months)
      .map((m) => h("option", { value: m }, `${m} 个月`)))),
    h("label", {}, "原因", h("textarea", { name: "reason", required: true, minlength: 5, maxlength: 500, placeholder: " " })),
    h("button", { type: "submit", class: "secondary" }, "提交展期申请"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const reason = String(data.get("reason") || "").trim();
    if (reason.length < 5) { error.textContent = "请用几句话说明需要展期的原因。"; return; }
    try {
      await api("POST", `/v1/loans/${loanId}/restructuring-requests`,
        { kind: "EXTENSION", extra_months: Number(data.get("extra_months")), reason });
      toast("展期申请已提交");
      route();
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

// 部分提前还款: an amount of principal (whole hundreds of yuan, from 1,000), quoted first, then confirmed.
function partForm(loanId, box) {
  const error = h("p", { class: "error", role: "alert" });
  const input = h("input", { name: "principal", inputmode: "numeric", placeholder: "至少1,000元，整百元", autocomplete: "off" });
  const form = h("form", { class: "card", id: "part-form", novalidate: true }, h("h2", {}, "部分提前还款"),
    h("label", {}, "提前归还本金（元）", input), h("button", { type: "submit" }, "试算"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fen = toFen(input.value);
    if (fen === null) { error.textContent = "请输入金额，如 2000。"; return; }
    try {
      const q = await api("POST", `/v1/loans/${loanId}/repayment-quote`, { principal_fen: fen });
      box.replaceChildren(repayCard(loanId, q));
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

function repayCard(loanId, q) {
  const key = crypto.randomUUID(); // once per confirmation: a retry or a second tap repays once
  const status = h("p", { class: "muted" });
  const part = q.kind === "PART";
  const body = part ? { quoted_total_fen: q.total_fen, principal_fen: q.principal_fen } : { quoted_total_fen: q.total_fen };
  return h("div", { class: "card", id: "repay-card" }, h("h2", {}, part ? "部分提前还款试算" : "提前还清试算"), h("dl", { class: "rows" },
      h("dt", {}, "本金"), h("dd", {}, yuan(q.principal_fen)), h("dt", {}, "利息"), h("dd", {}, yuan(q.interest_fen)),
      h("dt", {}, "应还合计"), h("dd", { id: "repay-total" }, yuan(q.total_fen))),
    part ? [h("p", { class: "muted" }, "还款后，剩余各期还款日不变、金额减少："),
      scheduleTable(q.schedule_after, 0, "schedule-after")] : [],
    h("p", { class: "muted" }, "将从您的收款账户扣款，无提前还款违约金。"),
    h("button", { type: "button", id: "repay-confirm", onclick: async (event) => {
      event.target.disabled = true;
      try {
        await api("POST", `/v1/loans/${loanId}/repayments`, body, { "Idempotency-Key": key });
        toast("还款成功");
        route();
      } catch (err) { status.textContent = err.message; event.target.disabled = false; }
    } }, "确认还款"), status);
}

// ---- messages: reminders and the bank's answers, newest first --------------------------------------------
async function messagesView() {
  const v = screen("消息", "#/home");
  const { items } = await api("GET", "/v1/messages");
  if (!items.length) return v.append(h("p", { class: "muted", id: "no-messages" }, "暂无消息。"));
  v.append(h("div", { id: "messages" }, items.map((m) => h("div", { class: "card message", "data-kind": m.kind },
    h("div", { class: "muted" }, `${day(m.at)} · ${m.title}`), h("p", {}, m.text),
    m.subject_id.startsWith("loan_") ? h("a", { href: `#/loans/${m.subject_id}` }, "查看借据") : ""))));
}

// ---- routing -------------------------------------------------------------------------------------------------
// ---- complaints: hers, with the bank's answers; a new one about a line or loan of hers, or nothing in particular
const COMPLAINT_CATEGORIES = [["PRICING", "利率与费用"], ["COLLECTION", "催收"], ["SERVICE", "服务"],
  ["PERSONAL_DATA", "个人信息"], ["CREDIT_REPORT", "征信"], ["OTHER", "其他"]];

async function complaintsView() {
  const v = screen("投诉与建议", "#/home");
  const [mine, lines, loans] = await Promise.all([api("GET", "/v1/complaints"), api("GET", "/v1/credit-lines"),
    api("GET", "/v1/loans")]);
  const error = h("p", { class: "error", role: "alert" });
  const subjects = [["", "不涉及具体额度或借据"],
    ...lines.items.map((l) => [l.credit_line_id, `额度 ${yuan(l.limit_fen)}`]),
    ...loans.items.map((l) => [l.loan_id, `借据 ${yuan(l.principal_fen)}（${l.start_date}）`])];
  const form = h("form", { id: "complaint-form", class: "card", novalidate: true }, h("h2", {}, "提交投诉"),
    h("label", {}, "类别", h("select", { name: "category" }, COMPLAINT_CATEGORIES.map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "涉及", h("select", { name: "subject" }, subjects.map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "投诉内容", h("textarea", { name: "text", required: true, minlength: 5, maxlength: 1000, placeholder: " " })),
    h("p", { class: "muted" }, "本行将在15日内答复，答复以短信和本页告知。您也可致电客服热线。"),
    h("button", { type: "submit" }, "提交"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { category: String(data.get("category")), text: String(data.get("text") || "").trim() };
    if (data.get("subject")) body.subject_id = String(data.get("subject"));
    if (body.text.length < 5) { error.textContent = "请用几句话说明投诉内容。"; return; }
    try { await api("POST", "/v1/complaints", body); toast("投诉已受理"); complaintsView(); }
    catch (err) { error.textContent = err.message; }
  });
  v.append(form);
  if (mine.items.length) v.append(h("h2", {}, "我的投诉"));
  for (const c of mine.items) {
    v.append(h("div", { class: "card", "data-complaint": c.complaint_id }, h("div", { class: "muted" },
      `${c.category_zh} · ${day(c.opened_at)} 受理`), h("p", {}, c.text),
      c.reply ? h("p", { class: "ok" }, `本行答复（${day(c.replied_at)}）：${c.reply}`)
        : h("p", { class: "muted" }, `处理中，将于 ${day(c.due_at)} 前答复`)));
  }
}

// ---- credit-report disputes (征信异议): hers, with the bank's findings; a new one about a line or loan of hers
const DISPUTE_STATUS = { OPEN: "核查中", CORRECTED: "异议成立，将在下次报送时更正", REPORTED: "异议成立，已更正报送", UPHELD: "经核查原记录无误" };

async function disputesView() {
  const v = screen("征信异议", "#/home");
  const [mine, lines, loans] = await Promise.all([api("GET", "/v1/credit-disputes"), api("GET", "/v1/credit-lines"),
    api("GET", "/v1/loans")]);
  const error = h("p", { class: "error", role: "alert" });
  const accounts = [...lines.items.map((l) => [l.credit_line_id, `额度 ${yuan(l.limit_fen)}`]),
    ...loans.items.map((l) => [l.loan_id, `借据 ${yuan(l.principal_fen)}（${l.start_date}）`])];
  if (!accounts.length) return v.append(h("p", { class: "muted" }, "您在本行暂无额度或借据，没有报送至征信的记录。"));
  const form = h("form", { id: "dispute-form", class: "card", novalidate: true }, h("h2", {}, "对征信报送信息提出异议"),
    h("p", { class: "muted" }, "本行每月向金融信用信息基础数据库报送您的额度与借款情况。如认为报送信息有误，可在此提出。"),
    h("label", {}, "涉及", h("select", { name: "account" }, accounts.map(([value, text]) => h("option", { value }, text)))),
    h("label", {}, "哪里有误", h("textarea", { name: "text", required: true, minlength: 5, maxlength: 1000, placeholder: " " })),
    h("p", { class: "muted" }, "本行将在20日内核查并答复；核查属实的，将在下次报送时更正。"),
    h("button", { type: "submit" }, "提交异议"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { account_id: String(data.get("account")), text: String(data.get("text") || "").trim() };
    if (body.text.length < 5) { error.textContent = "请用几句话说明哪里有误。"; return; }
    try { await api("POST", "/v1/credit-disputes", body); toast("异议已受理"); disputesView(); }
    catch (err) { error.textContent = err.message; }
  });
  v.append(form);
  if (mine.items.length) v.append(h("h2", {}, "我的异议"));
  for (const d of mine.items) {
    v.append(h("div", { class: "card", "data-dispute": d.dispute_id }, h("div", { class: "muted" },
      `${d.reporting_date} 报送的记录 · ${day(d.opened_at)} 受理`), h("p", {}, d.text),
      d.finding ? h("p", { class: "ok" }, `${DISPUTE_STATUS[d.status]}：${d.finding}`)
        : h("p", { class: "muted" }, `核查中，将于 ${day(d.due_at)} 前答复`)));
  }
}

async function route() {
  const [, view, id, sub] = (location.hash || "#/product").split("/");
  const open = ["product", "login", ""].includes(view || "");
  if (!session.token && !open) return signInView();
  const v = main;
  try {
    if (view === "login") signInView();
    else if (view === "home") await homeView();
    else if (view === "apply") await consentsView();
    else if (view === "applications" && id) await applicationView(id);
    else if (view === "lines" && id && sub === "draw") await drawView(id);
    else if (view === "lines" && id) await lineView(id);
    else if (view === "drawdowns" && id) await drawdownView(id);
    else if (view === "loans" && id) await loanView(id);
    else if (view === "complaints") await complaintsView();
    else if (view === "messages") await messagesView();
    else if (view === "disputes") await disputesView();
    else await productView();
  } catch (err) {
    if (err.status !== 401) failure(v.firstElementChild || v, err);
  }
}

document.getElementById("sign-out").addEventListener("click", () => signOut("您已安全退出。"));
window.addEventListener("hashchange", route);
route();
