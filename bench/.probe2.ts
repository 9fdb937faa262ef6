import fs from "node:fs";
import { parseDocument } from "yaml";
const text = fs.readFileSync("/tmp/skein-probe-yaml/skein.yaml", "utf8");
const variants: Record<string, object> = {
  ours: { prettyErrors: false, uniqueKeys: true, strict: true, merge: true },
  noUnique: { prettyErrors: false, uniqueKeys: false, strict: true, merge: true },
  noMerge: { prettyErrors: false, uniqueKeys: true, strict: true, merge: false },
  noStrict: { prettyErrors: false, uniqueKeys: true, strict: false, merge: true },
  defaults: {},
};
for (let round = 0; round < 3; round++) for (const [n, o] of Object.entries(variants)) {
  for (let i = 0; i < 5; i++) parseDocument(text, o);
  const t = performance.now(); for (let i = 0; i < 30; i++) parseDocument(text, o); console.error(round, n, ((performance.now() - t) / 30).toFixed(1));
}
