/**
 * Flat exports (issue 5): offices and services derived from one sheet, conflicts rejected with both values,
 * unmapped status words listed, per-case deadlines, other cities' district labels, and --dry-run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, loadMapping, openDryRunDb } from '../../api/import/index.ts';
import { cleanup, FIXTURES, fingerprint, freshDb, MAPPINGS, tempDir, utc, writeExport } from './helpers.ts';

afterEach(cleanup);

const faFlat = () => loadMapping(join(MAPPINGS, 'fa-flat.json'));

describe('Persian flat export', () => {
  it('derives offices and services, maps Persian status words, lists the unmapped one', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    expect(r.mode).toBe('flat');
    expect(r.derived).toEqual({ offices: 3, services: 4 });
    expect(r.files[0]).toMatchObject({
      kind: 'flat',
      rows_read: 7,
      inserted: 5,
      rejected: 2,
      unknown_columns: ['توضیحات'],
    });
    expect(r.files[0].unmapped_statuses).toEqual([{ value: 'معلق', count: 1 }]);
    expect(await db.all('SELECT line, reason FROM rejects ORDER BY line')).toEqual([
      { line: 8, reason: 'closed_before_submitted' },
      { line: 9, reason: 'unknown_status' },
    ]);
    expect(await db.all('SELECT office_id, name, district FROM offices ORDER BY 1')).toEqual([
      { office_id: '210', name: 'دفتر خدمات الکترونیک ونک', district: 3 },
      { office_id: '305', name: 'دفتر خدمات الکترونیک تجریش', district: 1 },
      { office_id: '412', name: 'دفتر خدمات الکترونیک نارمک', district: 8 },
    ]);
    const cases = await db.all(`SELECT case_id, status, ${utc('due_at')} AS due FROM cases ORDER BY 1`);
    // «مهلت» ۱۴۰۲/۰۱/۳۰ = 2023-04-19, a bare date: due by the end of that Tehran day (23:59:59 +03:30 = 20:29:59Z)
    expect(cases).toEqual([
      { case_id: '1402001', status: 'completed', due: '2023-04-19T20:29:59Z' },
      { case_id: '1402002', status: 'completed', due: null },
      { case_id: '1402003', status: 'open', due: '2023-06-15T20:29:59Z' },
      { case_id: '1402004', status: 'rejected', due: null },
      { case_id: '1402005', status: 'withdrawn', due: null },
    ]);
    db.close();
  });

  it('rejects an office with two districts and a service with two categories, showing both values', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const csv = [
      'case_id,office_name,district,service_code,service_name,category,submitted_at,closed_at,status',
      'A1,دفتر الف,3,P1,پروانه,building_permit,2023-05-01,,open',
      'A2,دفتر الف,4,P1,پروانه,building_permit,2023-05-02,,open',
      'A3,دفتر ب,5,P2,استعلام,inquiry,2023-05-03,,open',
      'A4,دفتر ب,5,P2,استعلام,fees,2023-05-04,,open',
      'A5,دفتر ب,5,P3,عوارض,fees,2023-05-05,,open',
    ].join('\n');
    const r = await importFiles(db, [writeExport(root, 'x', { 'cases.csv': csv })]);
    expect(r.mode).toBe('flat'); // detected: the only cases file, with office and service name columns
    const rej = await db.all<{ line: number; reason: string; detail: string }>(
      'SELECT line, reason, detail FROM rejects ORDER BY line',
    );
    expect(rej.map((x) => [x.line, x.reason])).toEqual([
      [2, 'office_conflict'],
      [3, 'office_conflict'],
      [4, 'service_conflict'],
      [5, 'service_conflict'],
    ]);
    expect(rej[0].detail).toMatch(/«3».*«4»|«4».*«3»/);
    expect(rej[2].detail).toMatch(/«fees».*«inquiry»|«inquiry».*«fees»/);
    expect(await db.all('SELECT case_id FROM cases')).toEqual([{ case_id: 'A5' }]);

    // later import: the office now exists with district 5; a row saying 6 conflicts with the stored one
    const later =
      'case_id,office_name,district,service_name,submitted_at,status\nB1,دفتر ب,6,عوارض,2023-06-01,open\nB3,دفتر ج,2,عوارض,2023-06-01,open\n';
    const r2 = await importFiles(db, [writeExport(root, 'y', { 'cases.csv': later })]);
    // «عوارض» is the stored P3 (matched by name, issue 13), not a second service of that name
    expect(r2.derived).toEqual({ offices: 1, services: 0 });
    expect(r2.catalogue.matched_services).toEqual([
      { service_code: 'P3', name: 'عوارض', export_code: null, export_name: 'عوارض' },
    ]);
    const rej2 = await db.all<{ detail: string }>('SELECT detail FROM rejects WHERE import_id = 2');
    expect(rej2).toHaveLength(1);
    expect(rej2[0].detail).toContain('stored with district «5»; this row says «6»');
    expect(await db.all('SELECT case_id, service_code FROM cases ORDER BY 1')).toEqual([
      { case_id: 'A5', service_code: 'P3' },
      { case_id: 'B3', service_code: 'P3' },
    ]);
    db.close();
  });

  it('for another city, any text district is a label with its own id', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const csv =
      'case_id,office_name,district,service_name,submitted_at,status\n1,Agency A,QUEENS,Noise,2024-04-16T03:03:15.000,open\n2,Agency B,BRONX,Noise,2024-04-16T03:03:15.000,open\n';
    const r = await importFiles(db, [writeExport(root, 'x', { 'cases.csv': csv })], {
      mapping: { city: 'New York', timezone: 'America/New_York' },
    });
    expect(r.city).toBe('New York');
    expect(await db.all('SELECT district, name_en FROM districts ORDER BY 1')).toEqual([
      { district: 1, name_en: 'BRONX' },
      { district: 2, name_en: 'QUEENS' },
    ]);
    // 03:03:15 EDT (UTC−4) = 07:03:15Z
    expect(await db.all(`SELECT ${utc('submitted_at')} AS s FROM cases LIMIT 1`)).toEqual([
      { s: '2024-04-16T07:03:15Z' },
    ]);
    db.close();
  });
});

describe('dry run', () => {
  it('reports what would happen and changes nothing, and does not create a missing database', async () => {
    const root = tempDir();
    const path = join(root, 'real.duckdb');
    const ghost = await openDryRunDb(join(root, 'missing.duckdb'));
    const r0 = await importFiles(ghost, [join(FIXTURES, 'fa-flat')], { mapping: faFlat(), dryRun: true });
    ghost.close();
    expect(r0).toMatchObject({ status: 'ok', dry_run: true });
    expect(r0.totals).toMatchObject({ inserted: 5, rejected: 2 });
    expect(existsSync(join(root, 'missing.duckdb'))).toBe(false);

    const db = await freshDb(root, 'real.duckdb');
    await importFiles(db, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    const before = await fingerprint(db);
    const logs = await db.all('SELECT import_id FROM import_log');
    db.close();

    const dry = await openDryRunDb(path);
    const r = await importFiles(dry, [join(FIXTURES, 'fa-flat')], { mapping: faFlat(), dryRun: true });
    dry.close();
    // against the stored data: everything would be unchanged
    expect(r.totals).toMatchObject({ inserted: 0, unchanged: 5, rejected: 2 });
    const again = await freshDb(root, 'real.duckdb');
    expect(await fingerprint(again)).toEqual(before);
    expect(await again.all('SELECT import_id FROM import_log')).toEqual(logs);
    // dryRun on the real database is rolled back as well
    const r2 = await importFiles(
      again,
      [
        writeExport(root, 'n', {
          'cases.csv':
            'case_id,office_id,service_name,district,submitted_at,status\nN1,999,خدمت,2,2024-01-01,open\n',
        }),
      ],
      { dryRun: true },
    );
    expect(r2.totals.inserted).toBe(1);
    expect(await fingerprint(again)).toEqual(before);
    again.close();
  });

  it('copies the stored data of a database whose path holds a quote', async () => {
    const root = tempDir();
    const path = join(root, "it's.duckdb");
    const db = await freshDb(root, "it's.duckdb");
    await importFiles(db, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    db.close();
    const dry = await openDryRunDb(path);
    const r = await importFiles(dry, [join(FIXTURES, 'fa-flat')], { mapping: faFlat(), dryRun: true });
    dry.close();
    expect(r.totals).toMatchObject({ inserted: 0, unchanged: 5, rejected: 2 });
  });
});
