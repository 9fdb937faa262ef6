// The built parameter form (Run with parameters…) in headless Chromium, on a test page with the webview's CSP:
// fields generated from the language server's schema of a real flow signature, defaults filled in, required ones
// marked, errors under the fields when the user submits bad values, the values posted once they are good, and
// errors the extension sends back shown per field. Screenshots in test-results/webview/parameter-form-*.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { analyseSource } from "../../../language-server/discovery.ts";
import { parameterForm, readParameters } from "../../../protocol/webview/parameter-fields.ts";
import { CHROMIUM, launch, openParameterForm } from "./run-view-page.ts";

const skip = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
if (skip) console.warn(`SKIPPED parameter form browser tests: ${skip}`);

let browser: Browser;
before(async () => {
  if (!skip) browser = await launch();
});
after(async () => {
  await browser?.close();
});

const [flow] = analyseSource(
  "/ws/flows.ts",
  `import { flow } from "skein";
export const etl = flow(async (date: string, region: "eu" | "us" = "eu", limit = 10, ratio: number,
  dry?: boolean, tags: string[] = [], at?: Date) => 1);`,
).declarations;
const form = parameterForm(flow.parameterSchema);

test("the parameter form: defaults, required marks, errors per field, then the values", { skip }, async () => {
  for (const theme of ["light", "dark", "high-contrast"] as const) {
    const view = await openParameterForm(browser, theme);
    const { page } = view;
    await view.send({
      type: "form",
      title: "etl <b>",
      ...form,
      unsupported: [{ name: "client", reason: "a class instance has no JSON form" }],
    });
    await page.locator(".form-field[data-field='at']").waitFor();
    assert.equal(await page.locator(".form-title").textContent(), "Parameters for etl <b>");
    // Page-side code as strings: this file is type-checked without the DOM library.
    assert.deepEqual(
      await page.evaluate(`[...document.querySelectorAll(".form-field:has(.required)")].map((f) => f.dataset.field)`),
      ["date", "ratio"],
    );
    assert.equal(await page.evaluate(`document.querySelector("#field-limit").value`), "10");
    // A toolkit select takes its options (and the selected one) on its next render.
    let region: unknown;
    for (let attempt = 0; attempt < 100 && region !== '"eu"'; attempt++) {
      region = await page.evaluate(`document.querySelector("#field-region").value`);
      if (region !== '"eu"') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(region, '"eu"');
    assert.match((await page.locator(".form-note").textContent()) ?? "", /client \(a class instance/);

    await page.locator("#field-ratio input").fill("lots");
    await page.locator("#field-tags textarea").fill('["a", ');
    await page.locator(".form-submit").click();
    const errorOf = (name: string) => page.locator(`.form-field[data-field='${name}'] .field-error`).textContent();
    assert.equal(await errorOf("date"), "Required.");
    assert.equal(await errorOf("ratio"), "Not a number.");
    assert.match((await errorOf("tags")) ?? "", /^Not JSON/);
    assert.equal(await page.locator(".field-error:not([hidden])").count(), 3);
    assert.deepEqual(
      (await view.posted()).map((message) => message.type),
      ["ready"],
      "nothing is submitted while a field is wrong",
    );
    await view.screenshot(`parameter-form-errors-${theme}`);

    await page.locator("#field-date input").fill("2026-11-30");
    await page.locator("#field-ratio input").fill("0.5");
    await page.locator("#field-tags textarea").fill('["a", "b"]');
    await page.locator("#field-dry").click();
    await page.locator(".form-submit").click();
    await view.waitForPosted("submit");
    const submitted = (await view.posted()).at(-1) as unknown as { values: Record<string, string | boolean> };
    assert.deepEqual(readParameters(form.fields, submitted.values), {
      ok: true,
      parameters: { date: "2026-11-30", region: "eu", limit: 10, ratio: 0.5, dry: true, tags: ["a", "b"] },
    });
    assert.equal(await page.locator(".field-error:not([hidden])").count(), 0);

    // The extension's own check (the schema) answers with errors per field, and for the whole.
    await view.send({ type: "errors", errors: { at: 'must match format "date-time"', "": "Something else." } });
    await page.locator(".form-field[data-field='at'] .field-error", { hasText: "date-time" }).waitFor();
    assert.equal(await errorOf("at"), 'must match format "date-time"');
    assert.equal(await page.locator(".form-error").textContent(), "Something else.");
    await view.screenshot(`parameter-form-${theme}`);

    await page.locator(".form-cancel").click();
    assert.equal((await view.posted()).at(-1)?.type, "cancel");
    assert.deepEqual(await view.compromised(), []);
    assert.deepEqual(await view.cspViolations(), []);
    await page.close();
  }
});
