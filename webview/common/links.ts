// Which URLs the run view may offer to open, and where URLs sit in plain text. Every string from a run is
// untrusted: only http and https URLs become links, and a link is never followed by the webview itself (the
// extension opens it on the user's click), so `javascript:`, `data:`, `file:` and `command:` URLs stay text.
// Pure (no DOM), shared by the logs and artifacts components.

/** The URL, normalised, when it is an absolute http or https URL; otherwise undefined. */
export function safeHttpUrl(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate.trim());
  } catch {
    return undefined;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
}

/** True for a `data:image/...` URL, the only images the view shows (nothing is fetched from the network). */
export function isDataImageUrl(candidate: string): boolean {
  return /^data:image\/[a-z0-9.+-]+[;,]/i.test(candidate.trim());
}

export interface UrlRange {
  start: number;
  end: number;
  url: string;
}

// A fixed pattern with no nested quantifiers: linear in the text's length.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"]$/;

/** The http(s) URLs in `text`, without the sentence punctuation or unbalanced closing brackets that follow them. */
export function findUrls(text: string): UrlRange[] {
  if (!text.includes("://")) return [];
  const ranges: UrlRange[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    let candidate = match[0];
    for (;;) {
      if (TRAILING_PUNCTUATION.test(candidate)) candidate = candidate.slice(0, -1);
      else if (endsWithUnbalanced(candidate, "(", ")")) candidate = candidate.slice(0, -1);
      else if (endsWithUnbalanced(candidate, "[", "]")) candidate = candidate.slice(0, -1);
      else break;
    }
    const url = safeHttpUrl(candidate);
    if (url) ranges.push({ start: match.index, end: match.index + candidate.length, url });
  }
  return ranges;
}

function endsWithUnbalanced(text: string, open: string, close: string): boolean {
  if (!text.endsWith(close)) return false;
  let depth = 0;
  for (const char of text) {
    if (char === open) depth++;
    else if (char === close) depth--;
  }
  return depth < 0;
}
