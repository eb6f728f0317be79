/**
 * GET /api/cases: sorting and paging over every matching case (not one page), and `basis`, the cases
 * a signal counts. Expected values are worked out by hand from the fixture below.
 *
 * City medians of closed cases per service (completed or rejected, every office):
 *   S1: A 1, 4, 10, 12 (rejected); B 2, 3; C 5 → sorted 1 2 3 4 5 10 12 → median 4
 *   S2: A 3; C 1, 2 → median 2
 * Office A's closed cases: a1 (S1, 1 d), a4 (S1, 4 d = the median: not slower), a10 (S1, 10 d),
 * a12 (S1, rejected, 12 d), a3 (S2, 3 d > 2) → 5 closed, 3 slower; plus one open and one withdrawn
 * case, which a slow_share list leaves out. Complaints of A in the window: two naming a10 (one a
 * bribe request) and one naming no case → 3, of which 2 name a listed case.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { type Body, type CaseDef, closed, makeApp, open } from './fixture.ts';

const T0 = '2024-01-10T06:00:00Z';

describe('the cases behind a number', () => {
  let get: (path: string) => Promise<{ status: number; body: Body }>;
  beforeAll(async () => {
    const cases: CaseDef[] = [
      closed('a1', 'A', 'S1', T0, 1),
      closed('a4', 'A', 'S1', T0, 4),
      closed('a10', 'A', 'S1', T0, 10),
      closed('a12', 'A', 'S1', T0, 12, { status: 'rejected' }),
      closed('a3', 'A', 'S2', T0, 3),
      open('aopen', 'A', 'S1', T0),
      { ...closed('awd', 'A', 'S1', T0, 2), status: 'withdrawn' },
      closed('b2', 'B', 'S1', T0, 2),
      closed('b3', 'B', 'S1', T0, 3),
      closed('c5', 'C', 'S1', T0, 5),
      closed('c1', 'C', 'S2', T0, 1),
      closed('c2', 'C', 'S2', T0, 2),
    ];
    ({ get } = await makeApp({
      asOf: '2024-03-01T00:00:00Z',
      offices: [
        { office_id: 'A', district: 3 },
        { office_id: 'B', district: 3 },
        { office_id: 'C', district: 5 },
      ],
      services: [
        { service_code: 'S1', category: 'building_permit', sla_days: 30 },
        { service_code: 'S2', category: 'inquiry', sla_days: 30 },
      ],
      cases,
      complaints: [
        {
          complaint_id: 'k1',
          office_id: 'A',
          case_id: 'a10',
          received_at: '2024-01-20T06:00:00Z',
          category: 'delay',
        },
        {
          complaint_id: 'k2',
          office_id: 'A',
          case_id: 'a10',
          received_at: '2024-01-21T06:00:00Z',
          category: 'bribe_request',
        },
        { complaint_id: 'k3', office_id: 'A', received_at: '2024-01-22T06:00:00Z', category: 'other' },
        {
          complaint_id: 'k4',
          office_id: 'C',
          case_id: 'c5',
          received_at: '2024-01-22T06:00:00Z',
          category: 'delay',
        },
      ],
    }));
  });

  test('slow_share: the closed cases (completed or rejected), each marked slower than its city median', async () => {
    const { status, body } = await get('/api/cases?office=A&basis=slow_share&sort=duration_days&order=desc');
    expect(status).toBe(200);
    expect(body.total).toBe(5);
    expect(body.summary.slower).toBe(3);
    expect(body.rows.map((r: Body) => r.case_id)).toEqual(['a12', 'a10', 'a4', 'a3', 'a1']);
    const by = Object.fromEntries(body.rows.map((r: Body) => [r.case_id, r]));
    expect(by.a12.status).toBe('rejected');
    expect([by.a12.slower, by.a10.slower, by.a4.slower, by.a3.slower, by.a1.slower]).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(by.a4.city_median_days).toBeCloseTo(4, 9);
    expect(by.a3.city_median_days).toBeCloseTo(2, 9);
    // the list is the signal: the office's slow_share funnel row counts the same cases
    const funnel = await get('/api/funnel?metric=slow_share&by=office&min_n=0');
    const a = funnel.body.rows.find((r: Body) => r.key === 'A');
    expect([a.n, a.count]).toEqual([5, 3]);
    // within a flag's scope (a category): the building-permit cases only
    const scoped = await get('/api/cases?office=A&category=building_permit&basis=slow_share');
    expect([scoped.body.total, scoped.body.summary.slower]).toEqual([4, 2]);
    const slowerOnly = await get('/api/cases?office=A&basis=slow_share&slower=true&sort=case_id&order=asc');
    expect(slowerOnly.body.rows.map((r: Body) => r.case_id)).toEqual(['a10', 'a12', 'a3']);
  });

  test('sorting and paging run over all matching cases, not one page', async () => {
    const p2 = await get(
      '/api/cases?office=A&basis=slow_share&sort=duration_days&order=asc&page_size=2&page=2',
    );
    expect(p2.body.rows.map((r: Body) => r.case_id)).toEqual(['a4', 'a10']);
    const first = await get('/api/cases?sort=duration_days&order=desc&page_size=1');
    expect(first.body.rows[0].case_id).toBe('a12'); // the slowest of all 12 cases, on page 1
    expect(first.body.total).toBe(12);
    const byService = await get('/api/cases?office=C&sort=service&order=asc&page_size=3');
    expect(byService.body.rows.map((r: Body) => r.service_code)).toEqual(['S1', 'S2', 'S2']);
  });

  test('complaints: every case of the office in the window, with the complaints naming it', async () => {
    const { body } = await get('/api/cases?office=A&basis=complaints&sort=complaints&order=desc');
    expect(body.total).toBe(7);
    expect(body.rows[0].case_id).toBe('a10');
    expect([body.rows[0].complaints, body.rows[0].bribe_reports]).toEqual([2, 1]);
    expect(body.rows[1].complaints).toBe(0);
    expect(body.summary).toEqual({ slower: null, complaints: 3, complaints_on_listed: 2 });
    const funnel = await get('/api/funnel?metric=complaints&by=office&min_n=0');
    const a = funnel.body.rows.find((r: Body) => r.key === 'A');
    expect([a.n, a.count]).toEqual([7, 3]);
    const bribes = await get('/api/cases?office=A&basis=bribe_reports');
    expect(bribes.body.summary).toEqual({ slower: null, complaints: 1, complaints_on_listed: 1 });
  });

  test('a sort or filter that needs a basis is a 400 naming it', async () => {
    for (const [path, parameter] of [
      ['/api/cases?slower=true', 'slower'],
      ['/api/cases?sort=slower', 'sort'],
      ['/api/cases?basis=slow_share&sort=complaints', 'sort'],
      ['/api/cases?sort=office_name', 'sort'],
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error.parameter, path).toBe(parameter);
    }
  });
});
