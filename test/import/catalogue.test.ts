/**
 * Issue 13: a flat export's offices, services and categories are matched to the stored catalogue before anything is
 * derived, and what is new is listed — in the dry run first, which reports exactly what the real run then does.
 * The catalogue is the demo city's own (data/demo/catalogue.ts); the expected codes were looked up there by hand.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ImportReport, importFiles, loadMapping, openDryRunDb } from '../../api/import/index.ts';
import { SERVICES } from '../../data/demo/catalogue.ts';
import { cleanup, FIXTURES, freshDb, MAPPINGS, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

const faFlat = () => loadMapping(join(MAPPINGS, 'fa-flat.json'));

const q = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The demo's 128 services, and two demo-style offices (none of them the fixture's). */
function demoCatalogue(extraServices: string[] = [], extraOffices: string[] = []): Record<string, string> {
  const services = [
    'service_code,name,name_en,category,sla_days',
    ...SERVICES.map((s) => [s.service_code, s.name, s.name_en, s.category, s.sla_days].map(q).join(',')),
    ...extraServices,
  ].join('\n');
  const offices = [
    'office_id,name,district',
    'D03-01,دفتر خدمات الکترونیک شهر کد ۳۰۱ (ونک),3',
    'D01-01,دفتر خدمات الکترونیک شهر کد ۱۰۱ (تجریش),1',
    ...extraOffices,
  ].join('\n');
  return { 'services.csv': `${services}\n`, 'offices.csv': `${offices}\n` };
}

/** A second implementation of "the same name" for the check: ی/ک folded, spaces and ZWNJ ignored. */
const sameName = (s: string) =>
  s
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[\s\u200C]/g, '');

/** The report without what differs between a dry run and the real one by definition. */
function comparable(r: ImportReport) {
  const { import_id: _i, dry_run: _d, elapsed_ms: _e, message: _m, message_fa: _f, ...rest } = r;
  return rest;
}

describe('flat export onto the stored catalogue', () => {
  it('matches services and categories by name, lists the 3 new offices, and the dry run says it first', async () => {
    const root = tempDir();
    const db = await freshDb(root, 'city.duckdb');
    expect((await importFiles(db, [writeExport(root, 'cat', demoCatalogue())])).status).toBe('ok');
    db.close();

    const dry = await openDryRunDb(join(root, 'city.duckdb'));
    const d = await importFiles(dry, [join(FIXTURES, 'fa-flat')], { mapping: faFlat(), dryRun: true });
    dry.close();
    expect(d.status).toBe('ok');
    expect(d.derived).toEqual({ offices: 3, services: 0 });
    expect(d.catalogue.new_services).toEqual([]);
    expect(d.catalogue.new_categories).toEqual([]);
    expect(d.catalogue.new_offices).toEqual([
      { office_id: '210', name: 'دفتر خدمات الکترونیک ونک', district: '3', operator: null },
      { office_id: '305', name: 'دفتر خدمات الکترونیک تجریش', district: '1', operator: null },
      { office_id: '412', name: 'دفتر خدمات الکترونیک نارمک', district: '8', operator: null },
    ]);
    // the export's category words are the dashboard's categories, by their Persian labels
    expect(d.catalogue.categories).toEqual([
      { value: 'پروانه ساختمانی', category: 'building_permit' },
      { value: 'استعلام', category: 'inquiry' },
      { value: 'عوارض', category: 'fees' },
    ]);
    const notice = d.notices.find((n) => n.code === 'catalogue_new');
    expect(notice?.en).toMatch(
      /^3 new offices, 0 new services: check them\. Offices: “دفتر خدمات الکترونیک ونک” \(210, district 3\)/,
    );
    expect(notice?.fa).toMatch(/^۳ دفتر تازه، ۰ خدمت تازه: بررسی کنید/);

    const real = await freshDb(root, 'city.duckdb');
    const r = await importFiles(real, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    // the check-only run reported exactly what the import then did
    expect(comparable(r)).toEqual(comparable(d));
    expect(await real.all('SELECT name FROM services GROUP BY name HAVING count(*) > 1')).toEqual([]);
    const names = (await real.all<{ name: string }>('SELECT name FROM services')).map((x) =>
      sameName(x.name),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(await real.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM services')).toEqual([
      { n: 128 },
    ]);
    expect(await real.all('SELECT DISTINCT category FROM services ORDER BY 1')).toHaveLength(9);
    expect(await real.all('SELECT case_id, service_code FROM cases ORDER BY 1')).toEqual([
      { case_id: '1402001', service_code: 'BP-02' },
      { case_id: '1402002', service_code: 'INQ-02' },
      { case_id: '1402003', service_code: 'BP-02' },
      { case_id: '1402004', service_code: 'BP-06' },
      { case_id: '1402005', service_code: 'FEE-01' },
    ]);

    // uploaded twice: nothing new, nothing duplicated
    const again = await importFiles(real, [join(FIXTURES, 'fa-flat')], { mapping: faFlat() });
    expect(again.derived).toEqual({ offices: 0, services: 0 });
    expect(again.totals).toMatchObject({ inserted: 0, unchanged: 5, rejected: 2 });
    expect(again.notices.find((n) => n.code === 'catalogue_new')?.en).toMatch(
      /^0 new offices, 0 new services/,
    );
    expect(await real.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM offices')).toEqual([{ n: 5 }]);
    real.close();
  });

  it('folds spellings (Arabic ي/ك, space for ZWNJ), matches an office by name in its district, never guesses', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const cat = demoCatalogue(
      ['X1,مجوز ویژه,,fees,3', 'X2,مجوز ویژه,,transport,3'],
      ['D03-02,دفتر خدمات الکترونیک ونک,3'],
    );
    expect((await importFiles(db, [writeExport(root, 'cat', cat)])).status).toBe('ok');
    const csv = [
      'case_id,office_id,office_name,district,service_name,category,submitted_at,status',
      // its own code 999 is unknown, the name (Arabic letters) is the stored office of district 3
      'V1,999,دفتر خدمات الكترونيك ونك,3,گواهي پايان كار,پروانه ساختمانی,2024-01-01,open',
      // the same name in another district with its own code: another office
      'V2,998,دفتر خدمات الکترونیک ونک,5,صدور پروانه‌ساختمانی,building_permit,2024-01-02,open',
      // two stored «مجوز ویژه»: without a category nothing says which one
      'V3,999,دفتر خدمات الکترونیک ونک,3,مجوز ویژه,,2024-01-03,open',
      // «حمل و نقل» is the transport category's label: X2
      'V4,999,دفتر خدمات الکترونیک ونک,3,مجوز ویژه,حمل و نقل,2024-01-04,open',
    ].join('\n');
    const r = await importFiles(db, [writeExport(root, 'x', { 'cases.csv': `${csv}\n` })]);
    expect(r.mode).toBe('flat');
    expect(r.derived).toEqual({ offices: 1, services: 0 });
    expect(r.catalogue.new_offices.map((o) => [o.office_id, o.district])).toEqual([['998', '5']]);
    expect(r.catalogue.matched_offices).toEqual([
      {
        office_id: 'D03-02',
        name: 'دفتر خدمات الکترونیک ونک',
        export_id: '999',
        export_name: 'دفتر خدمات الکترونیک ونک',
      },
    ]);
    expect(await db.all('SELECT case_id, office_id, service_code FROM cases ORDER BY 1')).toEqual([
      { case_id: 'V1', office_id: 'D03-02', service_code: 'BP-06' },
      { case_id: 'V2', office_id: '998', service_code: 'BP-02' },
      { case_id: 'V4', office_id: 'D03-02', service_code: 'X2' },
    ]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({
      line: 4,
      record_id: 'V3',
      reason: 'ambiguous_match',
      header: 'service_name',
    });
    expect(r.rejects[0].en).toContain('X1 (fees), X2 (transport)');
    db.close();
  });
});
