// What a scenario injects: latency, faults with their share of requests, forced answers, authentication.

import { field, h, number, options, table, put } from "./dom.js";
import { control } from "./net.js";

// What a client sees for each fault kind (mockserver/control/faults.py).
const KINDS = {
  500: "HTTP 500 with a JSON message",
  503: "HTTP 503 with a JSON message",
  timeout: "no answer for the hold time, then the connection closes",
  drop: "the status line and headers, then the connection closes before the body",
  truncate: "the first half of the body, then the connection closes",
  malformed: "200 with a PHP warning printed before the JSON",
};
let chosen = "";

function latency(detail) {
  const rows = Object.entries(detail.latency);
  if (!rows.length) return h("p", {}, "No added latency.");
  return h("ul", {}, rows.map(([endpoint, l]) => h("li", {}, `${endpoint}: ${number(l.fixed_ms)} ms${l.jitter_ms ? `, plus up to ${number(l.jitter_ms)} ms at random` : ""}`)));
}

function faults(detail) {
  const rows = Object.entries(detail.faults).flatMap(([endpoint, list]) =>
    list.map((f) =>
      h("tr", {}, h("td", {}, endpoint), h("td", {}, h("code", {}, f.kind)), h("td", {}, KINDS[f.kind] || ""), h("td", { class: "num" }, `${(100 * f.rate).toFixed(1)} %`), h("td", { class: "num" }, f.kind === "timeout" ? `${number(f.hold_ms)} ms` : "")),
    ),
  );
  if (!rows.length) return h("p", {}, "No faults.");
  return table(["Endpoint", "Fault", "What the client sees", h("th", { scope: "col", class: "num" }, "Share of requests"), h("th", { scope: "col", class: "num" }, "Hold")], rows, { id: "fault-table" });
}

function forced(detail) {
  const rows = Object.entries(detail.forced);
  if (!rows.length) return h("p", {}, "No forced answers.");
  return table(["Mailing id", "Answer", "Counts as a fault"], rows.map(([id, f]) => h("tr", {}, h("td", {}, id), h("td", {}, String(f.status)), h("td", {}, f.fault ? "yes (journalled as forced)" : "no"))), { id: "forced-table" });
}

export async function render(root, ctx) {
  const names = ctx.overview.scenarios;
  const name = names.includes(chosen) ? chosen : ctx.overview.active.name;
  const detail = await control("GET", `/scenarios/${encodeURIComponent(name)}`);
  const pick = options(h("select", { name: "scenario" }), names.map((n) => [n, n === ctx.overview.active.name ? `${n} (active)` : n]), name);
  pick.addEventListener("change", () => {
    chosen = pick.value;
    root.replaceChildren();
    render(root, ctx);
  });
  const key = ctx.facts.api.key_header;
  put(root, 
    h("h2", { tabindex: -1 }, "Faults"),
    h("form", { "aria-label": "Which scenario" }, field("Scenario", pick)),
    h("p", {}, h("strong", {}, detail.name), `: ${detail.description}`),
    h("h3", {}, "Latency"), latency(detail),
    h("h3", {}, "Faults"), faults(detail),
    h("h3", {}, "Forced answers"), forced(detail),
    h("h3", {}, "Authentication"),
    h("p", {}, detail.auth_keys.length ? [`An API key is required in ${key}: `, detail.auth_keys.map((k, i) => [i ? ", " : "", h("code", {}, k)]), "; none is 401, another 403."] : "No API key needed."),
    h("h3", {}, "Other settings"),
    h("dl", { class: "pairs" },
      h("dt", {}, "Empty index"), h("dd", {}, `answers ${detail.empty_index_status}`),
      h("dt", {}, "JSON flags"), h("dd", {}, detail.json_flags.length ? detail.json_flags.join(", ") : "none (PHP's json_encode defaults)"),
      h("dt", {}, "Clock"), h("dd", {}, detail.clock.iso || "every mailing finished"),
      h("dt", {}, "Seed"), h("dd", {}, String(detail.seed)),
      h("dt", {}, "Mailings listed"), h("dd", {}, number(detail.mailings))),
    detail.warnings.length ? [h("h3", {}, "Warnings of the file"), h("ul", {}, detail.warnings.map((w) => h("li", {}, w)))] : null,
  );
}
