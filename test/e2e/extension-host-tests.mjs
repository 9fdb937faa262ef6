// Runs the extension's integration tests (dist/test/index.js) inside VS Code's real extension host, the way
// @vscode/test-web does: the workbench URL's payload names the development extension and its tests, and the
// smoke-test driver hands the tests' exit code to window.codeAutomationExit.
// Usage: node extension-host-tests.mjs <baseUrl> <workspaceFolder> <extensionPath> <outDir>
import { format } from "node:util";
import { launchBrowser, workbenchUrl, stopwatch } from "./browser.mjs";

const [base, folder, extensionPath, outDir] = process.argv.slice(2);
const authority = new URL(base).host;
const remote = (p) => `vscode-remote://${authority}${p}`;
const lap = stopwatch();
// Workbench chatter that says nothing about our tests.
const noise =
  /AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|open-vsx|authentication provider|Creating a socket|connection token|grace time|builtin extensions cache/;

const { context, page } = await launchBrowser(outDir);
let exit;
const exited = new Promise((resolve) => (exit = resolve));
await page.exposeFunction("codeAutomationLog", (type, args) => {
  const line = format(...(args ?? []));
  if (!noise.test(line)) console.log(`[extension host ${type}] ${line}`);
});
await page.exposeFunction("codeAutomationExit", (code) => exit(code));
await page.goto(
  workbenchUrl(base, folder, [
    ["extensionDevelopmentPath", remote(extensionPath)],
    ["extensionTestsPath", remote(`${extensionPath}/dist/test/index.js`)],
  ]),
);
lap("workbench opened with the development extension and its tests");
const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 300_000))]);
lap(`extension-host tests ended: ${code}`);
await page.screenshot({ path: `${outDir}/extension-host-tests.png` }).catch(() => {});
await context.close();
process.exit(code === 0 ? 0 : 1);
