// The body of one artifact card, by type: sanitised markdown, a sortable table, a link, a live progress bar or an
// image. Every value from the run is untrusted: text goes in with textContent, only http(s) URLs are offered as
// links (the view's click handler opens them through onOpenLink; nothing navigates), and only data: images are
// drawn, so nothing is fetched from the network.
import type { SnapshotArtifact } from "../../protocol/run-snapshot.ts";
import { isDataImageUrl, safeHttpUrl } from "../common/links.ts";
import { renderMarkdown } from "./markdown.ts";
import { TableView } from "./table-view.ts";

export interface ArtifactBody {
  element: HTMLElement;
  /** Takes the artifact's new data (artifact-updated); false when the body must be built again instead. */
  update(artifact: SnapshotArtifact): boolean;
  dispose(): void;
}

export function buildArtifactBody(artifact: SnapshotArtifact): ArtifactBody {
  switch (artifact.type) {
    case "markdown":
      return staticBody(markdownBody(artifact.data));
    case "table": {
      const table = new TableView(artifact.data);
      return {
        element: table.element,
        update: (next) => {
          table.setData(next.data);
          return true;
        },
        dispose: () => table.dispose(),
      };
    }
    case "link":
      return staticBody(linkBody(artifact.data));
    case "progress":
      return progressBody(artifact);
    case "image":
      return staticBody(imageBody(artifact.data));
    default:
      return staticBody(textBlock(`Unknown artifact type: ${String(artifact.type)}`));
  }
}

function staticBody(element: HTMLElement): ArtifactBody {
  return { element, update: () => false, dispose: () => {} };
}

function markdownBody(data: unknown): HTMLElement {
  const element = document.createElement("div");
  element.className = "artifact-markdown";
  element.append(renderMarkdown(typeof data === "string" ? data : String(data ?? "")));
  return element;
}

/** An http(s) URL as a link element (opened by the view's click handler), anything else as plain text. */
export function linkOrText(url: string, text: string): HTMLElement {
  const safe = safeHttpUrl(url);
  const element = document.createElement(safe ? "a" : "span");
  element.textContent = text || url;
  if (safe) {
    element.setAttribute("href", safe);
    element.title = safe;
  } else {
    element.className = "artifact-unsafe-link";
    element.title = "Only http and https links open";
  }
  return element;
}

function linkBody(data: unknown): HTMLElement {
  const { url, text } = (data ?? {}) as { url?: unknown; text?: unknown };
  const element = document.createElement("div");
  element.className = "artifact-link";
  const urlText = typeof url === "string" ? url : "";
  element.append(linkOrText(urlText, typeof text === "string" ? text : urlText));
  if (typeof text === "string" && text !== urlText) {
    const address = document.createElement("span");
    address.className = "artifact-link-url";
    address.textContent = urlText;
    element.append(address);
  }
  return element;
}

function progressBody(artifact: SnapshotArtifact): ArtifactBody {
  const element = document.createElement("div");
  element.className = "artifact-progress";
  element.setAttribute("role", "progressbar");
  element.setAttribute("aria-valuemin", "0");
  element.setAttribute("aria-valuemax", "100");
  const track = document.createElement("div");
  track.className = "artifact-progress-track";
  const bar = document.createElement("div");
  bar.className = "artifact-progress-bar";
  track.append(bar);
  const label = document.createElement("span");
  label.className = "artifact-progress-label";
  element.append(track, label);
  const show = (data: unknown) => {
    const value = typeof data === "number" && Number.isFinite(data) ? Math.min(100, Math.max(0, data)) : 0;
    bar.style.width = `${value}%`;
    label.textContent = `${Math.round(value * 10) / 10}%`;
    element.setAttribute("aria-valuenow", String(value));
  };
  show(artifact.data);
  const update = (next: SnapshotArtifact) => {
    show(next.data);
    return true;
  };
  return { element, update, dispose: () => {} };
}

function imageBody(data: unknown): HTMLElement {
  const { url } = (data ?? {}) as { url?: unknown };
  const source = typeof url === "string" ? url : "";
  const element = document.createElement("div");
  element.className = "artifact-image";
  if (isDataImageUrl(source)) {
    const image = document.createElement("img");
    image.src = source;
    image.alt = "";
    element.append(image);
  } else {
    // Remote images are not fetched: the user can open the URL.
    element.append(linkOrText(source, source));
  }
  return element;
}

function textBlock(text: string): HTMLElement {
  const element = document.createElement("div");
  element.textContent = text;
  return element;
}
