/**
 * "Did you mean …?" for unknown names in error messages: the closest candidate within two edits
 * (Levenshtein), or '' when none is close. Used by the graph and network validators.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best && bestD <= 2 && best !== name ? `. Did you mean '${best}'?` : '';
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
