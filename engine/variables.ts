// Variable: named JSON values kept in the store of SKEIN_HOME, shared by every run and process.
import { SkeinError } from "./errors.ts";
import { getStore } from "./runtime.ts";
import type { VariableStore } from "../store/types.ts";

/** The part of the store this file uses. */
const variableStore = (): VariableStore => getStore();

const NAME = /^[a-z0-9_-]+$/;

function checkName(name: string): void {
  if (!NAME.test(name))
    throw new SkeinError(`Variable name '${name}' must contain only lowercase letters, digits, '_' and '-'`);
}

export const Variable = {
  async get<T = unknown>(name: string, defaultValue?: T): Promise<T | undefined> {
    checkName(name);
    const value = await variableStore().getVariable(name);
    return value === undefined ? defaultValue : (value as T);
  },

  /** Refuses to replace an existing value unless `overwrite` is set, as Prefect does. */
  async set(name: string, value: unknown, options: { overwrite?: boolean } = {}): Promise<void> {
    checkName(name);
    const store = variableStore();
    if (!options.overwrite && (await store.getVariable(name)) !== undefined) {
      throw new SkeinError(
        `Variable '${name}' already exists; to replace it pass { overwrite: true } (from the CLI: skein variable set --overwrite)`,
      );
    }
    await store.setVariable(name, value);
  },

  async unset(name: string): Promise<boolean> {
    checkName(name);
    return variableStore().unsetVariable(name);
  },
};
