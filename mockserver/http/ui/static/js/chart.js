// The open-time curve: opens per hour over the 48 hours from the first hour with opens, as an inline SVG.

import { h, isoTime, number, s } from "./dom.js";

const HOURS = 48;
const W = 720;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 34 };
let charts = 0;

function hourly(openTime) {
  const entries = Array.isArray(openTime) ? [] : Object.entries(openTime).map(([key, value]) => [Number(key), value]);
  if (!entries.length) return null;
  const start = Math.min(...entries.map(([key]) => key));
  const values = new Array(HOURS).fill(0);
  for (const [key, value] of entries) {
    const hour = Math.floor((key - start) / 3600);
    if (hour >= 0 && hour < HOURS) values[hour] += value;
  }
  return { start, values };
}

/** A chart of a mailing's open_time (a map of hourly unix timestamps to opens; [] when empty). */
export function openChart(openTime) {
  const data = hourly(openTime);
  if (!data) return h("p", { class: "open-chart", "data-total": 0 }, "No opens yet.");
  const { start, values } = data;
  const total = values.reduce((a, b) => a + b, 0);
  const peak = Math.max(...values);
  const peakHour = values.indexOf(peak);
  const id = `chart${++charts}`;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (hour) => PAD.left + (plotW * hour) / (HOURS - 1);
  const y = (value) => PAD.top + plotH - (plotH * value) / (peak || 1);
  const points = values.map((value, hour) => `${x(hour).toFixed(1)},${y(value).toFixed(1)}`);
  const ticks = [0, 6, 12, 18, 24, 30, 36, 42, 47];
  const description =
    `Opens per hour for 48 hours from ${isoTime(start)}: ${number(total)} in all, ` +
    `at most ${number(peak)} in hour ${peakHour + 1}; ${values.filter(Boolean).length} hours with opens.`;
  const chart = s(
    "svg",
    { class: "chart open-chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}t ${id}d`, "data-total": total, "data-hours": values.filter(Boolean).length },
    s("title", { id: `${id}t` }, "Opens over 48 hours"),
    s("desc", { id: `${id}d` }, description),
    s("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y(peak), y2: y(peak) }),
    s("path", { class: "area", d: `M${x(0)},${y(0)} L${points.join(" L")} L${x(HOURS - 1)},${y(0)} Z` }),
    s("polyline", { class: "line", points: points.join(" ") }),
    s("line", { class: "axis", x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }),
    s("line", { class: "axis", x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: y(0) }),
    s("text", { x: PAD.left - 6, y: y(peak) + 4, "text-anchor": "end" }, number(peak)),
    s("text", { x: PAD.left - 6, y: y(0) + 4, "text-anchor": "end" }, "0"),
    ticks.map((hour) => s("text", { x: x(hour), y: H - PAD.bottom + 16, "text-anchor": hour === HOURS - 1 ? "end" : "middle" }, `+${hour} h`)),
    s("text", { x: PAD.left, y: H - 4 }, `from ${isoTime(start)} (UTC)`),
  );
  const rows = values.map((value, hour) => h("tr", {}, h("td", {}, isoTime(start + hour * 3600)), h("td", { class: "num" }, number(value))));
  return h(
    "figure",
    { class: "open-figure" },
    chart,
    h("figcaption", { class: "muted" }, description),
    h("details", {}, h("summary", {}, "The hours as a table"), h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Hour (UTC)"), h("th", { scope: "col", class: "num" }, "Opens"))), h("tbody", {}, rows))),
  );
}
