// One log message cut into the runs a row draws: ANSI styles, clickable URLs and search matches overlap freely, so
// the message is cut at every edge of any of them and each run carries all three. Multi-line messages (stack
// traces) are split into lines here, so the list can give every line the same fixed height. Pure data.
import { type AnsiSegment, parseAnsi } from "./ansi.ts";
import { findUrls } from "../common/links.ts";

export interface MessageRun extends AnsiSegment {
  /** The http(s) URL this run is part of. */
  link?: string;
  /** Part of a search match. */
  match?: boolean;
}

/** Where `query` occurs in `text`, ignoring case; plain substring search, linear in the text's length. */
export function findMatches(text: string, query: string): Array<{ start: number; end: number }> {
  if (query === "") return [];
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  const ranges: Array<{ start: number; end: number }> = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
    ranges.push({ start: at, end: at + needle.length });
  }
  return ranges;
}

/** The message's lines, each a list of runs (a line may be one empty run). */
export function messageLines(message: string, query: string): MessageRun[][] {
  const segments = parseAnsi(message);
  const plain = segments.map((segment) => segment.text).join("");
  const urls = findUrls(plain);
  const matches = findMatches(plain, query);
  const edges = new Set<number>([0, plain.length]);
  let offset = 0;
  for (const segment of segments) edges.add((offset += segment.text.length));
  for (const range of [...urls, ...matches]) edges.add(range.start).add(range.end);
  for (let at = plain.indexOf("\n"); at >= 0; at = plain.indexOf("\n", at + 1)) edges.add(at).add(at + 1);
  const cuts = [...edges].sort((a, b) => a - b);

  const lines: MessageRun[][] = [[]];
  let segmentIndex = 0;
  let segmentEnd = segments[0].text.length;
  // Ranges are sorted and disjoint: one pointer each keeps the walk linear.
  let urlIndex = 0;
  let matchIndex = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i], cuts[i + 1]];
    while (start >= segmentEnd && segmentIndex + 1 < segments.length) {
      segmentIndex++;
      segmentEnd += segments[segmentIndex].text.length;
    }
    const text = plain.slice(start, end);
    if (text === "\n") {
      lines.push([]);
      continue;
    }
    const { classes, color, background } = segments[segmentIndex];
    const run: MessageRun = { text, classes, color, background };
    while (urlIndex < urls.length && urls[urlIndex].end <= start) urlIndex++;
    while (matchIndex < matches.length && matches[matchIndex].end <= start) matchIndex++;
    if (urls[urlIndex]?.start <= start) run.link = urls[urlIndex].url;
    if (matches[matchIndex]?.start <= start) run.match = true;
    lines[lines.length - 1].push(run);
  }
  return lines.map((line) => (line.length > 0 ? line : [{ text: "", classes: [] }]));
}

/** How many display lines a message takes (without parsing it): one per line break, plus one. */
export function lineCount(message: string): number {
  let count = 1;
  for (let at = message.indexOf("\n"); at >= 0; at = message.indexOf("\n", at + 1)) count++;
  return count;
}
