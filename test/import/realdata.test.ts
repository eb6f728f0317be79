/**
 * The real NYC 311 exports in ../shared/realdata (third-party data, never copied into the repo) load with the shipped
 * mapping. Each file's loaded share and reject reasons are printed for the closing note.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, loadMapping } from '../../api/import/index.ts';
import { sharedPath } from '../shared-data.ts';
import { cleanup, freshDb, MAPPINGS, tempDir, utc } from './helpers.ts';

afterEach(cleanup);

const REAL = sharedPath('realdata', 'the NYC 311 import tests');
const files = REAL
  ? readdirSync(REAL)
      .filter((f) => f.endsWith('.csv'))
      .sort()
  : [];
if (REAL && files.length === 0) console.warn(`skipped: no NYC 311 CSV files in ${REAL}`);

describe.skipIf(files.length === 0)('NYC 311 real exports', () => {
  it.each(files)('%s loads with data/mappings/nyc311.json', async (name) => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [join(REAL as string, name)], {
      mapping: loadMapping(join(MAPPINGS, 'nyc311.json')),
    });
    expect(r.status).toBe('ok');
    const f = r.files[0];
    const share = f.inserted / f.rows_read;
    const reasons = f.reasons.map((x) => `${x.reason} ${x.count}`).join(', ') || 'none';
    console.log(
      `${name}: ${f.inserted}/${f.rows_read} loaded (${(share * 100).toFixed(1)}%); rejects: ${reasons}`,
    );
    expect(f.kind).toBe('flat');
    expect(share).toBeGreaterThan(0.95);
    expect(f.unmapped_statuses).toEqual([]);
    expect(f.rows_read).toBe(f.inserted + f.rejected + f.duplicates);
    const [{ n }] = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cases');
    expect(n).toBe(f.inserted);
    db.close();
  });

  it('reads US AM/PM dates as New York time', async () => {
    const name = files.find((f) => f.includes('pyboot'));
    if (!name) return;
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [join(REAL as string, name)], {
      mapping: loadMapping(join(MAPPINGS, 'nyc311.json')),
    });
    // first data row: "54049402,05/01/2022 12:00:03 AM" — midnight EDT (UTC−4) = 04:00:03Z
    expect(await db.one(`SELECT ${utc('submitted_at')} AS s FROM cases WHERE case_id = '54049402'`)).toEqual({
      s: '2022-05-01T04:00:03Z',
    });
    db.close();
  });
});
