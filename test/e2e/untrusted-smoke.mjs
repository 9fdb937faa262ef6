// Workspace Trust: in a folder the user has not trusted (Restricted Mode), Skein stays off: no flow lenses,
// so nothing in the workspace can be run from the editor.
// Usage: node untrusted-smoke.mjs <baseUrl> <workspaceFolder> <outDir>
import { launchBrowser, openWithQuickOpen, workbenchUrl, stopwatch } from "./browser.mjs";

const [base, folder, outDir] = process.argv.slice(2);
const lap = stopwatch();
const { context, page } = await launchBrowser(outDir);
let passed = 0;
try {
  await page.goto(workbenchUrl(base, folder));
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  // With the smoke-test driver VS Code does not prompt: a folder nobody trusted opens straight in Restricted Mode.
  await page.locator(".statusbar-item", { hasText: "Restricted Mode" }).waitFor({ timeout: 30_000 });
  lap("ok - the folder opened in Restricted Mode");
  passed++;
  await openWithQuickOpen(page, "hello.ts", "export const hello");
  // The trusted run shows the lens within a few seconds; give Restricted Mode ample time to prove it never does.
  await page.waitForTimeout(10_000);
  const lenses = await page.locator(".codelens-decoration", { hasText: "Run" }).count();
  if (lenses !== 0) throw new Error(`Skein put ${lenses} Run lens(es) in an untrusted workspace`);
  lap("ok - no Skein lens in the untrusted workspace");
  passed++;
  await page.screenshot({ path: `${outDir}/untrusted-workspace.png` });
} catch (error) {
  await page.screenshot({ path: `${outDir}/untrusted-failure.png` }).catch(() => {});
  console.log(`not ok - ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  console.log(`untrusted-smoke: ${passed} passed, ${process.exitCode ? 1 : 0} failed`);
}
