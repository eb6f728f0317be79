/** Test helpers: temp folders with tiny exports, a fresh file database each, and table fingerprints. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db } from '../../api/db.ts';

export const REPO = join(import.meta.dirname, '..', '..');
export const MAPPINGS = join(REPO, 'data', 'mappings');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'import');

const made: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'shafaf-import-test-'));
  made.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes `files` (name → text) into a new folder under `root`. */
export function writeExport(root: string, name: string, files: Record<string, string | Buffer>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

export async function freshDb(root: string, name = 'test.duckdb'): Promise<Db> {
  return Db.open(join(root, name));
}

/** Row count and a hash of all rows (sorted) per data table: equal fingerprints = identical contents. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of [
    'dataset',
    'districts',
    'offices',
    'services',
    'cases',
    'complaints',
    'rejects',
    'events',
    'stages',
  ]) {
    const [r] = await db.all<{ n: number; h: string }>(
      `SELECT count(*)::INTEGER AS n, md5(coalesce(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR), '')) AS h FROM ${t} x`,
    );
    out[t] = `${r.n}:${r.h}`;
  }
  return out;
}

export const OFFICES = 'office_id,name,district\nO1,دفتر یک,1\nO2,دفتر دو,7\n';
export const SERVICES =
  'service_code,name,category,sla_days\nS1,صدور پروانه ساختمانی,building_permit,15\nS2,استعلام بانکی,inquiry,5\n';

/** UTC ISO text of a stored TIMESTAMPTZ column, for comparing with independently known instants. */
export const utc = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;
