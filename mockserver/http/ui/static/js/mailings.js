// The active scenario's index, paged in the page (the API has no paging; `large` lists 100,000 mailings),
// asked as the server's client or as a session, with an API key when the scenario wants one.

import { field, h, number, options, parseJson, table, put } from "./dom.js";
import { api, control } from "./net.js";

const PAGE = 50;
let kept = null; // the last index read: who asked, at which control version, and what came back

/** The subject line of a mailing of the last index read, if it was listed. */
export function knownTitle(id) {
  return kept && kept.titles ? kept.titles.get(String(id)) : undefined;
}

/** The controls that say who asks the API: a session (its scenario and clock) and an API key. */
export function asControls(ctx, sessions, changed) {
  const session = options(h("select", { name: "as-session" }), [["", "no session (the server's scenario)"], ...sessions.map((s) => [s.id, `${s.id} (${s.serving})`])], ctx.as.session);
  const key = h("input", { name: "api-key", type: "password", autocomplete: "off", value: ctx.as.key, size: 14 });
  const apply = (event) => {
    event.preventDefault();
    ctx.as = { session: session.value, key: key.value };
    changed();
  };
  return h(
    "form",
    { "aria-label": "Ask the API as", onsubmit: apply, onchange: apply },
    field("Ask as session", session),
    field(`API key (${ctx.facts.api.key_header})`, key),
    h("button", { type: "submit" }, "Ask again"),
  );
}

async function readIndex(ctx) {
  const key = JSON.stringify([ctx.as, ctx.overview.version]);
  if (kept && kept.key === key) return kept;
  const answer = await api(ctx.facts.api.index, ctx.as);
  const found = { key, status: answer.status, scenario: answer.headers.get(ctx.facts.headers.scenario), text: answer.text, list: [], titles: new Map() };
  if (answer.status === 200) {
    found.list = parseJson(answer.text).statistics.map((m) => ({ id: String(m.id), title: m.letter_title }));
    found.titles = new Map(found.list.map((m) => [m.id, m.title]));
  }
  kept = found;
  return found;
}

export async function render(root, ctx) {
  const sessions = (await control("GET", "/sessions")).sessions;
  put(root, h("h2", { tabindex: -1 }, "Mailings"), asControls(ctx, sessions, () => {
    root.replaceChildren();
    render(root, ctx);
  }));
  const loading = h("p", { role: "status" }, "Reading the index…");
  put(root, loading);
  const index = await readIndex(ctx);
  loading.remove();
  const who = h("p", { id: "index-status" }, `The API answered ${index.status}, from scenario `, h("strong", {}, index.scenario || "–"),
    ctx.as.session ? ` (session ${ctx.as.session})` : "", `: ${number(index.list.length)} mailings.`);
  put(root, who);
  if (index.status !== 200) {
    put(root, h("p", {}, index.status === 204 ? "No mailings: the index answered 204 with an empty body." : "No index."), index.text ? h("pre", {}, index.text) : null);
    return;
  }
  const find = h("input", { name: "find", type: "search", size: 24 });
  const pages = h("p", { id: "pager-status", "aria-live": "polite" });
  const body = h("tbody", { id: "mailing-rows" });
  const previous = h("button", { type: "button" }, "Previous");
  const next = h("button", { type: "button" }, "Next");
  let page = 0;
  let shown = index.list;
  const draw = () => {
    const last = Math.max(0, Math.ceil(shown.length / PAGE) - 1);
    page = Math.min(Math.max(page, 0), last);
    body.replaceChildren(
      ...shown.slice(page * PAGE, (page + 1) * PAGE).map((m) =>
        h("tr", { "data-id": m.id }, h("td", { class: "num" }, h("a", { href: `#mailing/${encodeURIComponent(m.id)}`, "aria-label": `Mailing ${m.id}: ${m.title}` }, m.id)), h("td", {}, m.title)),
      ),
    );
    pages.textContent = `Page ${page + 1} of ${last + 1}: mailings ${shown.length ? page * PAGE + 1 : 0}-${Math.min((page + 1) * PAGE, shown.length)} of ${number(shown.length)}.`;
    previous.disabled = page === 0;
    next.disabled = page === last;
  };
  previous.addEventListener("click", () => { page--; draw(); });
  next.addEventListener("click", () => { page++; draw(); });
  find.addEventListener("input", () => {
    const words = find.value.trim().toLowerCase();
    shown = words ? index.list.filter((m) => m.id === words || m.title.toLowerCase().includes(words)) : index.list;
    page = 0;
    draw();
  });
  put(root, 
    h("div", { class: "row" }, field("Find by id or subject", find), previous, next, pages),
    table([h("th", { scope: "col", class: "num" }, "Id"), "Subject line"], [], { "aria-label": "Mailings" }),
  );
  root.querySelector("table tbody").replaceWith(body);
  draw();
}
