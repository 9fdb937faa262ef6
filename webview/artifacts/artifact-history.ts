// The History of an artifact key in the Artifacts tab: the key's artifacts across runs, newest first (the run that
// made each and when), and below the list the picked one rendered with the same bodies as the run's own cards
// (artifact-body.ts: sanitised markdown, tables, links, progress, images). The newest is picked when the list
// arrives. Opened by a card's History button; the list comes from the extension (artifact-history message).
import type { KeyedArtifact } from "../../protocol/webview/run-view.ts";
import { h } from "../common/dom.ts";
import { formatLocalDateTime } from "../common/time.ts";
import { type ArtifactBody, buildArtifactBody } from "./artifact-body.ts";

export class ArtifactHistory {
  readonly element = h("section", { class: "artifact-history", attrs: { "aria-label": "Artifact history" } });
  private readonly title = h("span", { class: "artifact-history-title" });
  private readonly list = h("div", { class: "artifact-history-list", attrs: { role: "listbox" } });
  private readonly detail = h("div", { class: "artifact-history-detail" });
  private artifacts: KeyedArtifact[] = [];
  private body: ArtifactBody | undefined;
  /** The key whose list is awaited or shown; a late answer for another key is dropped. */
  private key: string | undefined;

  constructor() {
    const close = h("button", { class: "artifact-history-close", attrs: { type: "button" } }, "Close");
    close.addEventListener("click", () => this.close());
    this.list.addEventListener("click", (event) => {
      const row = (event.target as Element | null)?.closest<HTMLElement>("[data-history-index]");
      if (row) this.pick(Number(row.dataset.historyIndex));
    });
    this.element.append(h("div", { class: "artifact-history-header" }, this.title, close), this.list, this.detail);
    this.element.hidden = true;
  }

  /** Shows the key as loading until its list arrives. */
  open(key: string): void {
    this.key = key;
    this.title.textContent = `History of ${key}`;
    this.artifacts = [];
    this.list.replaceChildren(h("div", { class: "artifact-history-note" }, "Loading…"));
    this.clearDetail();
    this.element.hidden = false;
  }

  show(key: string, artifacts: KeyedArtifact[]): void {
    if (key !== this.key) return;
    this.artifacts = artifacts;
    this.list.replaceChildren(
      ...(artifacts.length === 0
        ? [h("div", { class: "artifact-history-note" }, "No artifacts with this key.")]
        : artifacts.map((artifact, index) =>
            h(
              "button",
              {
                class: "artifact-history-row",
                title: artifact.createdAt,
                data: { historyIndex: String(index), flowRunId: artifact.flowRunId },
                attrs: { type: "button", role: "option", "aria-selected": "false" },
              },
              h("span", { class: "artifact-history-run" }, artifact.flowRunName),
              h("span", { class: "artifact-history-type" }, artifact.type),
              h("time", { attrs: { datetime: artifact.createdAt } }, formatLocalDateTime(artifact.createdAt)),
            ),
          )),
    );
    if (artifacts.length > 0) this.pick(0);
  }

  close(): void {
    this.key = undefined;
    this.clearDetail();
    this.element.hidden = true;
  }

  dispose(): void {
    this.clearDetail();
    this.element.remove();
  }

  private pick(index: number): void {
    const artifact = this.artifacts[index];
    if (!artifact) return;
    for (const row of this.list.children) {
      row.setAttribute("aria-selected", String((row as HTMLElement).dataset.historyIndex === String(index)));
    }
    this.clearDetail();
    this.body = buildArtifactBody(artifact);
    this.detail.append(
      ...(artifact.description ? [h("div", { class: "artifact-description" }, artifact.description)] : []),
      this.body.element,
    );
  }

  private clearDetail(): void {
    this.body?.dispose();
    this.body = undefined;
    this.detail.replaceChildren();
  }
}
