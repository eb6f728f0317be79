/**
 * Pure functions behind issue 13 (three people, three tasks): charts on paper, axis ranges, the
 * service picker and the districts view's filters, the cases behind a flag, error messages and the
 * rejects said in the manager's terms. Expected values are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Funnel, Meta } from '../../web/api/types.ts';
import { niceStep, startsAtZero, valueRange } from '../../web/charts/axis.ts';
import { buildBoxplotOption } from '../../web/charts/boxplot.ts';
import { funnelYRange } from '../../web/charts/funnel.ts';
import { cspSafeSvg, printOption } from '../../web/charts/print.ts';
import { describeError } from '../../web/lib/errors.ts';
import { flagCases, flagCasesView } from '../../web/lib/flags.ts';
import { makeNames } from '../../web/lib/names.ts';
import { fileHeader, headersFromMapping, localiseInstants } from '../../web/lib/rejects.ts';
import { busiestService, groupServices, type MetaService } from '../../web/lib/services.ts';
import { scopedSentence } from '../../web/lib/varianceWords.ts';
import { viewFilters } from '../../web/lib/viewFilters.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading plain option objects
type Any = any;

describe('charts on paper', () => {
  it('prints without animation or tooltip, with legends that wrap, leaving the input alone', () => {
    const option = { legend: { type: 'scroll', right: 8, pageButtonPosition: 'end' }, series: [] };
    const printed = printOption(option) as Any;
    expect(printed.animation).toBe(false);
    expect(printed.tooltip).toEqual({ show: false });
    expect(printed.legend).toEqual({ type: 'plain', right: 8 });
    expect(option.legend.type).toBe('scroll');
    expect((printOption({ legend: [{ type: 'scroll' }, { top: 0 }] }) as Any).legend).toEqual([
      { type: 'plain' },
      { top: 0, type: 'plain' },
    ]);
    expect('legend' in (printOption({ series: [] }) as Any)).toBe(false);
  });

  it('turns inline styles into SVG presentation attributes and drops the hover <style>', () => {
    const svg =
      '<svg><text style="font-size:12px;font-family:Vazirmatn, Tahoma;" x="1">منطقه ۱</text>' +
      '<style ><![CDATA[\n.zr0-cls-0:hover { cursor:pointer; }\n]]>\n</style></svg>';
    expect(cspSafeSvg(svg)).toBe(
      '<svg><text font-size="12px" font-family="Vazirmatn, Tahoma" x="1">منطقه ۱</text></svg>',
    );
  });
});

describe('axis ranges', () => {
  it('starts at zero only when zero is near the data', () => {
    expect(startsAtZero(0, 10)).toBe(true);
    expect(startsAtZero(4, 10)).toBe(true);
    expect(startsAtZero(4.1, 10)).toBe(false);
    expect(startsAtZero(-1, 10)).toBe(false);
  });

  it('rounds to steps of 1, 2 or 5 × 10ⁿ', () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(37)).toBe(10);
    expect(niceStep(0)).toBe(1);
  });

  it('monthly medians between 2.6 and 3.4 days get an axis from 2.6, not from 0', () => {
    // span 0.8 → step 0.2 (0.16 → 0.2): floor(2.6 / 0.2) · 0.2 = 2.6, ceil(3.4 / 0.2) · 0.2 = 3.4
    const r = valueRange([2.6, 3.1, null, 3.4]);
    expect(r.min).toBeCloseTo(2.6, 9);
    expect(r.max).toBeCloseTo(3.4, 9);
    // counts near zero: from 0; span 47 → step 10 → max 50
    expect(valueRange([3, 47])).toEqual({ min: 0, max: 50 });
    expect(valueRange([55, 97], { ceil: 100 }).max).toBe(100);
    expect(valueRange([])).toEqual({});
  });

  it("a tiny untested office does not set the funnel's axis", () => {
    const base = { z: 0, p: 1, q: 1, lo95: null, hi95: null, lo998: null, hi998: null, flag: null };
    const f: Funnel = {
      metric: 'complaints',
      time: 'total',
      by: 'office',
      scope: 'all',
      target: 0.04,
      phi: 1,
      method: 'multiplicative',
      tau2: 0,
      min_n: 30,
      selection: { label: '', label_en: '', n: 1301, count: 48, value: 48 / 1301 },
      rows: [
        { ...base, key: 'A', label: 'A', district: 1, n: 400, count: 20, value: 0.05, tested: true },
        { ...base, key: 'B', label: 'B', district: 1, n: 900, count: 27, value: 0.03, tested: true },
        // 1 complaint over 1 case: 1,000 per 1,000 cases
        { ...base, key: 'T', label: 'T', district: 2, n: 1, count: 1, value: 1, tested: false },
      ],
      curve: [
        { n: 1, lo95: 0, hi95: 0.43, lo998: 0, hi998: 0.66 },
        { n: 400, lo95: 0.02, hi95: 0.06, lo998: 0.009, hi998: 0.071 },
        { n: 900, lo95: 0.027, hi95: 0.053, lo998: 0.019, hi998: 0.061 },
      ],
    };
    // per 1,000: tested 50 and 30, target 40, limits from n = 400 up: 9 … 71 → 0 to 80 (step 20)
    expect(funnelYRange(f)).toEqual({ min: 0, max: 80 });
  });

  it("draws the city's box after an inspector's district", () => {
    const d = {
      district: 3,
      label: '',
      label_en: '',
      n: 40,
      p10_days: 1,
      q1_days: 2,
      median_days: 3,
      q3_days: 4,
      p90_days: 6,
      tested: true,
    };
    const option = buildBoxplotOption({
      districts: [d],
      districtName: makeNames(undefined, 'en').district,
      lang: 'en',
      reference: { label: 'Whole city', summary: { ...d, n: 900, median_days: 2.5 } },
    }) as Any;
    expect(option.xAxis.data).toEqual(['District 3', 'Whole city']);
    expect(option.series[0].data[1].value).toEqual([1, 2, 2.5, 4, 6]);
  });
});

const svc = (code: string, category: string | null, n: number, name = code): MetaService => ({
  service_code: code,
  name,
  name_en: name,
  category,
  sla_days: null,
  n_cases: n,
});

describe('the service picker and the districts view', () => {
  const services = [
    svc('BP1', 'building_permit', 120, 'دستور نقشه'),
    svc('BP2', 'building_permit', 300, 'صدور پروانه ساختمانی'),
    svc('BP3', 'building_permit', 300, 'تمدید پروانه'),
    svc('INQ', 'inquiry', 900, 'استعلام بانكي'),
  ];

  it('opens on the busiest building-permit service (ties by code), else the busiest of all', () => {
    expect(busiestService(services)?.service_code).toBe('BP2');
    expect(busiestService(services.filter((s) => s.category !== 'building_permit'))?.service_code).toBe(
      'INQ',
    );
    expect(busiestService([])).toBeUndefined();
  });

  it('groups by category and finds a service whatever its ی/ک spelling', () => {
    const cat = (c: string | null) => (c === 'building_permit' ? 'پروانه ساختمانی' : 'استعلام');
    const name = (code: string) => services.find((s) => s.service_code === code)?.name ?? code;
    const all = groupServices(services, name, cat, '', 'fa');
    expect(all.map((g) => g.label)).toEqual(['استعلام', 'پروانه ساختمانی']);
    expect(all[1].services.map((s) => s.code)).toEqual(['BP3', 'BP1', 'BP2']);
    // the export wrote Arabic ي and ك; the reader types Persian ی and ک
    const found = groupServices(services, name, cat, 'بانکی', 'fa');
    expect(found.flatMap((g) => g.services.map((s) => s.code))).toEqual(['INQ']);
  });

  it('applies what the view shows: no place filter or category, the default service named as one', () => {
    const meta = { services } as unknown as Meta;
    const v = viewFilters('districts', { district: '3', category: 'inquiry', from: '1402/01/01' }, meta);
    expect(v.filters).toEqual({ from: '1402/01/01', service: 'BP2' });
    expect(v.defaulted).toEqual(['service']);
    expect(v.ignored).toEqual(['district', 'category']);
    expect(v.hidden).toContain('service');
    const chosen = viewFilters('districts', { service: 'BP1' }, meta);
    expect([chosen.filters.service, chosen.defaulted]).toEqual(['BP1', []]);
    expect(viewFilters('overview', { district: '3' }, meta).filters).toEqual({ district: '3' });
  });

  it("says an inspector's district against the city, naming no other district", () => {
    const v = {
      service: 'BP2',
      min_n: 20,
      districts: [
        {
          district: 3,
          label: '',
          label_en: '',
          n: 114,
          median_days: 6.9,
          q1_days: 4,
          q3_days: 9,
          p10_days: 2,
          p90_days: 12,
          tested: true,
        },
      ],
      city: { n: 2500, median_days: 5.4, q1_days: 3, q3_days: 8, p10_days: 2, p90_days: 11 },
      kruskal_wallis: null,
      ratio_max_min: null,
      cv_medians: null,
      slowest: null,
      fastest: null,
    };
    expect(scopedSentence(v, makeNames(undefined, 'en').district, 'en')).toBe(
      'The median processing time in District 3 is 6.9 days against 5.4 days in the whole city (1.28 × the city), from 114 closed cases in the district.',
    );
  });
});

describe('the cases behind a flag', () => {
  it('speed flags list closed cases of their scope, slowest (fastest) first; rate flags every case', () => {
    expect(flagCases('slow', 'building_permit')).toEqual({
      basis: 'slow_share',
      category: 'building_permit',
      sort: 'duration_days',
      dir: 'desc',
    });
    expect(flagCases('suspiciously_fast', 'all')).toEqual({
      basis: 'slow_share',
      category: undefined,
      sort: 'duration_days',
      dir: 'asc',
    });
    expect(flagCases('complaints', 'all').basis).toBe('complaints');
    expect(flagCases('bribe_reports', 'all').sort).toBe('bribe_reports');
    expect(flagCasesView('slow', 'inquiry')).toEqual({
      flag: 'slow:inquiry',
      sort: 'duration_days',
      dir: 'desc',
    });
  });
});

describe('errors in the reader’s language', () => {
  const api = (status: number, code: string, message: string, parameter?: string) => ({
    status,
    code,
    message,
    parameter,
  });

  it('a bad parameter names it in Persian, keeps the server text as detail, offers no retry', () => {
    const e = describeError(
      api(400, 'bad_parameter', 'district: "x" is not a district number', 'district'),
      'fa',
    );
    expect(e.message).toBe('مقدار «منطقه» پذیرفته نیست؛ آن را اصلاح کنید.');
    expect(e.detail).toBe('district: "x" is not a district number');
    expect(e.retryable).toBe(false);
    expect(describeError(api(400, 'bad_parameter', 'x', 'page'), 'en').message).toBe(
      'The value of “page number” is not accepted; correct it.',
    );
  });

  it('retry only where trying again can help: network, 5xx, 429', () => {
    expect(describeError(api(0, 'network', '/api/x: Failed to fetch'), 'fa').retryable).toBe(true);
    expect(describeError(api(500, 'internal', 'Unexpected'), 'fa').retryable).toBe(true);
    expect(describeError(api(429, 'too_many_requests', 'slow down'), 'fa').retryable).toBe(true);
    expect(describeError(api(404, 'not_found', 'No office'), 'fa').retryable).toBe(false);
    expect(describeError(api(403, 'forbidden', 'no'), 'en').message).toBe('You may not see this part.');
    expect(describeError(new Error('boom'), 'en')).toMatchObject({ detail: 'boom', retryable: true });
  });
});

describe('rejects in the manager’s terms', () => {
  const mapping = JSON.stringify({
    mode: 'flat',
    files: { flat: { columns: { 'تاریخ پایان': 'closed_at', وضعیت: 'status' } } },
  });

  it("names a column by the file's own header", () => {
    const h = headersFromMapping(mapping);
    expect(fileHeader('closed_at', 'flat', h)).toBe('تاریخ پایان');
    expect(fileHeader('status', 'cases', h)).toBe('وضعیت');
    expect(fileHeader('channel', 'flat', h)).toBe('channel');
    expect(headersFromMapping('{not json').size).toBe(0);
    expect(headersFromMapping(null).size).toBe(0);
  });

  it('writes instants in Tehran time, Solar Hijri in Persian', () => {
    // 2023-07-24T05:30Z = 09:00 in Tehran (UTC+3:30, no daylight saving since 2022) = 2 Mordad 1402
    const fa = localiseInstants('closed_at (2023-07-24T05:30:00Z) is before', 'fa');
    expect(fa).toContain('۱۴۰۲/۰۵/۰۲');
    expect(fa).toContain('۰۹:۰۰');
    expect(fa).toContain('به وقت تهران');
    expect(fa).not.toContain('2023');
    expect(localiseInstants('at 2023-07-24T05:30:00Z', 'en')).toBe('at 2023-07-24, 09:00 Tehran time');
  });
});
