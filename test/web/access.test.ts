/** The Access view's arithmetic (web/lib/access.ts), worked by hand. */
import { describe, expect, it } from 'vitest';
import type { AccessDistrict } from '../../api/metrics/access.ts';
import {
  accessMapValues,
  formatAccess,
  mostResidentsPerOffice,
  parseAdd,
  whatIf,
} from '../../web/lib/access.ts';
import { parseRoute } from '../../web/lib/url.ts';

describe('what if offices were added', () => {
  it('shares the district’s demand evenly among old and new offices', () => {
    // 200,000 residents, 4 active offices, 10 cases in 30 days; add 1: 200,000 / 5 = 40,000 residents
    // per office; load 10 / 4 / 30 = 1/12 now, 10 / 5 / 30 = 1/15 after.
    const w = whatIf({ population: 200_000, active_offices: 4, n_cases: 10 }, 30, 1);
    expect(w.officesNow).toBe(4);
    expect(w.officesAfter).toBe(5);
    expect(w.residentsNow).toBe(50_000);
    expect(w.residentsAfter).toBe(40_000);
    expect(w.loadNow).toBeCloseTo(1 / 12, 12);
    expect(w.loadAfter).toBeCloseTo(1 / 15, 12);
  });

  it('has no per-resident figure without a population, and no load without offices or days', () => {
    const noPop = whatIf({ population: null, active_offices: 2, n_cases: 60 }, 10, 2);
    expect(noPop.residentsNow).toBeNull();
    expect(noPop.residentsAfter).toBeNull();
    // 60 cases / 10 days = 6 a day: 3 per office now, 1.5 with two more.
    expect(noPop.loadNow).toBe(3);
    expect(noPop.loadAfter).toBe(1.5);
    const none = whatIf({ population: 1000, active_offices: 0, n_cases: 0 }, 10, 0);
    expect(none.residentsNow).toBeNull();
    expect(none.loadNow).toBeNull();
    expect(whatIf({ population: 1000, active_offices: 0, n_cases: 0 }, 10, 2).residentsAfter).toBe(500);
    expect(whatIf({ population: 1000, active_offices: 1, n_cases: 5 }, null, 1).loadAfter).toBeNull();
  });

  it('reads the number of new offices from the URL as a whole number from 0 to 100', () => {
    expect(parseAdd('3')).toBe(3);
    expect(parseAdd('0')).toBe(0);
    for (const bad of [undefined, '', '-1', '2.5', '101', 'x'])
      expect(parseAdd(bad)).toBe(bad === '' ? 0 : 1);
  });
});

describe('districts', () => {
  const row = (district: number, residents: number | null, hhi: number | null) =>
    ({ district, residents_per_office: residents, hhi_operators: hhi }) as AccessDistrict;

  it('finds the district with the most residents per office, or none without populations', () => {
    expect(mostResidentsPerOffice([row(1, 50_000, 1), row(2, 80_000, 1), row(3, 60_000, 1)])?.district).toBe(
      2,
    );
    expect(mostResidentsPerOffice([row(1, null, 1), row(2, null, 1)])).toBeNull();
    expect(mostResidentsPerOffice(undefined)).toBeNull();
  });

  it('maps each district to the chosen figure and formats it', () => {
    const m = accessMapValues([row(4, 10, 2500.4), row(9, 20, null)], 'hhi_operators');
    expect([...m]).toEqual([
      [4, 2500.4],
      [9, null],
    ]);
    expect(formatAccess('hhi_operators', 2500.4, 'en')).toBe('2,500');
    expect(formatAccess('cases_per_office_day', 0.3333, 'en')).toBe('0.33');
    expect(formatAccess('cases_per_office_day', null, 'fa')).toBe('—');
    expect(formatAccess('residents_per_office', 72447.55, 'fa')).toBe('۷۲٬۴۴۸');
  });

  it('has its own route', () => {
    expect(parseRoute('/access')).toEqual({ name: 'access' });
  });
});
