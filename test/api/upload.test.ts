/**
 * The dashboard's upload (POST /api/imports) on the real app: the check-only run answers the same rejected rows,
 * in the file's words and in Persian, as the real import — though only the real one stores them — so that the
 * Data page can show what a check found; and the real upload of the Persian flat export onto a catalogue that
 * has its services adds no second «صدور پروانه ساختمانی».
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { Db } from '../../api/db.ts';
import { FIXTURES, MAPPINGS } from '../import/helpers.ts';
import { type Body, makeDb } from './fixture.ts';
import { type Session, signIn } from './session.ts';

const FILE = 'گزارش پرونده‌ها ۱۴۰۲.csv';

let db: Db;
let manager: Session;

beforeEach(async () => {
  db = await makeDb({
    asOf: '2023-01-01T00:00:00Z',
    offices: [{ office_id: 'D03-01', district: 3 }],
    services: [
      { service_code: 'BP-02', category: 'building_permit', sla_days: 15 },
      { service_code: 'INQ-02', category: 'inquiry', sla_days: 5 },
    ],
    cases: [],
  });
  await db.run("UPDATE services SET name = 'صدور پروانه ساختمانی' WHERE service_code = 'BP-02'");
  await db.run("UPDATE services SET name = 'استعلام بانکي' WHERE service_code = 'INQ-02'");
  const app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  manager = await signIn(app, db, 'manager');
});
afterEach(() => db.close());

function upload(dryRun: boolean) {
  const form = new FormData();
  form.append('files', new File([readFileSync(join(FIXTURES, 'fa-flat', FILE))], FILE));
  form.append('mapping', readFileSync(join(MAPPINGS, 'fa-flat.json'), 'utf8'));
  if (dryRun) form.append('dry_run', 'true');
  return manager.request('/api/imports', { method: 'POST', body: form });
}

describe('POST /api/imports', () => {
  test('a check lists the rejected rows it found, as the import then does; no duplicate service names', async () => {
    const check = await upload(true);
    expect(check.status).toBe(200);
    const c = (await check.json()) as Body;
    expect(c).toMatchObject({ status: 'ok', dry_run: true, lang: 'fa', rejects_total: 2 });
    expect(c.totals.rejected).toBe(2);
    expect(c.rejects.map((e: Body) => [e.line, e.record_id, e.header, e.reason])).toEqual([
      [8, '1402006', 'تاریخ پایان', 'closed_before_submitted'],
      [9, '1402007', 'وضعیت', 'unknown_status'],
    ]);
    expect(c.rejects[0].fa).toContain('«تاریخ پایان» (۱۴۰۲/۰۵/۰۲ ساعت ۰۹:۰۰) پیش از «تاریخ ثبت»');
    // nothing stored by the check: the report is where its rejects are
    const stored = (await (await manager.request('/api/rejects')).json()) as Body;
    expect(stored.total).toBe(0);
    expect(c.catalogue.new_services.map((s: Body) => s.name)).toEqual(['گواهی پایان‌کار', 'عوارض نوسازی']);
    expect(c.catalogue.new_offices).toHaveLength(3);

    const real = (await (await upload(false)).json()) as Body;
    expect(real.rejects).toEqual(c.rejects);
    expect(real.catalogue).toEqual(c.catalogue);
    const after = (await (await manager.request('/api/rejects')).json()) as Body;
    expect(after.total).toBe(2);
    expect(await db.all('SELECT name FROM services GROUP BY name HAVING count(*) > 1')).toEqual([]);
    expect(await db.all("SELECT service_code FROM cases WHERE case_id = '1402002'")).toEqual([
      { service_code: 'INQ-02' },
    ]);
  });
});
