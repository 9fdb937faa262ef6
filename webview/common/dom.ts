// Building DOM in the run view: every string becomes a Text node (or textContent), never markup, because every
// string in a run (names, parameters, log lines, errors) is untrusted. innerHTML is not used anywhere in the shell.
export type Child = Node | string | number | false | null | undefined;

export interface Props {
  class?: string;
  title?: string;
  /** data-* attributes. */
  data?: Record<string, string>;
  /** Other attributes, set with setAttribute (never event handlers: listeners are added in code). */
  attrs?: Record<string, string | boolean>;
}

/** An element with children; strings and numbers are added as text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.title) element.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) element.dataset[key] = value;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(name)) throw new Error(`event handler attribute ${name}: add a listener instead`);
    if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** A button of the toolkit (vscode-button) that calls `onClick`. */
export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string } = {}) {
  const element = h("vscode-button", { title: options.title, attrs: { secondary: Boolean(options.secondary) } }, label);
  element.addEventListener("click", () => {
    if (!element.hasAttribute("disabled")) onClick();
  });
  return element;
}

/** A definition list row pair, for the details panels. */
export function field(label: string, ...value: Child[]): HTMLElement[] {
  return [h("dt", {}, label), h("dd", {}, ...value)];
}
