// One mailing: common as figures with rates, the open-time chart, domains with bars, error codes from the
// catalogue, clicks, and the raw JSON exactly as the API sent it.

import { openChart } from "./chart.js";
import { copyButton, h, number, parseJson, percent, put, table } from "./dom.js";
import { api, control, viewPath } from "./net.js";
import { asControls, knownTitle } from "./mailings.js";

// Each rate's base, as the contract's rules bound them: delivered and bounce within count, opened,
// clicked, spam and unsubs within delivered (opened-within-delivered, clicked-within-delivered, ...).
const FIGURES = [
  ["count", "Recipients", null],
  ["delivered", "Delivered", "count"],
  ["bounce", "Bounced", "count"],
  ["opened", "Opened", "delivered"],
  ["clicked", "Clicked", "delivered"],
  ["spam", "Marked as spam", "delivered"],
  ["unsubs", "Unsubscribed", "delivered"],
];

function figures(common) {
  return h(
    "dl",
    { class: "figures", id: "figures" },
    FIGURES.filter(([key]) => key in common).map(([key, label, base]) =>
      h(
        "div",
        { "data-figure": key },
        h("dt", {}, label),
        h("dd", {}, number(common[key]), base ? h("span", { class: "rate" }, `${percent(common[key], common[base])} of ${base}`) : null),
      ),
    ),
  );
}

function entriesOf(map) {
  // PHP sends an empty map as [] and a map keyed 0..n-1 as a list: [7] is code 0 seven times.
  return Array.isArray(map) ? map.map((value, index) => [String(index), value]) : Object.entries(map || {});
}

function domains(map) {
  const rows = entriesOf(map).sort((a, b) => b[1].delivered + b[1].bounce - (a[1].delivered + a[1].bounce));
  if (!rows.length) return h("p", {}, "No domains.");
  const widest = Math.max(...rows.map(([, d]) => d.delivered + d.bounce)) || 1;
  return table(
    ["Domain", h("th", { scope: "col", class: "num" }, "Delivered"), h("th", { scope: "col", class: "num" }, "Bounced"), h("th", { scope: "col", class: "num" }, "Bounce rate"), "Share"],
    rows.map(([domain, d]) => {
      const delivered = h("span", { class: "delivered" });
      const bounce = h("span", { class: "bounce" });
      delivered.style.width = `${(100 * d.delivered) / widest}%`;
      bounce.style.width = `${(100 * d.bounce) / widest}%`;
      return h(
        "tr",
        {},
        h("th", { scope: "row" }, domain),
        h("td", { class: "num" }, number(d.delivered)),
        h("td", { class: "num" }, number(d.bounce)),
        h("td", { class: "num" }, percent(d.bounce, d.delivered + d.bounce)),
        h("td", {}, h("div", { class: "bars", "aria-hidden": "true" }, delivered, bounce)),
      );
    }),
    { id: "domains" },
  );
}

function errors(map, catalogue) {
  const rows = entriesOf(map).sort((a, b) => Number(a[0]) - Number(b[0]));
  if (!rows.length) return h("p", { id: "errors" }, "No delivery errors.");
  const known = new Map(catalogue.codes.map((entry) => [String(entry.code), entry]));
  return h(
    "div",
    {},
    table(
      [h("th", { scope: "col", class: "num" }, "Code"), "Class", "Meaning", "Русский текст", h("th", { scope: "col", class: "num" }, "Letters")],
      rows.map(([code, count]) => {
        const entry = known.get(code);
        return h(
          "tr",
          { "data-code": code },
          h("td", { class: "num" }, code),
          h("td", {}, entry ? h("abbr", { title: catalogue.classes[entry.class] || "" }, entry.class) : "–"),
          h("td", {}, entry ? entry.en : "not in the catalogue"),
          h("td", { lang: "ru" }, entry ? entry.ru : "–"),
          h("td", { class: "num" }, number(count)),
        );
      }),
      { id: "errors" },
    ),
    h("p", { class: "muted" }, `${rows.length} code${rows.length === 1 ? "" : "s"}; classes: `,
      Object.entries(catalogue.classes).map(([name, text], i) => [i ? "; " : "", h("strong", {}, name), ` ${text}`])),
  );
}

function clicks(map) {
  const rows = entriesOf(map).sort((a, b) => b[1] - a[1]);
  if (!rows.length) return h("p", {}, "No clicks.");
  return table(["Link", h("th", { scope: "col", class: "num" }, "Clicks")], rows.map(([url, count]) => h("tr", {}, h("td", { class: "mono" }, url), h("td", { class: "num" }, number(count)))), { id: "clicks" });
}

function raw(answer, path, facts) {
  const shown = [facts.headers.scenario, facts.headers.warning, facts.headers.fault, "Content-Type"];
  return h(
    "section",
    { "aria-labelledby": "raw-title" },
    h("h3", { id: "raw-title" }, "Raw answer"),
    h("p", { class: "mono" }, `GET ${path} → ${answer.status}`),
    h("dl", { class: "pairs" }, shown.filter((name) => answer.headers.get(name)).map((name) => [h("dt", {}, name), h("dd", { class: "mono" }, answer.headers.get(name))])),
    h("div", { class: "row" }, copyButton("Copy raw JSON", answer.text, "the raw JSON")),
    h("pre", { id: "raw", tabindex: 0 }, answer.text),
  );
}

export async function render(root, ctx, id) {
  const path = viewPath(id);
  const [answer, sessions] = await Promise.all([api(path, ctx.as), control("GET", "/sessions")]);
  const title = knownTitle(id);
  put(root, 
    h("p", {}, h("a", { href: "#mailings" }, "← All mailings")),
    h("h2", { tabindex: -1 }, `Mailing ${id}`, title ? h("span", { class: "muted" }, ` “${title}”`) : null),
    asControls(ctx, sessions.sessions, () => {
      root.replaceChildren();
      return render(root, ctx, id);
    }),
    h("p", { class: "muted" }, `Answered by scenario ${answer.headers.get(ctx.facts.headers.scenario) || "–"}.`),
  );
  if (answer.status !== 200) {
    put(root, h("p", { class: "error", role: "alert" }, `The API answered ${answer.status}.`), raw(answer, path, ctx.facts));
    return;
  }
  let body;
  try {
    body = parseJson(answer.text);
  } catch (error) {
    put(root, h("p", { class: "error", role: "alert" }, `The answer is not JSON: ${error.message}`), raw(answer, path, ctx.facts));
    return;
  }
  put(root, 
    h("h3", {}, "Figures"),
    body.common ? figures(body.common) : h("p", {}, "No common section."),
    h("h3", {}, "Opens over 48 hours"),
    openChart(body.open_time || []),
    h("div", { class: "split" },
      h("section", {}, h("h3", {}, "Domains"), domains(body.domain_statistic)),
      h("section", {}, h("h3", {}, "Clicks"), clicks(body.click_statistic))),
    h("h3", {}, "Delivery errors"),
    errors(body.errors, ctx.facts.catalogue),
    raw(answer, path, ctx.facts),
  );
}
