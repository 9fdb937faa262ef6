// A hand-made stand-in for the parts of the `vscode` API the run and debug commands and the inline run states use,
// so their logic is tested without an editor (the extension gets `vscode` injected). Records what the code asked the
// editor to do.
import type * as vscodeApi from "vscode";

type Listener<T> = (value: T) => void;

export class FakeEvent<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

/** A text editor showing a document of `lines`; records each decoration type's latest options. */
export class FakeEditor {
  readonly decorations = new Map<string, vscodeApi.DecorationOptions[]>();
  /** How many times decorations were set (any type). */
  drawn = 0;
  readonly document: { uri: { toString(): string }; languageId: string; version: number; lineCount: number };

  constructor(
    uri: string,
    private readonly lines: string[],
    languageId = "typescript",
  ) {
    this.document = { uri: { toString: () => uri }, languageId, version: 1, lineCount: lines.length };
    Object.assign(this.document, {
      lineAt: (line: number) => ({ range: { end: { line, character: this.lines[line].length } } }),
    });
  }

  setDecorations(type: { key: string }, options: vscodeApi.DecorationOptions[]): void {
    this.drawn++;
    this.decorations.set(type.key, options);
  }

  /** The text after each decorated line, in line order. */
  get inlineTexts(): string[] {
    return [...this.decorations.values()]
      .flat()
      .sort((a, b) => a.range.start.line - b.range.start.line)
      .map((options) => options.renderOptions?.after?.contentText ?? "");
  }
}

export interface FakeVscode {
  api: typeof vscodeApi;
  statusItem: { text: string; tooltip: string; visible: boolean };
  /** Each progress notification: its title, the messages reported, and its Cancel button. */
  notifications: { title: string; messages: string[]; cancel: () => void }[];
  /** Answers quick picks: gets the items, returns the chosen one. */
  quickPick: (items: vscodeApi.QuickPickItem[]) => vscodeApi.QuickPickItem | undefined;
  inputBox: (options: vscodeApi.InputBoxOptions) => string | undefined;
  messages: string[];
  debugLaunches: vscodeApi.DebugConfiguration[];
  terminateDebugSession: FakeEvent<{ configuration: vscodeApi.DebugConfiguration }>;
  /** The visible text editors; fire `visibleEditorsChanged` after changing them. */
  editors: FakeEditor[];
  visibleEditorsChanged: FakeEvent<readonly FakeEditor[]>;
}

export function fakeVscode(): FakeVscode {
  const statusItem = { text: "", tooltip: "", visible: false };
  const terminateDebugSession = new FakeEvent<{ configuration: vscodeApi.DebugConfiguration }>();
  const visibleEditorsChanged = new FakeEvent<readonly FakeEditor[]>();
  const noEvent = () => ({ dispose: () => undefined });
  let decorationTypes = 0;
  const fake: FakeVscode = {
    editors: [],
    visibleEditorsChanged,
    statusItem,
    notifications: [],
    quickPick: () => undefined,
    inputBox: () => undefined,
    messages: [],
    debugLaunches: [],
    terminateDebugSession,
    api: undefined!,
  };
  const window = {
    createStatusBarItem: () => ({
      set text(value: string) {
        statusItem.text = value;
      },
      set tooltip(value: string) {
        statusItem.tooltip = value;
      },
      name: "",
      command: "",
      show: () => (statusItem.visible = true),
      hide: () => (statusItem.visible = false),
      dispose: () => undefined,
    }),
    withProgress: async (
      options: { title: string },
      task: (progress: unknown, token: unknown) => Promise<unknown>,
    ): Promise<unknown> => {
      const cancelled = new FakeEvent<void>();
      const notification = { title: options.title, messages: [] as string[], cancel: () => cancelled.fire() };
      fake.notifications.push(notification);
      return task(
        { report: ({ message }: { message: string }) => notification.messages.push(message) },
        { onCancellationRequested: cancelled.event },
      );
    },
    showQuickPick: async (items: vscodeApi.QuickPickItem[]) => fake.quickPick(await items),
    showInputBox: async (options: vscodeApi.InputBoxOptions) => fake.inputBox(options),
    showInformationMessage: async (message: string) => void fake.messages.push(message),
    showErrorMessage: async (message: string) => void fake.messages.push(message),
    get visibleTextEditors() {
      return fake.editors;
    },
    onDidChangeVisibleTextEditors: visibleEditorsChanged.event,
    createTextEditorDecorationType: () => ({ key: `decoration-${decorationTypes++}`, dispose: () => undefined }),
  };
  const languages = {
    createDiagnosticCollection: () => ({ clear: () => undefined, set: () => undefined, dispose: () => undefined }),
    registerHoverProvider: () => ({ dispose: () => undefined }),
  };
  const debug = {
    startDebugging: async (_folder: unknown, configuration: vscodeApi.DebugConfiguration) => {
      fake.debugLaunches.push(configuration);
      return true;
    },
    onDidTerminateDebugSession: terminateDebugSession.event,
  };
  const workspace = {
    workspaceFolders: [{ uri: { fsPath: "/ws" } }],
    getWorkspaceFolder: () => ({ uri: { fsPath: "/ws" } }),
    onDidChangeTextDocument: noEvent,
    onDidChangeConfiguration: noEvent,
  };
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    constructor(
      readonly start: Position,
      readonly end: Position,
    ) {}
  }
  fake.api = {
    window,
    debug,
    workspace,
    languages,
    Position,
    Range,
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    DecorationRangeBehavior: { ClosedClosed: 1 },
    Uri: { file: (fsPath: string) => ({ fsPath }) },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Notification: 15 },
  } as unknown as typeof vscodeApi;
  return fake;
}
