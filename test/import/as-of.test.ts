/**
 * The dataset's as-of time (issue 12 item 9): it never moves backwards unless given, and the report says whenever it
 * changes, from what to what. Instants worked by hand: Tehran is UTC+03:30 from 2023 on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, importFiles } from '../../api/import/index.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, utc, writeExport } from './helpers.ts';

afterEach(cleanup);

const HEAD = 'case_id,office_id,service_code,submitted_at,closed_at,status\n';
const EXPORT = `${HEAD}C1,O1,S1,2025-08-01 09:00,2025-08-03 09:00,completed\nC2,O2,S2,2025-08-20 10:00,,open\n`;
// four rows; the latest timestamp among them is 2025-08-31 23:35 Tehran = 20:05Z
const CORRECTION = `${HEAD}C2,O2,S2,2025-08-20 10:00,2025-08-31 23:35,completed\nC3,O1,S1,2025-08-30 08:00,,open\nC4,O1,S2,2025-08-31 12:00,,open\nC5,O2,S1,2025-08-31 23:00,,open\n`;

describe('as-of time', () => {
  it('stays at a given time when a later import without --as-of has only earlier timestamps', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const first = await importFiles(
      db,
      [writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': EXPORT })],
      { asOf: '2025-09-01 00:00' },
    );
    // 2025-09-01 00:00 Tehran = 2025-08-31T20:30Z
    expect(first.as_of).toBe('2025-08-31T20:30:00.000Z');
    expect(first).toMatchObject({ as_of_previous: null, as_of_changed: true });

    const fix = await importFiles(db, [writeExport(root, 'b', { 'cases.csv': CORRECTION })]);
    expect(fix.status).toBe('ok');
    expect(fix.totals).toMatchObject({ inserted: 3, updated: 1 });
    expect(fix).toMatchObject({
      as_of: '2025-08-31T20:30:00.000Z',
      as_of_previous: '2025-08-31T20:30:00.000Z',
      as_of_changed: false,
    });
    expect(formatReport(fix)).not.toMatch(/As-of time changed/);
    expect(await db.one(`SELECT ${utc('as_of')} AS a FROM dataset`)).toEqual({ a: '2025-08-31T20:30:00Z' });
    db.close();
  });

  it('moves forward with newer data and says so; moves back only when given', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [
      writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': EXPORT }),
    ]);
    // without --as-of: the latest timestamp, C2 submitted 2025-08-20 10:00 = 06:30Z
    const later = await importFiles(db, [writeExport(root, 'b', { 'cases.csv': CORRECTION })]);
    expect(later).toMatchObject({
      as_of_previous: '2025-08-20T06:30:00.000Z',
      as_of: '2025-08-31T20:05:00.000Z',
      as_of_changed: true,
    });
    expect(formatReport(later)).toContain(
      'As-of time changed: 2025-08-20T06:30:00.000Z → 2025-08-31T20:05:00.000Z',
    );
    const given = await importFiles(db, [writeExport(root, 'c', { 'cases.csv': CORRECTION })], {
      asOf: '1404/05/29', // = 2025-08-20, 00:00 Tehran = 2025-08-19T20:30Z
    });
    expect(given).toMatchObject({ as_of: '2025-08-19T20:30:00.000Z', as_of_changed: true });
    expect(formatReport(given)).toContain('2025-08-31T20:05:00.000Z → 2025-08-19T20:30:00.000Z');
    db.close();
  });
});

describe("the dashboard's facts", () => {
  it('are built at the end of an import, so a server on the fresh database has nothing left to build', async () => {
    const { builtSignature, readSignature } = await import('../../api/metrics/facts.ts');
    const root = tempDir();
    const db = await freshDb(root);
    const steps: string[] = [];
    const r = await importFiles(
      db,
      [writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': EXPORT })],
      { onStep: (step, done) => steps.push(`${step}:${done}`) },
    );
    expect(r.status).toBe('ok');
    expect(steps).toEqual(['facts:false', 'facts:true']);
    // the fact tables were built for the data as it is now: the server's check finds nothing to rebuild
    const built = await builtSignature(db);
    expect(built).toBeDefined();
    expect(built).toBe(await readSignature(db));
    // a dry run commits nothing and builds nothing
    const dry: string[] = [];
    await importFiles(db, [writeExport(root, 'b', { 'cases.csv': CORRECTION })], {
      dryRun: true,
      onStep: (step) => dry.push(step),
    });
    expect(dry).toEqual([]);
    db.close();
  });
});
