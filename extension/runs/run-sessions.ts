// The runs the editor started (Run, Debug, Retry, Rerun): each is a session with its own run view, a progress
// notification whose Cancel ends the run Cancelled, and its share of the status bar item (how many runs run, or the
// one run with its task progress). Events come from the CLI's stdout (Run) or the debug back-channel (Debug).
import type * as vscodeApi from "vscode";
import type { RunEvent } from "../../protocol/run-events.ts";
import { isTerminal } from "../../protocol/states.ts";
import type { RunViewSink } from "./run-view-sink.ts";

export interface RunSessionsDeps {
  vscode: typeof vscodeApi;
  views: RunViewSink;
  /** Command the status bar item runs (shows the run log). */
  showLogCommand: string;
}

/** One run started from the editor, from its start to its process's end. */
export class RunSession {
  rootFlowRunId: string | undefined;
  /** Task runs of this run (subflows' included) and how many of them reached a final state. */
  readonly tasks = new Map<string, boolean>();
  finalState: string | undefined;
  private changed: () => void = () => undefined;

  constructor(
    readonly title: string,
    private readonly views: RunViewSink,
    readonly cancel: () => void,
  ) {}

  get tasksDone(): number {
    let done = 0;
    for (const finished of this.tasks.values()) if (finished) done++;
    return done;
  }

  /** A progress line: "2/5 tasks", with the run's final state once it has one. */
  get progressText(): string {
    const tasks = `${this.tasksDone}/${this.tasks.size} tasks`;
    return this.finalState ? `${this.finalState} · ${tasks}` : tasks;
  }

  onChange(listener: () => void): void {
    const previous = this.changed;
    this.changed = () => {
      previous();
      listener();
    };
  }

  addEvents(events: RunEvent[]): void {
    const rooted = this.rootFlowRunId;
    for (const event of events) {
      // The first event is the root flow run's: its creation, or for a retry (whose run exists) its new state.
      this.rootFlowRunId ??= event.flowRunId;
      if (event.kind === "task-run-created") {
        this.tasks.set(event.taskRunId, isTerminal(event.state.type));
      } else if (event.kind === "state" && event.runKind === "task") {
        this.tasks.set(event.runId, isTerminal(event.state.type));
      } else if (event.kind === "state" && event.runId === this.rootFlowRunId && isTerminal(event.state.type)) {
        this.finalState = event.state.name;
      }
    }
    if (this.rootFlowRunId) this.views.addEvents(events);
    // Opened after its first events: a new run's view then starts from them instead of asking the server for a run
    // it may not have stored yet; a retried run's view loads what the store has.
    if (!rooted && this.rootFlowRunId) this.views.open(this.rootFlowRunId);
    this.changed();
  }
}

export class RunSessions {
  private readonly sessions = new Set<RunSession>();
  private readonly statusItem: vscodeApi.StatusBarItem;

  constructor(private readonly deps: RunSessionsDeps) {
    const { vscode } = deps;
    this.statusItem = vscode.window.createStatusBarItem("skein.runs", vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = "Skein runs";
    this.statusItem.command = deps.showLogCommand;
  }

  /** The sessions whose process has not ended yet, oldest first. */
  active(): RunSession[] {
    return [...this.sessions];
  }

  /**
   * Starts a session and its cancellable progress notification; `done` is the run's end (its process exited, or
   * the debug channel closed). Resolves with what `done` resolved to.
   */
  async track<T>(title: string, cancel: () => void, done: (session: RunSession) => Promise<T>): Promise<T> {
    const { vscode } = this.deps;
    const session = new RunSession(title, this.deps.views, cancel);
    this.sessions.add(session);
    session.onChange(() => this.updateStatus());
    this.updateStatus();
    const finished = done(session);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Skein: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => session.cancel());
          let shown = "";
          const report = () => {
            if (session.progressText !== shown) progress.report({ message: (shown = session.progressText) });
          };
          report(); // events may have come before the notification showed
          session.onChange(report);
          return finished;
        },
      );
    } finally {
      this.sessions.delete(session);
      this.updateStatus();
    }
  }

  dispose(): void {
    this.statusItem.dispose();
  }

  private updateStatus(): void {
    const sessions = this.active();
    if (sessions.length === 0) {
      this.statusItem.hide();
      return;
    }
    if (sessions.length === 1) {
      const [only] = sessions;
      this.statusItem.text = `$(sync~spin) ${only.title}: ${only.progressText}`;
    } else {
      this.statusItem.text = `$(sync~spin) ${sessions.length} Skein runs`;
    }
    this.statusItem.tooltip = sessions.map((s) => `${s.title}: ${s.progressText}`).join("\n");
    this.statusItem.show();
  }
}
