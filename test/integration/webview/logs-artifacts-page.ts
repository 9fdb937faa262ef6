// The test page for the logs and artifacts components: logs-artifacts-harness.ts bundled with esbuild as the
// webview bundle is, served to headless Chromium from a made-up origin with the webview's CSP (default-src 'none',
// scripts and styles only by nonce, images only from the page's own origin and data:), and VS Code's theme
// variables for light, dark and high-contrast, as the editor injects them into a webview. Used by the browser tests
// and by `npm run bench -- logs-render`.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import type { Page } from "playwright-core";

export type Theme = "light" | "dark" | "high-contrast";
export const THEMES: Theme[] = ["light", "dark", "high-contrast"];
const ORIGIN = "http://skein-webview.test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The harness bundle, built like dist/webview/main.js (browser, iife, es2022). */
export async function buildLogsArtifactsHarness(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, "test/integration/webview/logs-artifacts-harness.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    absWorkingDir: root,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

const ANSI = ["Black", "Red", "Green", "Yellow", "Blue", "Magenta", "Cyan", "White"];
const ansi = (normal: string[], bright: string[]) =>
  Object.fromEntries(
    ANSI.flatMap((name, i) => [
      [`terminal-ansi${name}`, normal[i]],
      [`terminal-ansiBright${name}`, bright[i]],
    ]),
  );

const COMMON = {
  "font-family": "system-ui, sans-serif",
  "font-size": "13px",
  "editor-font-family": "'DejaVu Sans Mono', monospace",
  "editor-font-size": "12px",
};

// Colours of VS Code's Light+, Dark+ and High Contrast themes, for the variables the components use.
const THEME_VARIABLES: Record<Theme, Record<string, string>> = {
  light: {
    ...COMMON,
    foreground: "#616161",
    descriptionForeground: "#717171",
    "editor-background": "#ffffff",
    "panel-border": "#e5e5e5",
    "input-foreground": "#616161",
    "input-background": "#ffffff",
    "input-border": "#cecece",
    focusBorder: "#0090f1",
    "button-foreground": "#ffffff",
    "button-background": "#007acc",
    "button-secondaryForeground": "#616161",
    "button-secondaryBackground": "#e5e5e5",
    "badge-foreground": "#333333",
    "badge-background": "#c4c4c4",
    "list-hoverBackground": "#e8e8e8",
    "editorWarning-foreground": "#bf8803",
    errorForeground: "#a1260d",
    "textLink-foreground": "#006ab1",
    "textLink-activeForeground": "#006ab1",
    "editor-findMatchHighlightBackground": "rgba(234, 92, 0, 0.33)",
    "editorWidget-background": "#f3f3f3",
    "textCodeBlock-background": "rgba(220, 220, 220, 0.4)",
    "textBlockQuote-border": "rgba(0, 122, 204, 0.5)",
    "textBlockQuote-background": "rgba(127, 127, 127, 0.1)",
    "progressBar-background": "#0e70c0",
    ...ansi(
      ["#000000", "#cd3131", "#00bc00", "#949800", "#0451a5", "#bc05bc", "#0598bc", "#555555"],
      ["#666666", "#cd3131", "#14ce14", "#b5ba00", "#0451a5", "#bc05bc", "#0598bc", "#a5a5a5"],
    ),
  },
  dark: {
    ...COMMON,
    foreground: "#cccccc",
    descriptionForeground: "rgba(204, 204, 204, 0.7)",
    "editor-background": "#1e1e1e",
    "panel-border": "#80808059",
    "input-foreground": "#cccccc",
    "input-background": "#3c3c3c",
    focusBorder: "#007fd4",
    "button-foreground": "#ffffff",
    "button-background": "#0e639c",
    "button-secondaryForeground": "#ffffff",
    "button-secondaryBackground": "#3a3d41",
    "badge-foreground": "#ffffff",
    "badge-background": "#4d4d4d",
    "list-hoverBackground": "#2a2d2e",
    "editorWarning-foreground": "#cca700",
    errorForeground: "#f48771",
    "textLink-foreground": "#3794ff",
    "textLink-activeForeground": "#3794ff",
    "editor-findMatchHighlightBackground": "rgba(234, 92, 0, 0.33)",
    "editorWidget-background": "#252526",
    "textCodeBlock-background": "rgba(10, 10, 10, 0.4)",
    "textBlockQuote-border": "rgba(0, 122, 204, 0.5)",
    "textBlockQuote-background": "rgba(127, 127, 127, 0.1)",
    "progressBar-background": "#0e70c0",
    ...ansi(
      ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5"],
      ["#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#e5e5e5"],
    ),
  },
  "high-contrast": {
    ...COMMON,
    foreground: "#ffffff",
    descriptionForeground: "rgba(255, 255, 255, 0.7)",
    "editor-background": "#000000",
    contrastBorder: "#6fc3df",
    contrastActiveBorder: "#f38518",
    "panel-border": "#6fc3df",
    "input-foreground": "#ffffff",
    "input-background": "#000000",
    "input-border": "#6fc3df",
    focusBorder: "#f38518",
    "button-foreground": "#ffffff",
    "button-background": "#000000",
    "button-border": "#6fc3df",
    "button-secondaryForeground": "#ffffff",
    "button-secondaryBackground": "#000000",
    "badge-foreground": "#ffffff",
    "badge-background": "#000000",
    "list-hoverBackground": "transparent",
    "editorWarning-foreground": "#ffd370",
    errorForeground: "#f48771",
    "textLink-foreground": "#21a6ff",
    "textLink-activeForeground": "#21a6ff",
    "editor-findMatchHighlightBackground": "transparent",
    "editor-findMatchHighlightBorder": "#f38518",
    "editorWidget-background": "#0c141f",
    "textCodeBlock-background": "#000000",
    "textBlockQuote-border": "#ffffff",
    "textBlockQuote-background": "#000000",
    "progressBar-background": "#6fc3df",
    ...ansi(
      ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5"],
      ["#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"],
    ),
  },
};

/**
 * Serves the harness to `page` and opens it. `csp: false` leaves the page without a CSP, so that an XSS test
 * checks the components' own escaping rather than the CSP's second line of defence.
 */
export async function openLogsArtifactsHarness(
  page: Page,
  script: string,
  { theme = "dark", csp = true }: { theme?: Theme; csp?: boolean } = {},
): Promise<void> {
  const nonce = randomBytes(16).toString("base64");
  const variables = Object.entries(THEME_VARIABLES[theme])
    .map(([name, value]) => `--vscode-${name}: ${value};`)
    .join(" ");
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Skein logs and artifacts</title>
<style nonce="${nonce}">
:root { ${variables} }
html, body { margin: 0; height: 100%; background: var(--vscode-editor-background); color: var(--vscode-foreground); }
body { display: grid; grid-template-rows: 420px 1fr; }
#logs, #artifacts { min-height: 0; overflow: hidden; }
</style></head>
<body class="vscode-${theme}"><div id="logs"></div><div id="artifacts"></div>
<script nonce="${nonce}" src="${ORIGIN}/harness.js"></script></body></html>`;
  const headers: Record<string, string> = csp
    ? {
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src ${ORIGIN} data:;`,
      }
    : {};
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === "/harness.js")
      return route.fulfill({ status: 200, contentType: "text/javascript", body: script, headers });
    if (url.pathname === "/") return route.fulfill({ status: 200, contentType: "text/html", body: html, headers });
    return route.fulfill({ status: 404, body: "" });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => "logsHarness" in globalThis);
}

export const HARNESS_ORIGIN = ORIGIN;
