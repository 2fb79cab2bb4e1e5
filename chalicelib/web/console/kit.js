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
