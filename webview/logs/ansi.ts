// ANSI SGR colours in log lines, turned into plain data: each run of text with the CSS classes (and, for 256-colour
// and true-colour codes, the exact colour) it should be drawn with. anser does the parsing; this file only maps its
// output to class names the log styles colour with VS Code's --vscode-terminal-ansi* theme variables, so colours
// follow the user's theme. Pure: the DOM is built elsewhere, with textContent only.
import Anser from "anser";

export interface AnsiSegment {
  text: string;
  /** CSS classes: `ansi-fg-red`, `ansi-bg-bright-blue`, `ansi-bold`, ... */
  classes: string[];
  /** An exact colour (`rgb(r, g, b)`) for 256-colour and true-colour codes, set as a style property. */
  color?: string;
  background?: string;
}

// Escape sequences start with ESC; a line without one (most lines) skips the parser entirely.
const ESCAPE = "\u001b";

/** The text runs of `message` with their styles; escape sequences themselves are dropped. */
export function parseAnsi(message: string): AnsiSegment[] {
  if (!message.includes(ESCAPE)) return [{ text: message, classes: [] }];
  const segments: AnsiSegment[] = [];
  for (const entry of Anser.ansiToJson(message, { use_classes: true, remove_empty: true })) {
    const segment: AnsiSegment = { text: entry.content, classes: [] };
    applyColour(segment, "fg", entry.fg, entry.fg_truecolor);
    applyColour(segment, "bg", entry.bg, entry.bg_truecolor);
    for (const decoration of entry.decorations) segment.classes.push(`ansi-${decoration}`);
    segments.push(segment);
  }
  return segments.length > 0 ? segments : [{ text: "", classes: [] }];
}

// A CSI escape sequence (colours are CSI ... m): a fixed pattern without nested quantifiers, so linear time. The
// filter strips 100,000 lines with it at once, several times faster than a full parse.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC (U+001B) is what every escape sequence starts with.
const CSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;

/** The message without escape sequences: what search and the filter compare against. */
export function stripAnsi(message: string): string {
  if (!message.includes(ESCAPE)) return message;
  return message.replace(CSI_SEQUENCE, "");
}

function applyColour(segment: AnsiSegment, layer: "fg" | "bg", name: string | null, trueColour: string | null): void {
  if (!name) return;
  let exact: string | undefined;
  if (name === "ansi-truecolor" && trueColour) exact = `rgb(${trueColour})`;
  // anser names palette colours 0-15 itself (ansi-red, ansi-bright-red); only 16-255 come as ansi-palette-N.
  else if (name.startsWith("ansi-palette-")) exact = paletteColour(Number(name.slice("ansi-palette-".length)));
  else segment.classes.push(`ansi-${layer}-${name.slice("ansi-".length)}`);
  if (exact === undefined) return;
  if (layer === "fg") segment.color = exact;
  else segment.background = exact;
}

/** xterm's 256-colour palette above the 16 themed colours: a 6×6×6 cube, then 24 greys. */
export function paletteColour(index: number): string {
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  const cube = index - 16;
  const level = (step: number) => (step === 0 ? 0 : 55 + step * 40);
  return `rgb(${level(Math.floor(cube / 36))}, ${level(Math.floor(cube / 6) % 6)}, ${level(cube % 6)})`;
}
