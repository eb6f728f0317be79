/**
 * Third-party data that lives beside the repository in ../shared (OpenStreetMap boundaries, real
 * public exports, the BPIC XES log), never copied into it. A test that uses it asks here: it gets the
 * path, or null and a "skipped: <file> not found" line, and skips itself. `npm run test:shared` runs
 * every test file that imports this module, in place, where ../shared is present (.ci/run does).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = join(import.meta.dirname, '..', '..', 'shared');

/** The path of `rel` under ../shared, or null (with the skip message) when it is absent. */
export function sharedPath(rel: string, what: string): string | null {
  const path = join(SHARED, rel);
  if (existsSync(path)) return path;
  console.warn(`skipped: ${path} not found (${what})`);
  return null;
}
