// The built parameter form (Run with parameters…) in headless Chromium, on a test page with the webview's CSP:
// fields generated from the language server's schema of a real flow signature, defaults filled in, required ones
// marked, errors under the fields when the user submits bad values, the values posted once they are good, and
// errors the extension sends back shown per field; the form's origin and the values typed kept in the page's
// state, and shown again by a page that starts with that state (a window reload). Screenshots in
// test-results/webview/parameter-form-*.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { analyseSource } from "../../../language-server/discovery.ts";
import { parameterForm, readParameters } from "../../../protocol/webview/parameter-fields.ts";
import { type ParameterFormOrigin, parseParameterFormState } from "../../../protocol/webview/parameter-form.ts";
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
const origin: ParameterFormOrigin = {
  action: { kind: "run", file: "/ws/flows.ts", exportPath: "etl" },
  title: "etl",
  parameterSchema: flow.parameterSchema,
};

test("the parameter form: defaults, required marks, errors per field, then the values", { skip }, async () => {
  for (const theme of ["light", "dark", "high-contrast"] as const) {
    const view = await openParameterForm(browser, theme);
    const { page } = view;
    await view.send({
      type: "form",
      title: "etl <b>",
      ...form,
      unsupported: [{ name: "client", reason: "a class instance has no JSON form" }],
      origin,
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

test("the page keeps its origin and the values typed in its state; a page started with it shows them", {
  skip,
}, async () => {
  const first = await openParameterForm(browser, "dark");
  const message = { type: "form" as const, title: "etl", ...form, unsupported: [], origin };
  await first.send(message);
  await first.page.locator(".form-field[data-field='date']").waitFor();
  assert.deepEqual(
    parseParameterFormState(await first.savedState()),
    { origin, values: form.values },
    "saved as soon as the form shows: a form nobody typed in comes back too",
  );
  await first.page.locator("#field-date input").fill("2026-12-01");
  await first.page.locator("#field-limit input").fill("25");
  await first.page.locator("#field-ratio input").fill("0.5");
  await first.page.locator("#field-dry").click();
  const saved = parseParameterFormState(await first.savedState());
  assert.ok(saved, "the extension's serializer accepts what the page saved");
  assert.deepEqual(saved.origin, origin);
  assert.deepEqual(
    { date: saved.values.date, limit: saved.values.limit, ratio: saved.values.ratio, dry: saved.values.dry },
    { date: "2026-12-01", limit: "25", ratio: "0.5", dry: true },
  );
  await first.page.close();

  // After a reload the extension builds the form again from the origin (starting values from the schema); the
  // page puts back what was typed.
  const restored = await openParameterForm(browser, "dark", saved);
  await restored.send(message);
  await restored.page.locator(".form-field[data-field='date']").waitFor();
  assert.equal(await restored.page.locator("#field-date input").inputValue(), "2026-12-01");
  assert.equal(await restored.page.locator("#field-limit input").inputValue(), "25");
  assert.equal(await restored.page.evaluate(`document.querySelector("#field-dry").checked`), true);
  await restored.screenshot("parameter-form-restored");
  await restored.page.locator(".form-submit").click();
  await restored.waitForPosted("submit");
  const submitted = (await restored.posted()).at(-1) as unknown as { values: Record<string, string | boolean> };
  assert.deepEqual(readParameters(form.fields, submitted.values), {
    ok: true,
    parameters: { date: "2026-12-01", region: "eu", limit: 25, ratio: 0.5, dry: true, tags: [] },
  });
  assert.deepEqual(await restored.cspViolations(), []);
  await restored.page.close();
});
