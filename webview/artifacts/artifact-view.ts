// The run view's artifacts: one card per artifact of the run, oldest first, each with its key, type, description,
// the task that made it (a click selects the task) and when it last changed, above its body (artifact-body.ts).
// update() is called with the same growing snapshot after each event batch: new artifacts get a card, changed
// ones (artifact-updated: progress bars, mostly) update in place, untouched ones are left alone. A keyed card's
// History button asks for the key's artifacts across runs, shown above the cards (artifact-history.ts).
import type { RunSnapshot, SnapshotArtifact } from "../../protocol/run-snapshot.ts";
import { adoptStyles } from "../common/adopt-styles.ts";
import { safeHttpUrl } from "../common/links.ts";
import { formatLocalTime } from "../common/time.ts";
import type { KeyedArtifact } from "../../protocol/webview/run-view.ts";
import { type ArtifactBody, buildArtifactBody } from "./artifact-body.ts";
import { ArtifactHistory } from "./artifact-history.ts";
import { ARTIFACT_STYLES } from "./artifact-styles.ts";

export interface ArtifactViewOptions {
  onOpenLink?(url: string): void;
  onSelectTask?(taskRunId: string): void;
  /** A card's History button: the view shows the key as loading until showHistory() brings its list. */
  onShowHistory?(key: string): void;
}

interface Card {
  element: HTMLElement;
  header: HTMLElement;
  body: ArtifactBody;
  /** What the card shows: updatedAt of the artifact, and the task's name when it was drawn. */
  updatedAt: string;
  taskName: string | undefined;
}

export class ArtifactView {
  private readonly root = document.createElement("div");
  private readonly empty = document.createElement("div");
  private readonly cards = new Map<string, Card>();
  private readonly history = new ArtifactHistory();

  constructor(
    container: HTMLElement,
    private readonly options: ArtifactViewOptions = {},
  ) {
    adoptStyles(container.ownerDocument, ARTIFACT_STYLES);
    this.root.className = "skein-artifacts";
    this.root.setAttribute("role", "list");
    this.root.setAttribute("aria-label", "Artifacts");
    this.empty.className = "skein-artifacts-empty";
    this.empty.textContent = "No artifacts yet.";
    this.root.append(this.history.element, this.empty);
    this.root.addEventListener("click", (event) => this.onClick(event));
    container.append(this.root);
  }

  update(snapshot: RunSnapshot): void {
    const artifacts = Object.values(snapshot.artifacts).sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    const current = new Set(artifacts.map((artifact) => artifact.id));
    for (const [id, card] of this.cards) {
      if (current.has(id)) continue;
      card.body.dispose();
      card.element.remove();
      this.cards.delete(id);
    }
    let previous: Element = this.empty;
    for (const artifact of artifacts) {
      const card = this.cardFor(snapshot, artifact);
      // Keep document order equal to creation order without moving cards that are already in place.
      if (previous.nextElementSibling !== card.element) previous.after(card.element);
      previous = card.element;
    }
    this.empty.hidden = artifacts.length > 0;
  }

  /** The artifacts of a key across runs, newest first (the answer to onShowHistory). */
  showHistory(key: string, artifacts: KeyedArtifact[]): void {
    this.history.show(key, artifacts);
  }

  dispose(): void {
    this.history.dispose();
    for (const card of this.cards.values()) card.body.dispose();
    this.cards.clear();
    this.root.remove();
  }

  private cardFor(snapshot: RunSnapshot, artifact: SnapshotArtifact): Card {
    const taskName = artifact.taskRunId ? snapshot.taskRuns[artifact.taskRunId]?.name : undefined;
    let card = this.cards.get(artifact.id);
    if (!card) {
      const element = document.createElement("section");
      element.className = "artifact-card";
      element.setAttribute("role", "listitem");
      element.dataset.artifactId = artifact.id;
      element.dataset.type = artifact.type;
      const body = buildArtifactBody(artifact);
      card = { element, header: document.createElement("div"), body, updatedAt: artifact.updatedAt, taskName };
      card.header.className = "artifact-header";
      element.append(card.header);
      if (artifact.description) {
        const description = document.createElement("div");
        description.className = "artifact-description";
        description.textContent = artifact.description;
        element.append(description);
      }
      element.append(body.element);
      this.fillHeader(card, snapshot, artifact);
      this.cards.set(artifact.id, card);
      return card;
    }
    if (card.updatedAt !== artifact.updatedAt) {
      if (!card.body.update(artifact)) {
        const body = buildArtifactBody(artifact);
        card.body.dispose();
        card.body.element.replaceWith(body.element);
        card.body = body;
      }
      card.updatedAt = artifact.updatedAt;
      this.fillHeader(card, snapshot, artifact);
    } else if (card.taskName !== taskName) this.fillHeader(card, snapshot, artifact);
    card.taskName = taskName;
    return card;
  }

  private fillHeader(card: Card, snapshot: RunSnapshot, artifact: SnapshotArtifact): void {
    const key = document.createElement("span");
    key.className = artifact.key ? "artifact-key" : "artifact-key no-key";
    key.textContent = artifact.key ?? "(no key)";
    const type = document.createElement("span");
    type.className = "artifact-type";
    type.textContent = artifact.type;
    const parts: HTMLElement[] = [key, type];
    if (artifact.taskRunId) {
      const task = document.createElement("button");
      task.type = "button";
      task.className = "artifact-task";
      task.dataset.taskRunId = artifact.taskRunId;
      task.textContent = snapshot.taskRuns[artifact.taskRunId]?.name ?? artifact.taskRunId;
      task.title = "Select this task";
      parts.push(task);
    } else {
      const flow = document.createElement("span");
      flow.className = "artifact-flow";
      flow.textContent = snapshot.flowRuns[artifact.flowRunId]?.name ?? "";
      parts.push(flow);
    }
    const time = document.createElement("time");
    time.className = "artifact-time";
    time.dateTime = artifact.updatedAt;
    time.title = artifact.updatedAt;
    time.textContent = formatLocalTime(artifact.updatedAt);
    parts.push(time);
    if (artifact.key && this.options.onShowHistory) {
      const history = document.createElement("button");
      history.type = "button";
      history.className = "artifact-history-button";
      history.dataset.historyKey = artifact.key;
      history.textContent = "History";
      history.title = "This key's artifacts across runs";
      parts.push(history);
    }
    card.header.replaceChildren(...parts);
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const link = target?.closest<HTMLAnchorElement>("a");
    if (link) {
      // Links never navigate the webview; http(s) ones go to the editor to open.
      event.preventDefault();
      const url = safeHttpUrl(link.getAttribute("href") ?? "");
      if (url) this.options.onOpenLink?.(url);
      return;
    }
    const history = target?.closest<HTMLElement>("[data-history-key]");
    if (history?.dataset.historyKey) {
      this.history.open(history.dataset.historyKey);
      this.options.onShowHistory?.(history.dataset.historyKey);
      return;
    }
    const task = target?.closest<HTMLElement>("[data-task-run-id]");
    if (task?.dataset.taskRunId) this.options.onSelectTask?.(task.dataset.taskRunId);
  }
}
