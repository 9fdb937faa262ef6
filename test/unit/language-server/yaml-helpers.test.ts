import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { closestNames, didYouMeanText } from "../../../protocol/closest-names.ts";
import { HttpWorkPoolDirectory } from "../../../language-server/work-pools.ts";
import { cursorAt } from "../../../language-server/yaml/yaml-cursor.ts";

describe("closest names", () => {
  it("suggests near misses, closest first, and nothing for unrelated names", () => {
    assert.deepEqual(closestNames("etll", ["etl", "report", "nightly"]), ["etl"]);
    assert.deepEqual(closestNames("zzzzzz", ["etl", "report"]), []);
    assert.equal(didYouMeanText(closestNames("windw", ["window", "date"])), " Did you mean 'window'?");
    assert.equal(didYouMeanText(["a", "b", "c"]), " Did you mean 'a', 'b' or 'c'?");
    assert.equal(didYouMeanText([]), "");
  });
});

describe("the cursor in a half-typed skein.yaml", () => {
  const text =
    "deployments:\n  - name: a\n    entrypoint: flows/e\n    parameters:\n      da\n    work_pool:\n      name: \n";
  it("knows the enclosing keys and whether a value is being typed", () => {
    assert.deepEqual(cursorAt(text, { line: 2, character: 23 }), {
      parents: ["deployments"],
      key: "entrypoint",
      inValue: true,
      word: "flows/e",
      wordRange: { start: { line: 2, character: 16 }, end: { line: 2, character: 23 } },
    });
    const parameter = cursorAt(text, { line: 4, character: 8 });
    assert.deepEqual(
      [parameter.parents, parameter.inValue, parameter.word],
      [["deployments", "parameters"], false, "da"],
    );
    const pool = cursorAt(text, { line: 6, character: 12 });
    assert.deepEqual(
      [pool.parents, pool.key, pool.inValue, pool.word],
      [["deployments", "work_pool"], "name", true, ""],
    );
    assert.deepEqual(cursorAt(text, { line: 1, character: 6 }).parents, ["deployments"]);
  });
});

describe("work pools from a Skein server", () => {
  const serve = async (handler: http.RequestListener) => {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };

  it("reads pool names from GET /api/work-pools", async () => {
    const { server, url } = await serve((request, response) =>
      response.end(request.url === "/api/work-pools" ? `[{"name":"a"},"b"]` : "nope"),
    );
    assert.deepEqual(await new HttpWorkPoolDirectory(() => url).names(), ["a", "b"]);
    server.close();
  });

  it("gives no answer, with a reason, when the server is unset, failing or unreachable", async () => {
    const unset = new HttpWorkPoolDirectory(() => undefined);
    assert.equal(await unset.names(), undefined);
    assert.match(
      unset.unavailableReason,
      /no Skein server is running \(start one with `skein server start`, or set SKEIN_API_URL\)/,
    );

    const { server, url } = await serve((_, response) => {
      response.statusCode = 500;
      response.end();
    });
    const failing = new HttpWorkPoolDirectory(() => url);
    assert.equal(await failing.names(), undefined);
    assert.match(failing.unavailableReason, /answered 500/);
    server.close();

    const odd = await serve((_, response) => response.end(`{"pools": 1}`));
    const strange = new HttpWorkPoolDirectory(() => odd.url);
    assert.equal(await strange.names(), undefined);
    assert.match(strange.unavailableReason, /does not understand/);
    odd.server.close();

    const closed = new HttpWorkPoolDirectory(() => "http://127.0.0.1:9");
    assert.equal(await closed.names(), undefined);
    assert.match(closed.unavailableReason, /not reachable/);
  });
});
