// Secret: strings encrypted at rest with AES-256-GCM under a key file in SKEIN_HOME (created on first use, mode
// 0600). A secret read or written by this process is masked as **** in logs and artifacts.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SkeinError } from "./errors.ts";
import { registerSecretValue } from "./masking.ts";
import { skeinHome } from "../client/home.ts";
import { getStore } from "./runtime.ts";
import type { SecretStore } from "../store/types.ts";

/** The part of the store this file uses. */
const secretStore = (): SecretStore => getStore();

const KEY_FILE = "secret.key";

function secretKey(): Buffer {
  const file = path.join(skeinHome(), KEY_FILE);
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    // Another process created it first: use theirs.
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  }
}

export function encryptSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

export function decryptSecret(name: string, ciphertext: string): string {
  const [version, iv, tag, body] = ciphertext.split(":");
  if (version !== "v1") throw new SkeinError(`Secret '${name}' has an unknown format`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", secretKey(), Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new SkeinError(
      `Secret '${name}' cannot be decrypted with ${path.join(skeinHome(), KEY_FILE)} (was the key file replaced?)`,
    );
  }
}

export const Secret = {
  async get(name: string): Promise<string> {
    const ciphertext = await secretStore().getSecret(name);
    if (ciphertext === undefined)
      throw new SkeinError(`No secret named '${name}' (create it with Secret.set or 'skein secret set ${name}')`);
    const value = decryptSecret(name, ciphertext);
    registerSecretValue(value);
    return value;
  },

  async set(name: string, value: string): Promise<void> {
    if (!/^[a-z0-9_-]+$/.test(name))
      throw new SkeinError(`Secret name '${name}' must contain only lowercase letters, digits, '_' and '-'`);
    registerSecretValue(value);
    await secretStore().setSecret(name, encryptSecret(value));
  },

  async unset(name: string): Promise<boolean> {
    return secretStore().unsetSecret(name);
  },
};
