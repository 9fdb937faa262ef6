import { test } from "node:test";
import assert from "node:assert/strict";
import { checkBindRule, isLoopbackHost, requestKey } from "../../../server/auth.ts";

test("loopback addresses are recognised; others are not", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"])
    assert.equal(isLoopbackHost(host), true, host);
  for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "128.0.0.1"])
    assert.equal(isLoopbackHost(host), false, host);
});

test("binding beyond loopback needs an API key", () => {
  assert.doesNotThrow(() => checkBindRule("127.0.0.1", undefined));
  assert.throws(() => checkBindRule("0.0.0.0", undefined), /SKEIN_API_KEY/);
  assert.doesNotThrow(() => checkBindRule("0.0.0.0", "secret"));
});

test("the key is read from a bearer token or X-Api-Key", () => {
  assert.equal(requestKey({ authorization: "Bearer k1" }), "k1");
  assert.equal(requestKey({ "x-api-key": "k2" }), "k2");
  assert.equal(requestKey({ authorization: "Basic abc" }), undefined);
  assert.equal(requestKey({ authorization: "bearer k3" }), "k3", "the scheme is case-insensitive (RFC 9110)");
  assert.equal(requestKey({ authorization: "BEARER k4" }), "k4");
});
