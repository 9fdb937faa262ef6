// The few `vscode` classes the run explorer's tree model uses, for unit tests without an editor (the model takes
// `vscode` as a dependency, as playwright-vscode's tests do).
import type * as vscodeApi from "vscode";

class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly fired: T[] = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((other) => other !== listener)) };
  };
  fire(value: T) {
    this.fired.push(value);
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners = [];
  }
}

class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  value = "";
  appendMarkdown(text: string) {
    this.value += text;
    return this;
  }
  appendText(text: string) {
    this.value += text;
    return this;
  }
}

export const fakeVscode = {
  EventEmitter,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
} as unknown as typeof vscodeApi;
