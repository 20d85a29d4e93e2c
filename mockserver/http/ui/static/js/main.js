// The page's start: read the facts, connect (asking for the token when the mock wants one), route by #hash.

import { announce, h, isoTime, number } from "./dom.js";
import { configure, control, NeedToken, Refused, setToken, token } from "./net.js";
import * as clock from "./clock.js";
import * as faults from "./faults.js";
import * as journal from "./journal.js";
import * as mailing from "./mailing.js";
import * as mailings from "./mailings.js";
import * as scenarios from "./scenarios.js";

const PAGES = { scenarios, journal, clock, mailings, mailing, faults };
const main = document.getElementById("main");
let current = null;

// What every page shares: the facts, the overview of the control state, who the API is asked as.
const ctx = {
  facts: null,
  overview: null,
  as: { session: "", key: "" },
  async refresh() {
    ctx.overview = await control("GET", "/");
    const o = ctx.overview;
    document.getElementById("summary").textContent =
      `Active scenario: ${o.active.name} · clock ${isoTime(o.clock.now)} (${o.clock.via}) · ` +
      `${number(o.sessions)} session${o.sessions === 1 ? "" : "s"} · ${number(o.journal)} journal entries`;
    return o;
  },
  /** Run a control action, say what it did, and show the page again. */
  async act(action, done) {
    try {
      await action();
      announce(done);
      await show();
    } catch (error) {
      report(error);
    }
  },
};

function report(error) {
  if (error instanceof NeedToken) return askToken();
  announce(error instanceof Refused ? `Refused: ${error.message}` : `Error: ${error.message}`);
}

function route() {
  const [name, arg] = (location.hash.slice(1) || "scenarios").split("/");
  return { page: PAGES[name] ? name : "scenarios", arg: arg ? decodeURIComponent(arg) : "" };
}

async function show() {
  const { page, arg } = route();
  if (current && current.leave) current.leave();
  current = PAGES[page];
  for (const link of document.querySelectorAll("nav a[href^='#']")) {
    const here = link.getAttribute("href") === `#${page === "mailing" ? "mailings" : page}`;
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const view = h("div", {});
  try {
    await ctx.refresh();
    await current.render(view, ctx, arg);
  } catch (error) {
    if (error instanceof NeedToken) return askToken();
    view.append(h("p", { class: "error", role: "alert" }, error.message));
  }
  main.replaceChildren(view);
  document.title = `${view.querySelector("h2")?.textContent || "sendstat"} · sendstat mock`;
}

function askToken(message = "") {
  if (current && current.leave) current.leave();
  current = null;
  main.replaceChildren();
  document.getElementById("token").hidden = false;
  document.getElementById("token-error").textContent = message;
  document.getElementById("token-input").focus();
}

async function useToken(event) {
  event.preventDefault();
  const input = document.getElementById("token-input");
  try {
    await control("GET", "/", undefined, input.value);
  } catch (error) {
    const text = error instanceof NeedToken ? "That token is not accepted." : error.message;
    return askToken(text);
  }
  setToken(input.value);
  input.value = "";
  document.getElementById("token").hidden = true;
  document.getElementById("forget").hidden = false;
  announce("Token accepted; it is kept in this tab only.");
  await show();
  (main.querySelector("h2") || main).focus();
}

async function start() {
  ctx.facts = await (await fetch("/__mock/ui/facts.json")).json();
  configure(ctx.facts);
  document.getElementById("token-form").addEventListener("submit", useToken);
  const forget = document.getElementById("forget");
  forget.hidden = !token();
  forget.addEventListener("click", () => {
    setToken("");
    forget.hidden = true;
    announce("Token forgotten.");
    show();
  });
  window.addEventListener("hashchange", async () => {
    await show();
    (main.querySelector("h2") || main).focus();
  });
  try {
    await ctx.refresh();
  } catch (error) {
    if (error instanceof NeedToken) return askToken();
    if (error instanceof Refused && error.status === 403) {
      main.replaceChildren(
        h("p", { class: "error", role: "alert" }, `The control API refused this page: ${error.message}`),
      );
      return;
    }
    throw error;
  }
  await show();
}

start();
