// Headless Debian Chromium for driving VS Code's web UI, started with the flags this offline machine needs
// (no background networking, which the closed network would refuse connection by connection).
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

export async function launchBrowser(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(outDir, "chromium-")), {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function workbenchUrl(base, folder, payload) {
  const query = new URLSearchParams({ folder });
  if (payload) query.set("payload", JSON.stringify(payload));
  return `${base}/?${query}`;
}

export function stopwatch() {
  const start = Date.now();
  return (message) => console.log(`[${((Date.now() - start) / 1000).toFixed(1)}s] ${message}`);
}

/** Opens a workspace file through Quick Open, as a person would, and waits until the editor shows `expectedText`. */
export async function openWithQuickOpen(page, fileName, expectedText) {
  // Quick Open's file search sometimes answers nothing on a loaded machine, or the keys reach a focused webview:
  // close it and ask again, as a person would.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("Control+P");
    await page.locator(".quick-input-widget input").waitFor();
    await page.keyboard.type(fileName);
    try {
      await page
        .locator(".quick-input-list .monaco-list-row", { hasText: fileName })
        .first()
        .waitFor({ timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press("Escape");
      await page
        .locator(".monaco-workbench .part.editor")
        .first()
        .click({ position: { x: 5, y: 5 } })
        .catch(() => {});
    }
  }
  await page.keyboard.press("Enter");
  // The file may be open in another editor group as well (a restored window).
  await page.locator(".monaco-editor .view-lines", { hasText: expectedText }).first().waitFor();
}
