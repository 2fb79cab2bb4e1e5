// What both screens (the customers' H5 client at /app/ and the officers' console at /console/) need of the page
// and of the API, written once: building elements (text is only ever set as text, never parsed as HTML), an
// amount of fen as yuan, and the one way to call the JSON API (the token in memory only, every error as an
// ApiError with the API's Chinese message, a lost connection as a NetworkError).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Amounts arrive as integers of fen; shown as yuan with two decimals (never computed with here).
export const yuan = (fen) => fen === null || fen === undefined ? "—"
  : (fen < 0 ? "-¥" : "¥") + (Math.abs(fen) / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message_zh || error.message || `请求失败（${status}）`);
    this.status = status;
    this.code = error.code;
    this.details = error.details || {};
  }
}

export class NetworkError extends Error { constructor() { super("网络连接中断，请检查网络后重试。"); } }

// A client of the API for one screen: ``session.token`` is sent as a bearer token; a 401 on any call but the
// sign-in itself (``signInPath``) ends the session through ``onExpired`` before the error is thrown.
export function apiClient(session, signInPath, onExpired) {
  return async function api(method, path, body, headers = {}) {
    const all = { ...headers };
    if (body !== undefined) all["Content-Type"] = "application/json";
    if (session.token) all.Authorization = `Bearer ${session.token}`;
    let response;
    try {
      response = await fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store", credentials: "omit" });
    } catch (err) { throw new NetworkError(); }
    const payload = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401 && path !== signInPath) { onExpired(); throw new ApiError(401, payload); }
    if (!response.ok) throw new ApiError(response.status, payload);
    return payload;
  };
}
