// "Did you mean…?" suggestions: the candidates closest to a misspelt name by edit distance.

export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 32) return Math.abs(a.length - b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `limit` candidates within a distance that scales with the name's length, closest first. */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const threshold = Math.max(2, Math.ceil(name.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter(({ distance, candidate }) => distance <= threshold || candidate.toLowerCase().includes(name.toLowerCase()))
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** " Did you mean 'a' or 'b'?" for suggestions found with closestNames — or "" when there are none. */
export function didYouMeanText(close: string[]): string {
  if (!close.length) return "";
  const quoted = close.map((candidate) => `'${candidate}'`);
  return ` Did you mean ${quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}` : quoted[0]}?`;
}
