// Run names: generated ones for unnamed runs ("crimson-otter") and templates such as "process-{date}".
import { randomInt } from "node:crypto";
import { SkeinError } from "./errors.ts";
import { safeJsonText } from "./results/safe-json.ts";

const ADJECTIVES = [
  "amber",
  "bold",
  "brave",
  "calm",
  "crimson",
  "daring",
  "eager",
  "fancy",
  "gentle",
  "golden",
  "hidden",
  "icy",
  "jolly",
  "keen",
  "lively",
  "lucky",
  "mellow",
  "misty",
  "nimble",
  "olive",
  "proud",
  "quiet",
  "rapid",
  "rustic",
  "silver",
  "smart",
  "sunny",
  "swift",
  "tidy",
  "urban",
  "vivid",
  "witty",
  "zesty",
  "cobalt",
  "dusty",
  "fiery",
];
const ANIMALS = [
  "otter",
  "badger",
  "beaver",
  "bison",
  "crane",
  "dingo",
  "eagle",
  "falcon",
  "ferret",
  "gecko",
  "heron",
  "ibis",
  "jackal",
  "koala",
  "lemur",
  "lynx",
  "marmot",
  "newt",
  "ocelot",
  "panda",
  "quail",
  "raven",
  "salmon",
  "tapir",
  "toucan",
  "urchin",
  "viper",
  "walrus",
  "wombat",
  "yak",
  "zebra",
  "moose",
  "puffin",
  "orca",
  "mole",
  "hare",
];

export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}

export type RunNameSpec = string | ((parameters: Record<string, unknown>) => string);

/** Fills `{name}` placeholders from the run's parameters; an unknown placeholder is an error naming it. */
export function renderRunName(spec: RunNameSpec, parameters: Record<string, unknown>, what: string): string {
  if (typeof spec === "function") return String(spec(parameters));
  return spec.replace(/\{([^{}]+)\}/g, (_, key: string) => {
    const name = key.trim();
    if (!(name in parameters)) {
      const known = Object.keys(parameters);
      throw new SkeinError(
        `${what} name template '${spec}' uses {${name}}, which is not a parameter` +
          (known.length ? ` (parameters: ${known.join(", ")})` : " (it has no parameters)"),
      );
    }
    const value = parameters[name];
    return typeof value === "object" && value !== null ? safeJsonText(value) : String(value);
  });
}
