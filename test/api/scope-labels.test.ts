/**
 * DESIGN 10, every number says what it covers: a selection's own complaint rate next to the city's
 * (issue 12 item 2), and totals labelled with the places they cover — a district, an office, an
 * inspector's districts — never "Whole city" unless they are (item 3).
 */
import { describe, expect, test } from 'vitest';
import { type Body, type CaseDef, closed, makeApp } from './fixture.ts';
import { signIn } from './session.ts';

const S = '2024-03-05T06:00:00Z';
const cases: CaseDef[] = [
  ...Array.from({ length: 10 }, (_, i) => closed(`a${i}`, 'A', 'S1', S, 2)),
  ...Array.from({ length: 5 }, (_, i) => closed(`b${i}`, 'B', 'S1', S, 4)),
];
const k = (id: string, office: string) => ({
  complaint_id: id,
  office_id: office,
  received_at: '2024-03-10T06:00:00Z',
  category: 'delay',
});
// district 1 (office A): 2 complaints over 10 cases; district 2 (office B): 3 over 5; city 5/15
const complaints = [k('k1', 'A'), k('k2', 'A'), k('k3', 'B'), k('k4', 'B'), k('k5', 'B')];

const setup = () =>
  makeApp({
    asOf: '2024-06-01T00:00:00Z',
    offices: [
      { office_id: 'A', district: 1 },
      { office_id: 'B', district: 2 },
    ],
    services: [{ service_code: 'S1' }],
    cases,
    complaints,
  });

describe('a selection and the city, each labelled', () => {
  test("the complaint rate of district 1 is its own (2/10), with the city's (5/15) beside it", async () => {
    const { get } = await setup();
    const d1 = (await get('/api/funnel?metric=complaints&by=district&district=1')).body;
    expect(d1.selection).toMatchObject({ n: 10, count: 2, label: 'منطقه ۱', label_en: 'District 1' });
    expect(d1.selection.value).toBeCloseTo(0.2, 12);
    expect(d1.target).toBeCloseTo(5 / 15, 12);
    const office = (await get('/api/funnel?metric=complaints&by=district&office=B')).body;
    expect(office.selection).toMatchObject({ n: 5, count: 3, label_en: 'Office B' });
    const city = (await get('/api/funnel?metric=complaints&by=district')).body;
    expect(city.selection).toMatchObject({ n: 15, count: 5, label: 'کل شهر', label_en: 'Whole city' });
    expect(city.selection.value).toBeCloseTo(city.target, 12);
  });

  test('totals say which places they cover', async () => {
    const { get, app, db } = await setup();
    expect((await get('/api/processing')).body.total).toMatchObject({ label: 'کل شهر', n_cases: 15 });
    expect((await get('/api/processing?district=2')).body.total).toMatchObject({
      label: 'منطقه ۲',
      label_en: 'District 2',
      n_cases: 5,
    });
    const inspector = await signIn(app, db, 'inspector', { username: 'insp2', districts: [2] });
    const read = async (path: string): Promise<Body> => (await inspector.request(path)).json();
    const total = (await read('/api/processing')).total;
    expect(total).toMatchObject({ label: 'منطقه ۲', label_en: 'District 2', n_cases: 5 });
    expect(total.label).not.toBe('کل شهر');
    expect((await read('/api/trends?metric=complaints')).series[0].label_en).toBe('District 2');
    const f = await read('/api/funnel?metric=complaints&by=district');
    // the inspector's own rate, labelled with their district; the target stays the whole city's
    expect(f.selection).toMatchObject({ n: 5, count: 3, label_en: 'District 2' });
    expect(f.target).toBeCloseTo(5 / 15, 12);
    db.close();
  });
});
