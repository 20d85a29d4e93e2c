// The journal: a live view (polling ?after=<seq>), filters, one exchange opened in full, copy as curl, clear.

import { announce, copyButton, field, h, options, readable, shellQuote, table, put } from "./dom.js";
import { control } from "./net.js";

const POLL_MS = 1000;
const SHOWN = 300;
// Headers a replay must not copy: the connection's own, and those curl sets itself.
const NOT_REPLAYED = new Set(["host", "content-length", "connection", "accept-encoding", "keep-alive"]);

let timer = null;
let live = null;

export function leave() {
  clearTimeout(timer);
  timer = null;
  live = null;
}

function query(filters, extra) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

function row(entry, open) {
  const target = entry.path + (entry.query ? `?${entry.query}` : "");
  return h(
    "tr",
    { "data-seq": entry.seq },
    h("td", { class: "mono" }, entry.time.slice(11, 19)),
    h("td", {}, entry.method),
    h("td", {}, h("button", { type: "button", class: "link", "aria-label": `Open entry ${entry.seq}: ${entry.method} ${target}`, onclick: () => open(entry.seq) }, target)),
    h("td", { class: "num" }, entry.status === null ? "no answer" : entry.status),
    h("td", {}, entry.scenario || "–"),
    h("td", {}, entry.session || "–"),
    h("td", {}, entry.fault ? h("span", { class: "badge fault" }, entry.fault) : ""),
    h("td", { class: "num" }, entry.warnings.length || ""),
    h("td", { class: "num" }, entry.duration_ms.toFixed(1)),
  );
}

/** A curl command that sends the same request again (credentials were never kept: fill them in). */
export function curlOf(entry, headers) {
  const url = `${location.origin}${entry.path}${entry.query ? `?${entry.query}` : ""}`;
  const words = ["curl", "-i"];
  if (entry.method === "HEAD") words.push("-I");
  else if (entry.method !== "GET") words.push("-X", entry.method);
  words.push(shellQuote(url));
  for (const [name, value] of headers) {
    if (!NOT_REPLAYED.has(name.toLowerCase())) words.push("-H", shellQuote(`${name}: ${value}`));
  }
  return words.join(" ");
}

function headerTable(headers, caption) {
  return table(["Name", "Value"], headers.map(([name, value]) => h("tr", {}, h("td", { class: "mono" }, name), h("td", { class: "mono" }, value))), { "aria-label": caption });
}

function opened(found, close) {
  const { entry, request, response } = found;
  const target = entry.path + (entry.query ? `?${entry.query}` : "");
  const parts = [
    h("h3", { id: "entry-title", tabindex: -1 }, `Entry ${entry.seq}: ${entry.method} ${target}`),
    h(
      "dl",
      { class: "pairs" },
      h("dt", {}, "Answered"), h("dd", {}, entry.status === null ? "no answer was sent" : `${entry.status} in ${entry.duration_ms.toFixed(1)} ms at ${entry.time}`),
      h("dt", {}, "Scenario"), h("dd", {}, entry.scenario || "none (the request named an unknown one)"),
      h("dt", {}, "Session"), h("dd", {}, entry.session || "none"),
      h("dt", {}, "Fault"), h("dd", {}, entry.fault || "none"),
      h("dt", {}, "Worker"), h("dd", {}, `process ${entry.worker}`),
    ),
    h("div", { class: "row" },
      request ? copyButton("Copy as curl", curlOf(entry, request.headers), "the request as a curl command") : null,
      h("button", { type: "button", onclick: close }, "Close")),
    // Under `sendstat proxy` an entry's warnings are the contract's findings, also sent as X-Contract-Violations.
    h("h4", {}, `${response && response.headers.some(([name]) => name.toLowerCase() === "x-contract-violations") ? "Contract findings (X-Contract-Violations)" : "Warnings (X-Mock-Warning)"}: ${entry.warnings.length || "none"}`),
    entry.warnings.length ? h("ul", { id: "entry-warnings" }, entry.warnings.map((warning) => h("li", { class: "warn" }, warning))) : null,
    h("h4", {}, "Request headers"),
    request ? headerTable(request.headers, "Request headers") : h("p", {}, "Not recorded."),
    h("p", { class: "muted" }, "Credentials are never kept: they show as [redacted]."),
    h("h4", {}, "Response headers"),
    response ? headerTable(response.headers, "Response headers") : h("p", {}, "No answer was sent (a dropped connection or a timeout)."),
  ];
  if (response) {
    const cut = response.body_size === null || response.body_kept < response.body_size;
    parts.push(
      h("h4", {}, "Body"),
      entry.fault === "truncate" ? h("p", { class: "note" }, "A truncate fault: the client received only the first half of this body, then the connection closed.") : null,
      cut ? h("p", { class: "note" }, `Only the first ${response.body_kept} bytes are kept${response.body_size === null ? " of a streamed answer" : ` of ${response.body_size}`}.`) : null,
      response.body ? h("pre", { id: "entry-body", tabindex: 0 }, readable(response.body)) : h("p", {}, "Empty body."),
    );
  }
  return h("section", { id: "entry", "aria-labelledby": "entry-title" }, parts);
}

export async function render(root, ctx) {
  const names = ctx.overview.scenarios;
  const sessions = (await control("GET", "/sessions")).sessions.map((session) => session.id);
  const path = h("input", { name: "path", placeholder: "/mailer/sendstatistics*", size: 28 });
  const status = h("input", { name: "status", placeholder: "404 or 4xx", size: 8 });
  const scenario = options(h("select", { name: "scenario" }), [["", "any"], ...names.map((n) => [n, n])], "");
  const session = options(h("select", { name: "session" }), [["", "any"], ...sessions.map((n) => [n, n])], "");
  const pause = h("button", { type: "button", "aria-pressed": "false" }, "Pause");
  const problem = h("p", { class: "error", role: "alert" });
  const counter = h("p", { class: "muted", id: "journal-count" });
  const body = h("tbody", { id: "journal-rows" });
  const detail = h("div", {});
  const state = { after: 0, filters: {} };
  live = state;

  const open = async (seq) => {
    try {
      const found = await control("GET", `/journal/${seq}`);
      detail.replaceChildren(opened(found, () => detail.replaceChildren()));
      detail.querySelector("h3").focus();
    } catch (error) {
      announce(`Entry ${seq}: ${error.message}`);
    }
  };

  const add = (entries, newestFirst) => {
    const rows = entries.map((entry) => row(entry, open));
    if (newestFirst) body.append(...rows);
    else body.prepend(...rows.reverse());
    while (body.children.length > SHOWN) body.lastChild.remove();
    for (const entry of entries) state.after = Math.max(state.after, entry.seq);
  };

  const poll = async () => {
    if (live !== state) return;
    try {
      const found = await control("GET", `/journal?${query(state.filters, { after: state.after, limit: 500 })}`);
      if (live !== state) return;
      add(found.entries, false);
      problem.textContent = "";
    } catch (error) {
      problem.textContent = error.message;
    }
    if (live === state && pause.getAttribute("aria-pressed") === "false") timer = setTimeout(poll, POLL_MS);
  };

  const restart = async () => {
    clearTimeout(timer);
    state.filters = { path: path.value.trim(), status: status.value.trim(), scenario: scenario.value, session: session.value };
    state.after = 0;
    body.replaceChildren();
    try {
      const found = await control("GET", `/journal?${query(state.filters, { order: "newest", limit: SHOWN })}`);
      add(found.entries, true);
      counter.textContent = `${found.count} matching entries; the newest ${Math.min(found.count, SHOWN)} shown, newest first; new ones appear as they come.`;
      problem.textContent = "";
    } catch (error) {
      problem.textContent = error.message;
    }
    if (pause.getAttribute("aria-pressed") === "false") timer = setTimeout(poll, POLL_MS);
  };

  pause.addEventListener("click", () => {
    const paused = pause.getAttribute("aria-pressed") === "true";
    pause.setAttribute("aria-pressed", String(!paused));
    pause.textContent = paused ? "Pause" : "Resume";
    if (paused) poll();
    else clearTimeout(timer);
  });

  const clear = async () => {
    try {
      const done = await control("DELETE", "/journal");
      announce(`Journal cleared: ${done.deleted} entries deleted.`);
      detail.replaceChildren();
      await restart();
    } catch (error) {
      problem.textContent = error.message;
    }
  };

  put(root, 
    h("h2", { tabindex: -1 }, "Journal"),
    h("form", { "aria-label": "Journal filters", onsubmit: (event) => { event.preventDefault(); restart(); }, onchange: restart },
      field("Path", path), field("Status", status), field("Scenario", scenario), field("Session", session),
      h("button", { type: "submit" }, "Filter"), pause, h("button", { type: "button", onclick: clear }, "Clear journal")),
    h("p", { class: "muted" }, "A path ending in * matches a prefix; a status may be a class (4xx). The page polls for new entries every second."),
    problem,
    counter,
    detail,
    h("table", { "aria-label": "Journal entries" },
      h("thead", {}, h("tr", {}, ["Time (UTC)", "Method", "Request", "Status", "Scenario", "Session", "Fault", "Warnings", "ms"].map((name) => h("th", { scope: "col" }, name)))),
      body),
  );
  await restart();
}
