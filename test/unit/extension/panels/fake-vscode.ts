// Just enough of the `vscode` API for the webview panels' unit tests (run views, parameter forms): panels that record
// what is posted to them and let a test play the page (post messages, hide and show), the serializer registry,
// the messages shown, and workspace folders (by path prefix).
import type * as vscodeApi from "vscode";

export class FakeWebviewPanel {
  title = "";
  visible = true;
  disposed = false;
  readonly posted: unknown[] = [];
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly viewStateListeners: (() => void)[] = [];
  private readonly disposeListeners: (() => void)[] = [];
  readonly webview = {
    options: {},
    html: "",
    cspSource: "https://webview.test",
    asWebviewUri: (uri: { path: string }) => ({ toString: () => `https://webview.test${uri.path}` }),
    postMessage: async (message: unknown) => {
      this.posted.push(message);
      return true;
    },
    onDidReceiveMessage: (listener: (message: unknown) => void) => {
      this.messageListeners.push(listener);
      return { dispose() {} };
    },
  };

  constructor(
    readonly viewType: string,
    readonly options: Record<string, unknown> = {},
  ) {}

  /** The page posts a message (as the webview script would). */
  fromPage(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }

  /** Another editor took the panel's place: VS Code drops the page. */
  hide(): void {
    this.visible = false;
    for (const listener of this.viewStateListeners) listener();
  }

  /** Shown again: a new page starts and says ready. */
  show(): void {
    this.visible = true;
    for (const listener of this.viewStateListeners) listener();
    this.fromPage({ type: "ready" });
  }

  onDidChangeViewState(listener: () => void) {
    this.viewStateListeners.push(listener);
    return { dispose() {} };
  }

  onDidDispose(listener: () => void) {
    this.disposeListeners.push(listener);
    return { dispose() {} };
  }

  reveal(): void {}

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const listener of this.disposeListeners) listener();
  }

  /** Messages of one type posted so far. */
  messages<T extends { type: string }>(type: string): T[] {
    return this.posted.filter((message) => (message as { type: string }).type === type) as T[];
  }
}

export interface FakeVscode {
  api: typeof vscodeApi;
  panels: FakeWebviewPanel[];
  serializers: Map<string, vscodeApi.WebviewPanelSerializer>;
  /** Warning and error messages shown. */
  messages: string[];
}

export function fakeVscode(workspaceFolders: string[] = []): FakeVscode {
  const panels: FakeWebviewPanel[] = [];
  const serializers = new Map<string, vscodeApi.WebviewPanelSerializer>();
  const messages: string[] = [];
  const api = {
    Uri: {
      joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join("/") }),
      file: (path: string) => ({ path }),
    },
    ViewColumn: { One: 1, Beside: -2 },
    window: {
      createWebviewPanel: (viewType: string, _title: string, _column: unknown, options: Record<string, unknown>) => {
        const panel = new FakeWebviewPanel(viewType, options);
        panels.push(panel);
        return panel;
      },
      registerWebviewPanelSerializer: (viewType: string, serializer: vscodeApi.WebviewPanelSerializer) => {
        serializers.set(viewType, serializer);
        return { dispose: () => serializers.delete(viewType) };
      },
      showWarningMessage: async (message: string) => void messages.push(message),
      showErrorMessage: async (message: string) => void messages.push(message),
    },
    workspace: {
      getWorkspaceFolder: (uri: { path: string }) => {
        const folder = workspaceFolders.find((root) => uri.path.startsWith(`${root}/`));
        return folder === undefined ? undefined : { uri: { path: folder } };
      },
    },
  };
  return { api: api as unknown as typeof vscodeApi, panels, serializers, messages };
}
