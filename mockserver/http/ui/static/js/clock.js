// The clock: the server's or a session's, moved by preset steps or set to a date; a mailing watched as it moves.

import { openChart } from "./chart.js";
import { announce, field, h, isoTime, number, options, parseJson, percent, put } from "./dom.js";
import { api, control, viewPath } from "./net.js";

const STEPS = [
  [-86400, "−1 day"],
  [-3600, "−1 hour"],
  [600, "+10 minutes"],
  [3600, "+1 hour"],
  [6 * 3600, "+6 hours"],
  [86400, "+1 day"],
  [7 * 86400, "+1 week"],
];
let target = "";
let watched = "";

function base(session) {
  return session ? `/sessions/${encodeURIComponent(session)}/clock` : "/clock";
}

async function lastId(ctx, session) {
  // The newest mailing is the one whose opens are still arriving; a large index is not read for it.
  const name = session ? (await control("GET", `/sessions/${encodeURIComponent(session)}`)).serving : ctx.overview.active.name;
  const detail = await control("GET", `/scenarios/${encodeURIComponent(name)}`);
  if (detail.mailings > 5000) return "";
  const index = await api(ctx.facts.api.index, { session, key: ctx.as.key });
  if (index.status !== 200) return "";
  const list = parseJson(index.text).statistics;
  return list.length ? String(list[list.length - 1].id) : "";
}

async function watch(ctx, panel, id, session) {
  if (!id) {
    panel.replaceChildren(h("p", {}, "Enter a mailing id to watch it as the clock moves."));
    return;
  }
  const answer = await api(viewPath(id), { session, key: ctx.as.key });
  if (answer.status !== 200) {
    panel.replaceChildren(h("p", { id: "watched-status" }, `Mailing ${id}: the API answered ${answer.status} at this time.`));
    return;
  }
  const body = parseJson(answer.text);
  const c = body.common;
  panel.replaceChildren(
    h("p", { id: "watched-status" }, `Mailing ${id}: `, h("strong", { id: "watched-opened" }, number(c.opened)), ` opened (${percent(c.opened, c.delivered)} of delivered), ${number(c.delivered)} delivered of ${number(c.count)}, ${number(c.clicked)} clicked.`),
    openChart(body.open_time),
  );
}

export async function render(root, ctx) {
  const sessions = (await control("GET", "/sessions")).sessions;
  if (target && !sessions.some((s) => s.id === target)) target = "";
  const clock = await control("GET", base(target));
  const who = options(h("select", { name: "clock-of" }), [["", "the server"], ...sessions.map((s) => [s.id, `session ${s.id}`])], target);
  who.addEventListener("change", () => {
    target = who.value;
    watched = "";
    root.replaceChildren();
    render(root, ctx);
  });
  const move = (action, done) => async () => {
    try {
      await action();
      announce(done);
      root.replaceChildren();
      await ctx.refresh();
      await render(root, ctx);
    } catch (error) {
      announce(`Refused: ${error.message}`);
    }
  };
  const date = h("input", { name: "date", type: "datetime-local", step: 1, value: clock.now === null ? "" : isoTime(clock.now).slice(0, 19) });
  const setDate = (event) => {
    event.preventDefault();
    if (!date.value) return announce("Choose a date and time first.");
    const text = date.value.length === 16 ? `${date.value}:00Z` : `${date.value}Z`;
    move(() => control("PUT", base(target), { now: text }), `Clock set to ${text}.`)();
  };
  const id = h("input", { name: "watch", inputmode: "numeric", size: 10, value: watched || (await lastId(ctx, target)) });
  const panel = h("div", { id: "watched" });
  const watchForm = h("form", { "aria-label": "Watch a mailing", onsubmit: (event) => { event.preventDefault(); watched = id.value.trim(); watch(ctx, panel, watched, target); } },
    field("Mailing id", id), h("button", { type: "submit" }, "Watch"));
  put(root, 
    h("h2", { tabindex: -1 }, "Clock"),
    h("form", { "aria-label": "Whose clock" }, field("Clock of", who)),
    h("p", {}, h("span", { class: "clock", id: "clock-now" }, isoTime(clock.now)),
      h("span", { class: "muted" }, ` (${clock.via === "scenario" ? "the scenario's own clock" : `pinned for the ${clock.via}`}; serving ${clock.scenario})`)),
    h("div", { class: "row", role: "group", "aria-label": "Move the clock by" },
      STEPS.map(([seconds, label]) => h("button", { type: "button", "data-seconds": seconds, onclick: move(() => control("POST", `${base(target)}/advance`, { seconds }), `Clock moved by ${label}.`) }, label))),
    h("form", { "aria-label": "Set the clock", onsubmit: setDate },
      field("Date and time (UTC)", date), h("button", { type: "submit" }, "Set"),
      h("button", { type: "button", onclick: move(() => control("PUT", base(target), { now: null }), "Clock shows every mailing finished.") }, "Every mailing finished"),
      h("button", { type: "button", onclick: move(() => control("DELETE", base(target)), "Clock unpinned.") }, target ? "Follow the server's clock" : "Back to the scenario's clock")),
    h("h3", {}, "Watch a mailing"),
    h("p", { class: "muted" }, "Its opens as the API shows them at this time (mailings sent later do not exist yet)."),
    watchForm,
    panel,
  );
  watched = id.value.trim();
  await watch(ctx, panel, watched, target);
}
