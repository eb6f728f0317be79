/**
 * Issue 14's data: the optional `districts` file (Persian headers through the mapping, Persian digits and
 * separators, bad numbers rejected with their reason) and the offices' `operator` (from a column, or a mapping
 * constant). Neither is ever erased by a later file that lacks it. Expected values are the file's own, read by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, type Mapping } from '../../api/import/index.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

const DISTRICTS_MAPPING: Mapping = {
  files: {
    districts: {
      columns: {
        منطقه: 'district',
        نام: 'name',
        جمعیت: 'population',
        'مساحت (کیلومتر مربع)': 'area_km2',
        سال: 'population_year',
        منبع: 'source',
      },
    },
  },
};

const FILE = [
  'منطقه,نام,جمعیت,مساحت (کیلومتر مربع),سال,منبع',
  'منطقه ۱,منطقه یک,۴۸۷٬۵۰۸,۶۴٫۳,۱۳۹۵,سرشماری ۱۳۹۵',
  '۲,,"692,579",47,2016,',
  'District 3,,۳۱۵۰۰۰x,29,1395,',
  '۲۳,,100,1,2016,',
  '4,,"12,5",-3,1395,',
].join('\n');

const stored = (db: Awaited<ReturnType<typeof freshDb>>) =>
  db.all(
    'SELECT district, name_fa, population::INTEGER AS population, area_km2, population_year, source FROM districts WHERE district <= 4 ORDER BY 1',
  );

describe('districts file', () => {
  it('reads Persian digits and separators, rejects bad numbers with reasons, is idempotent, and keeps what a later file lacks', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [writeExport(root, 'a', { 'مناطق.csv': `${FILE}\n` })], {
      mapping: DISTRICTS_MAPPING,
    });
    expect(r.status).toBe('ok');
    expect(r.files[0]).toMatchObject({ kind: 'districts', rows_read: 5, updated: 2, rejected: 3 });
    expect(await stored(db)).toEqual([
      {
        district: 1,
        name_fa: 'منطقه یک',
        population: 487508,
        area_km2: 64.3,
        population_year: 2016,
        source: 'سرشماری ۱۳۹۵',
      },
      {
        district: 2,
        name_fa: 'منطقه ۲',
        population: 692579,
        area_km2: 47,
        population_year: 2016,
        source: null,
      },
      {
        district: 3,
        name_fa: 'منطقه ۳',
        population: null,
        area_km2: null,
        population_year: null,
        source: null,
      },
      {
        district: 4,
        name_fa: 'منطقه ۴',
        population: null,
        area_km2: null,
        population_year: null,
        source: null,
      },
    ]);
    expect(r.rejects.map((e) => [e.line, e.header, e.value, e.reason])).toEqual([
      [4, 'جمعیت', '۳۱۵۰۰۰x', 'bad_value'],
      [5, 'منطقه', '۲۳', 'bad_value'],
      [6, 'جمعیت', '12,5', 'bad_value'],
      [6, 'مساحت (کیلومتر مربع)', '-3', 'bad_value'],
    ]);
    expect(r.rejects[0].fa).toBe(
      'مقدار «۳۱۵۰۰۰x» در ستون «جمعیت» پذیرفته نیست: جمعیت باید عددی صحیح از ۱ تا ۱۰۰ میلیون باشد (جداکنندهٔ هزارگان «٬» یا «,» مجاز است).',
    );
    expect(r.rejects[0].record_id).toBe('3');
    expect(r.rejects[1].fa).toContain('شمارهٔ منطقه باید از ۱ تا ۲۲ باشد');

    const again = await importFiles(db, [writeExport(root, 'a', { 'مناطق.csv': `${FILE}\n` })], {
      mapping: DISTRICTS_MAPPING,
    });
    expect(again.files[0]).toMatchObject({ updated: 0, unchanged: 2, rejected: 3 });

    // a newer count for district 1 only, without area, year or source; then a file without a population at all
    await importFiles(db, [
      writeExport(root, 'b', { 'districts.csv': 'district,population\n1,"500,000"\n' }),
    ]);
    await importFiles(db, [writeExport(root, 'c', { 'districts.csv': 'district,source\n2,برآورد\n' })]);
    expect((await stored(db)).slice(0, 2)).toEqual([
      {
        district: 1,
        name_fa: 'منطقه یک',
        population: 500000,
        area_km2: 64.3,
        population_year: 2016,
        source: 'سرشماری ۱۳۹۵',
      },
      {
        district: 2,
        name_fa: 'منطقه ۲',
        population: 692579,
        area_km2: 47,
        population_year: 2016,
        source: 'برآورد',
      },
    ]);
    db.close();
  });
});

describe('offices.operator', () => {
  it('comes from a column the mapping names, or a constant; a file without it keeps the stored operator', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const withOperator = 'کد,نام دفتر,منطقه,نام صاحب امتیاز\nO1,دفتر یک,1,شركت الف\nO2,دفتر دو,7,\n';
    const mapping: Mapping = {
      files: {
        offices: {
          names: ['دفاتر*'],
          columns: { کد: 'office_id', 'نام دفتر': 'name', منطقه: 'district', 'نام صاحب امتیاز': 'operator' },
        },
      },
    };
    const r = await importFiles(db, [writeExport(root, 'a', { 'دفاتر.csv': withOperator })], { mapping });
    expect(r.files[0]).toMatchObject({ kind: 'offices', inserted: 2 });
    expect(r.files[0].headers.operator).toBe('نام صاحب امتیاز');
    // Arabic ك folded like every name
    expect(await db.all('SELECT office_id, operator FROM offices ORDER BY 1')).toEqual([
      { office_id: 'O1', operator: 'شرکت الف' },
      { office_id: 'O2', operator: null },
    ]);

    // the contract's offices file has no operator column: nothing is erased
    const plain = await importFiles(db, [
      writeExport(root, 'b', { 'offices.csv': OFFICES, 'services.csv': SERVICES }),
    ]);
    expect(plain.files.find((f) => f.kind === 'offices')).toMatchObject({ updated: 0, unchanged: 2 });
    expect(await db.all('SELECT operator FROM offices WHERE office_id = $id', { id: 'O1' })).toEqual([
      { operator: 'شرکت الف' },
    ]);

    // a constant for a file of one licensee's offices
    const c = await importFiles(
      db,
      [writeExport(root, 'c', { 'offices.csv': 'office_id,name,district\nO2,دفتر دو,7\nO3,دفتر سه,3\n' })],
      {
        mapping: { files: { offices: { constants: { operator: 'شرکت ب' } } } },
      },
    );
    expect(c.files[0]).toMatchObject({ inserted: 1, updated: 1 });
    expect(c.notices.map((n) => n.code)).toContain('mapping_constant');
    expect(await db.all('SELECT office_id, operator FROM offices ORDER BY 1')).toEqual([
      { office_id: 'O1', operator: 'شرکت الف' },
      { office_id: 'O2', operator: 'شرکت ب' },
      { office_id: 'O3', operator: 'شرکت ب' },
    ]);
    db.close();
  });

  it('a flat export carries it: set on new and stored offices, two operators for one office keep the stored one', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES })]);
    const flat = [
      'case_id,office_id,office_name,district,service_code,submitted_at,status,operator',
      'F1,O1,دفتر یک,1,S1,2024-01-01,open,شرکت الف',
      'F2,O2,دفتر دو,7,S1,2024-01-01,open,شرکت الف',
      'F3,O2,دفتر دو,7,S2,2024-01-02,open,شرکت ج',
      'F4,N1,دفتر نو,9,S2,2024-01-03,open,شرکت د',
    ].join('\n');
    const r = await importFiles(db, [writeExport(root, 'f', { 'cases.csv': `${flat}\n` })]);
    expect(r.mode).toBe('flat');
    expect(r.catalogue.new_offices).toEqual([
      { office_id: 'N1', name: 'دفتر نو', district: '9', operator: 'شرکت د' },
    ]);
    expect(r.catalogue.operators_set).toEqual([
      { office_id: 'O1', name: 'دفتر یک', operator: 'شرکت الف', previous: null },
    ]);
    expect(r.catalogue.operator_conflicts).toEqual([{ office_id: 'O2', values: ['شرکت الف', 'شرکت ج'] }]);
    expect(await db.all('SELECT office_id, operator FROM offices ORDER BY 1')).toEqual([
      { office_id: 'N1', operator: 'شرکت د' },
      { office_id: 'O1', operator: 'شرکت الف' },
      { office_id: 'O2', operator: null },
    ]);
    expect(r.totals).toMatchObject({ inserted: 4, rejected: 0 });
    db.close();
  });
});
