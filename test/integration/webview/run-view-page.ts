// Loads the built run view (or the parameter form) from dist/webview in headless Chromium on a page served as a webview would be: the same
// HTML and CSP as the extension gives it (extension/panels/run-view-html.ts), acquireVsCodeApi faked to record
// what the page posts, and VS Code's theme variables and body classes for light, dark and high-contrast.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { runViewHtml } from "../../../extension/panels/run-view-html.ts";
import { webviewHtml } from "../../../extension/panels/webview-html.ts";
import type { ParameterFormMessage } from "../../../protocol/webview/parameter-form.ts";
import type { RunViewMessage } from "../../../protocol/webview/run-view.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.join(root, "test-results", "webview");
const ORIGIN = "https://webview.test";

export type Theme = "light" | "dark" | "high-contrast";

/** A few of the variables VS Code sets on a webview's <html>, with the values of its default themes. */
const THEMES: Record<Theme, { bodyClass: string; variables: Record<string, string> }> = {
  light: {
    bodyClass: "vscode-light",
    variables: {
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      foreground: "#3b3b3b",
      "editor-background": "#ffffff",
      descriptionForeground: "#717171",
      "panel-border": "#e5e5e5",
      "badge-background": "#cccccc",
      "badge-foreground": "#3b3b3b",
      "testing-iconPassed": "#388a34",
      "testing-iconFailed": "#c72e0f",
      "charts-blue": "#1a85ff",
      "charts-yellow": "#bf8803",
      disabledForeground: "#616161",
      "button-background": "#005fb8",
      "button-foreground": "#ffffff",
      "button-secondaryBackground": "#e5e5e5",
      "button-secondaryForeground": "#3b3b3b",
      "input-background": "#ffffff",
      "input-foreground": "#3b3b3b",
      "input-border": "#cecece",
      focusBorder: "#005fb8",
      "textLink-foreground": "#005fb8",
      errorForeground: "#f85149",
      "textCodeBlock-background": "#f8f8f8",
      "editorWidget-background": "#f8f8f8",
      "settings-headerBorder": "#e5e5e5",
      "panelTitle-activeForeground": "#3b3b3b",
      "panelTitle-activeBorder": "#005fb8",
      "panelTitle-inactiveForeground": "#3b3b3b",
      "dropdown-background": "#ffffff",
      "dropdown-border": "#cecece",
      "dropdown-foreground": "#3b3b3b",
      // The toolkit's inputs, selects and checkboxes take these (VS Code sets them on every webview).
      "settings-textInputBackground": "#ffffff",
      "settings-textInputForeground": "#3b3b3b",
      "settings-textInputBorder": "#cecece",
      "settings-dropdownBackground": "#ffffff",
      "settings-dropdownForeground": "#3b3b3b",
      "settings-dropdownBorder": "#cecece",
      "settings-checkboxBackground": "#f8f8f8",
      "settings-checkboxForeground": "#3b3b3b",
      "settings-checkboxBorder": "#cecece",
      "diffEditor-insertedTextBackground": "#9ccc2c40",
      "inputValidation-errorBorder": "#be1100",
      "inputValidation-errorBackground": "#f2dede",
    },
  },
  dark: {
    bodyClass: "vscode-dark",
    variables: {
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      foreground: "#cccccc",
      "editor-background": "#1f1f1f",
      descriptionForeground: "#9d9d9d",
      "panel-border": "#2b2b2b",
      "badge-background": "#616161",
      "badge-foreground": "#f8f8f8",
      "testing-iconPassed": "#73c991",
      "testing-iconFailed": "#f14c4c",
      "charts-blue": "#3794ff",
      "charts-yellow": "#cca700",
      disabledForeground: "#8c8c8c",
      "button-background": "#0078d4",
      "button-foreground": "#ffffff",
      "button-secondaryBackground": "#313131",
      "button-secondaryForeground": "#cccccc",
      "input-background": "#313131",
      "input-foreground": "#cccccc",
      "input-border": "#3c3c3c",
      focusBorder: "#0078d4",
      "textLink-foreground": "#4daafc",
      errorForeground: "#f85149",
      "textCodeBlock-background": "#2b2b2b",
      "editorWidget-background": "#202020",
      "settings-headerBorder": "#2b2b2b",
      "panelTitle-activeForeground": "#cccccc",
      "panelTitle-activeBorder": "#0078d4",
      "panelTitle-inactiveForeground": "#9d9d9d",
      "dropdown-background": "#313131",
      "dropdown-border": "#3c3c3c",
      "dropdown-foreground": "#cccccc",
      "settings-textInputBackground": "#313131",
      "settings-textInputForeground": "#cccccc",
      "settings-textInputBorder": "#3c3c3c",
      "settings-dropdownBackground": "#313131",
      "settings-dropdownForeground": "#cccccc",
      "settings-dropdownBorder": "#3c3c3c",
      "settings-checkboxBackground": "#313131",
      "settings-checkboxForeground": "#cccccc",
      "settings-checkboxBorder": "#3c3c3c",
      "diffEditor-insertedTextBackground": "#9ccc2c33",
      "inputValidation-errorBorder": "#be1100",
      "inputValidation-errorBackground": "#5a1d1d",
    },
  },
  "high-contrast": {
    bodyClass: "vscode-high-contrast",
    variables: {
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      foreground: "#ffffff",
      "editor-background": "#000000",
      descriptionForeground: "#ffffff",
      contrastBorder: "#6fc3df",
      "panel-border": "#6fc3df",
      "badge-background": "#000000",
      "badge-foreground": "#ffffff",
      "testing-iconPassed": "#73c991",
      "testing-iconFailed": "#f14c4c",
      "charts-blue": "#3794ff",
      "charts-yellow": "#ffd700",
      disabledForeground: "#a5a5a5",
      "button-background": "#000000",
      "button-foreground": "#ffffff",
      "button-border": "#6fc3df",
      "button-secondaryBackground": "#000000",
      "button-secondaryForeground": "#ffffff",
      "input-background": "#000000",
      "input-foreground": "#ffffff",
      "input-border": "#6fc3df",
      focusBorder: "#f38518",
      "textLink-foreground": "#21a6ff",
      errorForeground: "#f48771",
      "textCodeBlock-background": "#000000",
      "editorWidget-background": "#0c141f",
      "settings-headerBorder": "#6fc3df",
      "panelTitle-activeForeground": "#ffffff",
      "panelTitle-activeBorder": "#6fc3df",
      "panelTitle-inactiveForeground": "#ffffff",
      "dropdown-background": "#000000",
      "dropdown-border": "#6fc3df",
      "dropdown-foreground": "#ffffff",
      "settings-textInputBackground": "#000000",
      "settings-textInputForeground": "#ffffff",
      "settings-textInputBorder": "#6fc3df",
      "settings-dropdownBackground": "#000000",
      "settings-dropdownForeground": "#ffffff",
      "settings-dropdownBorder": "#6fc3df",
      "settings-checkboxBackground": "#000000",
      "settings-checkboxForeground": "#ffffff",
      "settings-checkboxBorder": "#6fc3df",
      "diffEditor-insertedTextBackground": "#00000000",
      "inputValidation-errorBorder": "#6fc3df",
      "inputValidation-errorBackground": "#000000",
    },
  },
};

export interface RunViewPage {
  page: Page;
  /** Posts a message to the page as the extension would. */
  send(message: RunViewMessage | ParameterFormMessage): Promise<void>;
  /** Waits until the page has posted a message of this type (for this flow run). */
  waitForPosted(type: string, flowRunId?: string): Promise<void>;
  /** What the page saved with setState. */
  savedState(): Promise<unknown>;
  /** Picks a value in a toolkit select, as a user would. */
  choose(selector: string, value: string): Promise<void>;
  /** Elements of the page's own DOM (not the toolkit's shadow roots) matching a selector, as HTML. */
  lightDomMatches(selector: string): Promise<string[]>;
  /** What the page posted to the extension so far. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  /** What the CSP blocked (nothing, when the page and the toolkit keep to it). */
  cspViolations(): Promise<string[]>;
  /** Set by any XSS payload that ran, or by a dialog that opened. */
  compromised(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

/** Opens the run view page; `withCsp: false` drops the CSP, to check the rendering itself is text-only. */
export async function openRunView(
  browser: Browser,
  theme: Theme,
  options: { withCsp?: boolean } = {},
): Promise<RunViewPage> {
  let html = runViewHtml({
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/main.js`,
    styleUri: `${ORIGIN}/main.css`,
    workerUri: `${ORIGIN}/graph-layout-worker.js`,
  });
  if (options.withCsp === false) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  return openWebviewPage(browser, theme, html);
}

/**
 * Opens the parameter form page (Run with parameters…) the same way; send it ParameterFormMessages. `savedState`
 * is what VS Code hands a page that starts again (its earlier setState), as after a window reload.
 */
export function openParameterForm(browser: Browser, theme: Theme, savedState?: unknown): Promise<RunViewPage> {
  const html = webviewHtml(
    { cspSource: ORIGIN, scriptUri: `${ORIGIN}/parameter-form.js`, styleUri: `${ORIGIN}/parameter-form.css` },
    "parameter-form",
  );
  return openWebviewPage(browser, theme, html, savedState);
}

async function openWebviewPage(
  browser: Browser,
  theme: Theme,
  html: string,
  savedState?: unknown,
): Promise<RunViewPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const { bodyClass, variables } = THEMES[theme];
  // A string, not a function: the test runner's transpiler would add helpers the page does not have.
  await page.addInitScript(`
    window.__state = ${JSON.stringify(savedState)};
    window.__posted = [];
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__posted.push(message),
      setState: (state) => { window.__state = state; },
      getState: () => window.__state,
    });
    document.addEventListener("DOMContentLoaded", () => {
      document.body.classList.add(${JSON.stringify(bodyClass)});
      for (const [name, value] of Object.entries(${JSON.stringify(variables)}))
        document.documentElement.style.setProperty("--vscode-" + name, value);
    });
  `);
  const requested: string[] = [];
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    requested.push(url.href);
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === "/") return route.fulfill({ contentType: "text/html", body: html });
    const file = path.join(root, "dist", "webview", path.basename(url.pathname));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: "" });
    const contentType = file.endsWith(".css") ? "text/css" : "text/javascript";
    return route.fulfill({ contentType, body: fs.readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/`);
  // Page-side code is passed as strings: this file is type-checked without the DOM library, and the test
  // runner's transpiler would add helpers the page does not have.
  // page.waitForFunction retries its predicate through eval, which the page's CSP refuses: poll evaluate instead.
  const until = async (expression: string, what: string) => {
    for (let attempt = 0; attempt < 300; attempt++) {
      if (await page.evaluate(expression)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting until ${what}`);
  };
  const waitForPosted = async (type: string, flowRunId?: string) => {
    await until(
      `window.__posted.some((m) => m.type === ${JSON.stringify(type)}${flowRunId ? ` && m.flowRunId === ${JSON.stringify(flowRunId)}` : ""})`,
      `the page posts ${type}`,
    );
  };
  await waitForPosted("ready");
  return {
    page,
    send: async (message) => {
      await page.evaluate(`window.postMessage(${JSON.stringify(message)}, "*")`);
    },
    waitForPosted,
    savedState: () => page.evaluate("window.__state"),
    choose: async (selector, value) => {
      // A toolkit select learns its options on its next render: choose once the option is taken.
      await until(
        `(() => {
        const select = document.querySelector(${JSON.stringify(selector)});
        select.value = ${JSON.stringify(value)};
        if (select.value !== ${JSON.stringify(value)}) return false;
        select.dispatchEvent(new Event("change"));
        return true;
      })()`,
        `${selector} takes ${value}`,
      );
    },
    lightDomMatches: (selector) =>
      page.evaluate(
        `[...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => element.outerHTML.slice(0, 120))`,
      ),
    cspViolations: () => page.evaluate("window.__cspViolations"),
    posted: () => page.evaluate("window.__posted"),
    compromised: async () => {
      const flags = (await page.evaluate(
        "[window.__xss, window.parent.__xss].filter((flag) => flag !== undefined).map(String)",
      )) as string[];
      const remote = requested.filter((url) => !url.startsWith(ORIGIN));
      return [...flags, ...dialogs, ...remote.map((url) => `request: ${url}`)];
    },
    screenshot: async (name) => {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}
