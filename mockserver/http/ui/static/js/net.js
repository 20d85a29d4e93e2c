// Calls of the control API (with the token, when one is set) and of the API itself: the UI's only channels.

const TOKEN_KEY = "sendstat.controlToken";
let facts = null;

/** The control API asked for a token (401): the page asks the person for it. */
export class NeedToken extends Error {}

/** The control API or the network refused a call: status (0 for no answer) and the server's own message. */
export class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function configure(pageFacts) {
  facts = pageFacts;
}

export function getFacts() {
  return facts;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

async function send(url, options) {
  try {
    return await fetch(url, { cache: "no-store", ...options });
  } catch (error) {
    throw new Refused(0, `the mock did not answer (${error.message}); is it still running?`);
  }
}

/** Call the control API: method, path under /__mock, optional JSON body; the answer's JSON (null for 204). */
export async function control(method, path, body, given = token()) {
  const headers = {};
  if (given) headers.Authorization = `Bearer ${given}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await send(facts.control + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) throw new NeedToken("the control API needs the token");
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Refused(response.status, (data && data.message) || response.statusText);
  return data;
}

/** Call the API itself as a client would: as a session, with an API key; the raw answer. */
export async function api(path, { session = "", key = "" } = {}) {
  const headers = {};
  if (session) headers[facts.select.session.header] = session;
  if (key) headers[facts.api.key_header] = key;
  const response = await send(path, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

/** The view's path of one mailing, asking for every section. */
export function viewPath(id) {
  const fields = encodeURIComponent(JSON.stringify(facts.api.fields));
  const path = facts.api.view.replace(/\{[^}]+\}/, encodeURIComponent(id));
  return `${path}?${facts.api.fields_parameter}=${fields}`;
}
