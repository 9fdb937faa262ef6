// Parameters as a readable tree: objects and arrays fold open (<details>), scalars show as JSON text. Text only,
// so a parameter value that looks like markup stays text.
import { h } from "../common/dom.ts";

const OPEN_DEPTH = 2;
const MAX_CHILDREN = 500;

export function jsonTree(value: unknown, label?: string, depth = 0): HTMLElement {
  if (value === null || typeof value !== "object") {
    return h(
      "div",
      { class: "json-leaf" },
      label !== undefined && h("span", { class: "json-key" }, `${label}: `),
      h(
        "span",
        { class: `json-value json-${value === null ? "null" : typeof value}` },
        JSON.stringify(value) ?? "undefined",
      ),
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const node = h(
    "details",
    { class: "json-node", attrs: { open: depth < OPEN_DEPTH } },
    h(
      "summary",
      {},
      label !== undefined && h("span", { class: "json-key" }, `${label}: `),
      h("span", { class: "json-count" }, summary),
    ),
  );
  for (const [key, child] of entries.slice(0, MAX_CHILDREN)) node.append(jsonTree(child, key, depth + 1));
  if (entries.length > MAX_CHILDREN)
    node.append(h("div", { class: "muted" }, `… ${entries.length - MAX_CHILDREN} more`));
  return node;
}
