// Ids for runs and events: UUID version 7 (time-ordered). Rows keyed by them are appended at the end of SQLite's
// B-trees instead of scattered, which keeps batched inserts cheap as the store grows.
import { randomFillSync } from "node:crypto";

const HEX_DIGITS = Buffer.from("0123456789abcdef");
const pool = Buffer.alloc(16 * 1024);
let offset = pool.length;
const text = Buffer.alloc(36);
let idMs = 0;
let sequence = 0;

/**
 * Increasing within this process: the 12-bit counter after the timestamp orders ids made in the same millisecond.
 * Written into a byte buffer and decoded once, so the id is one flat string (run ids live as long as their runs).
 */
export function newId(): string {
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const now = Date.now();
  if (now > idMs) {
    idMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    idMs++;
    sequence = 0;
  }
  // Layout: tttttttt-tttt-7sss-vrrr-rrrrrrrrrrrr (t: milliseconds, s: sequence, v/r: variant and random bits).
  let time = idMs;
  for (let i = 12; i >= 0; i--) {
    if (i === 8) continue;
    text[i] = HEX_DIGITS[time % 16];
    time = Math.floor(time / 16);
  }
  text[8] = text[13] = text[18] = text[23] = 0x2d;
  text[14] = 0x37;
  text[15] = HEX_DIGITS[(sequence >> 8) & 0xf];
  text[16] = HEX_DIGITS[(sequence >> 4) & 0xf];
  text[17] = HEX_DIGITS[sequence & 0xf];
  pool[offset] = (pool[offset] & 0x3f) | 0x80; // RFC 9562 variant
  for (let i = 0, at = 19; i < 8; i++, at += 2) {
    if (at === 23) at++;
    text[at] = HEX_DIGITS[pool[offset + i] >> 4];
    text[at + 1] = HEX_DIGITS[pool[offset + i] & 0xf];
  }
  offset += 8;
  return text.toString("latin1");
}

let lastMs = 0;
let lastIso = "";

/** new Date().toISOString(), reusing the string within one millisecond (a task run takes three of them). */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
