// Entry of the integration tests that run inside VS Code's real extension host (extensionTestsPath).
// The test files are bundled into this module; each registers its suites once mocha's globals exist.
import Mocha from "mocha";

export function run(): Promise<void> {
  // SKEIN_E2E_GREP (in the environment of VS Code's server) runs only the tests whose titles match it.
  const grep = process.env.SKEIN_E2E_GREP || undefined;
  const mocha = new Mocha({ ui: "bdd", timeout: 90_000, color: false, reporter: "spec", grep });
  mocha.suite.emit("pre-require", globalThis, "extension-host", mocha);
  require("./flows.test.ts");
  require("./runs.test.ts");
  require("./fix-commands.test.ts");
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      // A plain closing line that CI reads whatever the runner.
      console.log(`extension-host: ${mocha.suite.total() - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
