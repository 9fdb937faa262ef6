// A test page for the task graph in headless Chromium: bundles webview/graph/task-graph.ts with the snapshot
// fixtures for the browser (as `window.SkeinGraph`), serves it over local HTTP with the built layout worker
// (dist/webview/graph-layout-worker.js, so `npm run build` first), and sets the CSS variables VS Code sets for its
// light, dark and high-contrast themes. Used by the graph's integration test and by `npm run bench -- graph-render`.
import * as esbuild from "esbuild";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const workerFile = path.join(root, "dist/webview/graph-layout-worker.js");

export type ThemeKind = "light" | "dark" | "high-contrast";

/** A subset of what VS Code sets on a webview's root element, with its default themes' values. */
const THEMES: Record<ThemeKind, { bodyClass: string; variables: Record<string, string> }> = {
  light: {
    bodyClass: "vscode-light",
    variables: {
      "editor-background": "#ffffff",
      "editor-foreground": "#3b3b3b",
      "editorWidget-background": "#f8f8f8",
      descriptionForeground: "#717171",
      "editorIndentGuide-activeBackground1": "#939393",
      "editorIndentGuide-background1": "#d3d3d3",
      focusBorder: "#005fb8",
      "editor-findMatchHighlightBackground": "#ea5c0055",
      "testing-iconPassed": "#388a34",
      "testing-iconFailed": "#f14c4c",
      "testing-iconErrored": "#f14c4c",
      "testing-iconQueued": "#cca700",
      "testing-iconSkipped": "#848484",
      "charts-blue": "#1a85ff",
      "charts-yellow": "#bf8803",
      "charts-orange": "#d18616",
      "font-family": "system-ui, 'Segoe UI', sans-serif",
    },
  },
  dark: {
    bodyClass: "vscode-dark",
    variables: {
      "editor-background": "#1f1f1f",
      "editor-foreground": "#cccccc",
      "editorWidget-background": "#202020",
      descriptionForeground: "#9d9d9d",
      "editorIndentGuide-activeBackground1": "#707070",
      "editorIndentGuide-background1": "#404040",
      focusBorder: "#0078d4",
      "editor-findMatchHighlightBackground": "#ea5c0055",
      "testing-iconPassed": "#73c991",
      "testing-iconFailed": "#f14c4c",
      "testing-iconErrored": "#f14c4c",
      "testing-iconQueued": "#cca700",
      "testing-iconSkipped": "#848484",
      "charts-blue": "#3794ff",
      "charts-yellow": "#cca700",
      "charts-orange": "#d18616",
      "font-family": "system-ui, 'Segoe UI', sans-serif",
    },
  },
  "high-contrast": {
    bodyClass: "vscode-high-contrast",
    variables: {
      "editor-background": "#000000",
      "editor-foreground": "#ffffff",
      "editorWidget-background": "#0c141f",
      descriptionForeground: "#ffffff",
      "editorIndentGuide-activeBackground1": "#ffffff",
      "editorIndentGuide-background1": "#7c7c7c",
      focusBorder: "#f38518",
      contrastBorder: "#6fc3df",
      "editor-findMatchBorder": "#f38518",
      "testing-iconPassed": "#73c991",
      "testing-iconFailed": "#f14c4c",
      "testing-iconErrored": "#f14c4c",
      "testing-iconQueued": "#cca700",
      "testing-iconSkipped": "#848484",
      "charts-blue": "#3794ff",
      "charts-yellow": "#ffd700",
      "charts-orange": "#f38518",
      "font-family": "system-ui, 'Segoe UI', sans-serif",
    },
  },
};

export function themeCss(kind: ThemeKind): string {
  const { variables } = THEMES[kind];
  return Object.entries(variables)
    .map(([name, value]) => `--vscode-${name}: ${value};`)
    .join(" ");
}

const HARNESS_ENTRY = `
import { TaskGraph } from "./webview/graph/task-graph.ts";
import * as fixtures from "./test/fixtures/webview/graph-snapshots.ts";
import { RunSnapshotReducer } from "./protocol/run-snapshot.ts";
window.SkeinGraph = { TaskGraph, RunSnapshotReducer, ...fixtures };
`;

function page(kind: ThemeKind): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  html, body { margin: 0; height: 100%; }
  body { ${themeCss(kind)} background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }
  #graph { position: absolute; inset: 0; }
</style></head><body class="${THEMES[kind].bodyClass}"><div id="graph"></div>
<script src="/graph-harness.js"></script></body></html>`;
}

export interface GraphPage {
  page: Page;
  /** Opens the test page in a theme (a fresh document, no graph yet). */
  open(kind: ThemeKind): Promise<void>;
  close(): Promise<void>;
}

export async function startGraphPage(): Promise<GraphPage> {
  if (!fs.existsSync(workerFile)) throw new Error(`${workerFile} is missing: run npm run build first`);
  const bundle = await esbuild.build({
    stdin: { contents: HARNESS_ENTRY, resolveDir: root, loader: "ts", sourcefile: "graph-harness.ts" },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
  });
  const harness = bundle.outputFiles[0].text;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { "content-type": type });
      response.end(body);
    };
    if (url.pathname === "/graph-harness.js") send("text/javascript", harness);
    else if (url.pathname === "/graph-layout-worker.js") send("text/javascript", fs.readFileSync(workerFile));
    else if (url.pathname === "/") send("text/html", page((url.searchParams.get("theme") as ThemeKind) ?? "dark"));
    else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  const browserPage = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  browserPage.on("pageerror", (error) => console.error("page error:", error));
  return {
    page: browserPage,
    async open(kind) {
      await browserPage.goto(`${base}/?theme=${kind}`);
      await browserPage.waitForFunction("'SkeinGraph' in window");
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
