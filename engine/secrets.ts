// Secret: strings encrypted at rest with AES-256-GCM under a key file in SKEIN_HOME (created on first use, mode
// 0600), each bound to its name. A secret read or written by this process is masked as **** in everything the
// process writes out (engine/masking.ts).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SkeinError } from "./errors.ts";
import { registerSecretValue } from "./masking.ts";
import { ensureHome, skeinHome } from "../client/home.ts";
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
  ensureHome(path.dirname(file));
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    // Another process created it first: use theirs.
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  }
}

/**
 * `v2:<name>:<iv>:<tag>:<body>`, with the secret's name as associated data: a ciphertext copied under another name
 * fails to decrypt (the name written in clear says which secret it belongs to, and the tag makes it unforgeable).
 */
export function encryptSecret(name: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(), iv);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const fields = [Buffer.from(name, "utf8"), iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url"));
  return ["v2", ...fields].join(":");
}

/** The plain text, and whether it was in the format before names were bound (v1), to be rewritten. */
export function decryptSecret(name: string, ciphertext: string): { value: string; unbound: boolean } {
  const [version, ...fields] = ciphertext.split(":");
  if (version === "v2" && fields.length === 4) {
    const [boundName, iv, tag, body] = fields.map((field) => Buffer.from(field, "base64url"));
    if (boundName.toString("utf8") !== name) {
      throw new SkeinError(
        `Secret '${name}' holds the ciphertext of secret '${boundName.toString("utf8")}', which decrypts only ` +
          `under that name: set it again with 'skein secret set ${name}'`,
      );
    }
    return { value: decrypt(name, iv, tag, body, boundName), unbound: false };
  }
  // v1 (no name bound): accepted so existing secrets keep working; Secret.get rewrites it as v2 on first read.
  if (version === "v1" && fields.length === 3) {
    const [iv, tag, body] = fields.map((field) => Buffer.from(field, "base64"));
    return { value: decrypt(name, iv, tag, body), unbound: true };
  }
  throw new SkeinError(`Secret '${name}' has an unknown format`);
}

function decrypt(name: string, iv: Buffer, tag: Buffer, body: Buffer, associatedData?: Buffer): string {
  try {
    const decipher = createDecipheriv("aes-256-gcm", secretKey(), iv);
    if (associatedData) decipher.setAAD(associatedData);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
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
    const { value, unbound } = decryptSecret(name, ciphertext);
    registerSecretValue(value);
    if (unbound) await secretStore().setSecret(name, encryptSecret(name, value));
    return value;
  },

  async set(name: string, value: string): Promise<void> {
    if (!/^[a-z0-9_-]+$/.test(name))
      throw new SkeinError(`Secret name '${name}' must contain only lowercase letters, digits, '_' and '-'`);
    registerSecretValue(value);
    await secretStore().setSecret(name, encryptSecret(name, value));
  },

  async unset(name: string): Promise<boolean> {
    return secretStore().unsetSecret(name);
  },
};
