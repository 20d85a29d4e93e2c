// Scenarios (every one, the active one marked, broken files) and sessions: switch, create, end, copy selectors.

import { copyButton, field, h, isoTime, options, table, put } from "./dom.js";
import { control } from "./net.js";

function selectors(facts, kind, value) {
  const names = facts.select[kind];
  return h(
    "span",
    { class: "copies" },
    copyButton("Header", `${names.header}: ${value}`, `the header selecting ${kind} ${value}`),
    copyButton("Cookie", `${names.cookie}=${value}`, `the cookie selecting ${kind} ${value}`),
    copyButton("Query", `${names.query}=${encodeURIComponent(value)}`, `the query parameter selecting ${kind} ${value}`),
  );
}

function scenarioRows(ctx, list) {
  return list.scenarios.map((scenario) => {
    const active = scenario.name === list.active;
    return h(
      "tr",
      { class: active ? "current" : null, "data-scenario": scenario.name },
      h("th", { scope: "row" }, h("code", {}, scenario.name), active ? h("span", { class: "badge" }, "active") : null),
      h("td", {}, scenario.description),
      h(
        "td",
        {},
        h(
          "div",
          { class: "row" },
          h(
            "button",
            {
              type: "button",
              disabled: active,
              "aria-label": `Make ${scenario.name} the active scenario`,
              onclick: () =>
                ctx.act(() => control("PUT", "/scenario", { name: scenario.name }), `${scenario.name} is active for every client.`),
            },
            "Make active",
          ),
          selectors(ctx.facts, "scenario", scenario.name),
        ),
      ),
    );
  });
}

function sessionRow(ctx, session, names) {
  const choice = options(h("select", {}), [["", "the server's"], ...names.map((n) => [n, n])], session.scenario || "");
  const apply = () => {
    const body = { scenario: choice.value || undefined };
    // A PUT replaces the session: keep a clock pinned for it.
    if (session.clock.via === "session") body.now = session.clock.now;
    return ctx.act(() => control("PUT", `/sessions/${encodeURIComponent(session.id)}`, body), `Session ${session.id} now serves ${choice.value || "the server's scenario"}.`);
  };
  return h(
    "tr",
    { "data-session": session.id },
    h("th", { scope: "row" }, h("code", {}, session.id)),
    h(
      "td",
      {},
      h("div", { class: "row" }, field("Scenario", choice), h("button", { type: "button", onclick: apply }, "Apply")),
      h("span", { class: "muted" }, `serving ${session.serving}`),
    ),
    h("td", {}, isoTime(session.clock.now), h("span", { class: "muted" }, ` (${session.clock.via})`)),
    h("td", {}, session.created),
    h(
      "td",
      {},
      h(
        "div",
        { class: "row" },
        selectors(ctx.facts, "session", session.id),
        h(
          "button",
          {
            type: "button",
            "aria-label": `End session ${session.id}`,
            onclick: () => ctx.act(() => control("DELETE", `/sessions/${encodeURIComponent(session.id)}`), `Session ${session.id} ended.`),
          },
          "End",
        ),
      ),
    ),
  );
}

function newSessionForm(ctx, names) {
  const id = h("input", { name: "id", placeholder: "generated when empty", pattern: "[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}" });
  const scenario = options(h("select", { name: "scenario" }), [["", "the server's"], ...names.map((n) => [n, n])], "");
  const submit = (event) => {
    event.preventDefault();
    const body = {};
    if (id.value.trim()) body.id = id.value.trim();
    if (scenario.value) body.scenario = scenario.value;
    ctx.act(async () => {
      const made = await control("POST", "/sessions", body);
      sessionStorage.setItem("sendstat.lastSession", made.id);
    }, `Session created${body.scenario ? ` on ${body.scenario}` : ""}.`);
  };
  return h(
    "form",
    { onsubmit: submit, "aria-label": "New session" },
    field("Session id", id),
    field("Scenario", scenario),
    h("button", { type: "submit", class: "primary" }, "Create session"),
  );
}

export async function render(root, ctx) {
  const [list, sessions] = await Promise.all([control("GET", "/scenarios"), control("GET", "/sessions")]);
  const names = list.scenarios.map((scenario) => scenario.name);
  const active = ctx.overview.active;
  const origin = active.via === "start" ? " (the start scenario)" : [" (set here; the mock started on ", h("code", {}, list.start), ")"];
  put(root, 
    h("h2", { tabindex: -1 }, "Scenarios"),
    h(
      "div",
      { class: "row" },
      h("span", {}, "Active for every client without a choice of its own: ", h("strong", { id: "active-scenario" }, active.name), origin),
      active.via === "server"
        ? h("button", { type: "button", onclick: () => ctx.act(() => control("DELETE", "/scenario"), `Back to ${list.start}.`) }, "Back to the start scenario")
        : null,
      h("button", { type: "button", onclick: () => ctx.act(() => control("POST", "/reload"), "Scenario files re-read.") }, "Reload files"),
      h("button", { type: "button", onclick: () => ctx.act(() => control("POST", "/reset"), "Reset: start scenario, no sessions, empty journal.") }, "Reset the mock"),
    ),
    active.problem ? h("p", { class: "note" }, active.problem) : null,
    h("p", { class: "muted" }, "A request picks its own scenario with a header, a cookie or a query parameter (the copy buttons); one of a session sees the session's."),
    table(["Scenario", "What it shows", "Use"], scenarioRows(ctx, list), { id: "scenario-table" }),
    list.errors.length
      ? h(
          "section",
          { "aria-labelledby": "broken" },
          h("h3", { id: "broken" }, "Files that do not load"),
          h("ul", { id: "scenario-errors" }, list.errors.map((error) => h("li", {}, h("code", {}, error.text)))),
        )
      : null,
    h("h2", {}, "Sessions"),
    h("p", { class: "muted" }, "A session has its own scenario and clock, seen only by the requests that name it."),
    newSessionForm(ctx, names),
    sessions.sessions.length
      ? table(["Session", "Scenario", "Clock", "Created", "Use"], sessions.sessions.map((s) => sessionRow(ctx, s, names)), { id: "session-table" })
      : h("p", { id: "session-table" }, "No sessions."),
  );
}
