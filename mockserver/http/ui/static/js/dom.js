// Building the page: elements, SVG, text, copying, announcements, numbers, and JSON that keeps its numbers.

const SVG = "http://www.w3.org/2000/svg";

function fill(node, props, children) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** An HTML element: tag, attributes (on* are listeners, text sets the text), children. */
export function h(tag, props, ...children) {
  return fill(document.createElement(tag), props, children);
}

/** An SVG element. */
export function s(tag, props, ...children) {
  return fill(document.createElementNS(SVG, tag), props, children);
}

/** Say something to the person (and to screen readers, through the status region). */
export function announce(message) {
  const status = document.getElementById("status");
  status.textContent = "";
  status.textContent = message;
}

/** Copy a text to the clipboard and say what was copied; where the clipboard is closed, show it to copy. */
export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    announce(`Copied ${what}: ${text}`);
  } catch {
    const field = h("textarea", { readonly: true, "aria-label": what, rows: 3 }, text);
    document.body.append(field);
    field.select();
    const done = document.execCommand && document.execCommand("copy");
    field.remove();
    announce(done ? `Copied ${what}: ${text}` : `Copy ${what} by hand: ${text}`);
  }
}

/** A button that copies a text. */
export function copyButton(label, text, what) {
  return h("button", { type: "button", "aria-label": `Copy ${what}`, onclick: () => copy(text, what) }, label);
}

/** A labelled form control: label text, the control; the label is tied to it by id. */
let ids = 0;
export function field(text, control) {
  if (!control.id) control.id = `f${++ids}`;
  return h("span", { class: "field" }, h("label", { for: control.id }, text), control);
}

export function options(select, values, chosen) {
  select.replaceChildren(
    ...values.map(([value, text]) => h("option", { value, selected: value === chosen ? true : null }, text)),
  );
  return select;
}

export function table(head, rows, props = {}) {
  return h(
    "table",
    props,
    h("thead", {}, h("tr", {}, head.map((cell) => (cell instanceof Node ? cell : h("th", { scope: "col" }, cell))))),
    h("tbody", {}, rows),
  );
}

const numbers = new Intl.NumberFormat("en-US");
export function number(value) {
  return typeof value === "number" ? numbers.format(value) : String(value);
}

export function percent(part, whole) {
  if (!whole) return "–";
  return `${((100 * part) / whole).toFixed(1)} %`;
}

/** Unix seconds as ISO 8601 UTC without milliseconds. */
export function isoTime(unix) {
  return unix === null || unix === undefined ? "every mailing finished" : new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}

/** Parse JSON, keeping integers too large for a double as their digits (ids up to PHP's largest integer). */
export function parseJson(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context && context.source
      ? context.source
      : value,
  );
}

/** Indent JSON text without reading its values: every number and string stays as sent. */
export function pretty(text) {
  const blank = " \t\r\n";
  let out = "";
  let depth = 0;
  let quoted = false;
  let escaped = false;
  const newline = () => "\n" + "  ".repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      out += c;
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      out += c;
    } else if (c === "{" || c === "[") {
      let j = i + 1;
      while (j < text.length && blank.includes(text[j])) j++;
      if (text[j] === (c === "{" ? "}" : "]")) {
        out += c + text[j];
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === "}" || c === "]") {
      depth--;
      out += newline() + c;
    } else if (c === ",") out += "," + newline();
    else if (c === ":") out += ": ";
    else if (!blank.includes(c)) out += c;
  }
  return out;
}

/** A body for reading: indented when it is JSON, else as it came. */
export function readable(text) {
  try {
    JSON.parse(text);
    return pretty(text);
  } catch {
    return text;
  }
}

/** Quote a word for a POSIX shell. */
export function shellQuote(text) {
  return `'${String(text).replaceAll("'", `'\\''`)}'`;
}

/** Append children to an element, skipping null, undefined and false (a native append prints "null"). */
export function put(node, ...children) {
  return fill(node, {}, children);
}
