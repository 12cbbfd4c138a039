// Looking for the API token in everything the suites produce: histories, logs, CLI output.

/**
 * All the text in a value: strings as they are, byte arrays decoded as UTF-8 (history payloads are
 * bytes, and JSON.stringify would turn them into lists of numbers the token could hide in), object
 * keys and values, recursively.
 */
export function textOf(value: unknown, seen = new Set<object>()): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value !== 'object' || seen.has(value)) return '';
  seen.add(value);
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    parts.push(key, textOf(item, seen));
  }
  return parts.join('\n');
}

/** Base64 runs in `text` (as the CLI prints payload bytes), decoded, so a token inside one is found too. */
export function decodedBase64Runs(text: string): string {
  const runs = text.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? [];
  return runs.map((run) => Buffer.from(run, 'base64').toString('utf8')).join('\n');
}

/** Non-overlapping occurrences of `needle` in `haystack`. */
export function countOccurrences(haystack: string, needle: string): number {
  if (needle === '') throw new Error('countOccurrences needs a non-empty needle');
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Occurrences of the token in `text`, as it is or inside base64. */
export function tokenOccurrences(text: string, token: string): number {
  return countOccurrences(text, token) + countOccurrences(decodedBase64Runs(text), token);
}
