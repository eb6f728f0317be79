import { describe, expect, it } from 'vitest';
import {
  buildUrl,
  parseRoute,
  parseUrl,
  withFilters,
  withLang,
  withRoute,
  withView,
} from '../../web/lib/url.ts';

describe('URL state', () => {
  it('parses route, language, filters and view choices', () => {
    const s = parseUrl('/offices/O%20101', '?district=7&lang=en&sort=n_cases&from=2023-09-23&bogus=');
    expect(s.route).toEqual({ name: 'office', id: 'O 101' });
    expect(s.lang).toBe('en');
    expect(s.filters).toEqual({ district: '7', from: '2023-09-23' });
    expect(s.view).toEqual({ sort: 'n_cases' });
  });

  it('defaults to Persian and the overview', () => {
    const s = parseUrl('/', '');
    expect(s.lang).toBe('fa');
    expect(s.route).toEqual({ name: 'overview' });
    expect(parseRoute('/nowhere')).toEqual({ name: 'not_found', path: '/nowhere' });
    expect(parseRoute('/districts/')).toEqual({ name: 'districts' });
  });

  it('builds a stable link that parses back to the same state', () => {
    const s = parseUrl('/outliers', '?flag_district=3&channel=online&lang=en&from=2023-01-01');
    const href = buildUrl(s);
    expect(href).toBe('/outliers?from=2023-01-01&channel=online&lang=en&flag_district=3');
    const [path, qs] = href.split('?');
    expect(parseUrl(path, `?${qs}`)).toEqual(s);
  });

  it('omits the default language', () => {
    expect(buildUrl(withLang(parseUrl('/', '?lang=en'), 'fa'))).toBe('/');
  });

  it('resets paging when filters change and drops emptied filters', () => {
    const s = parseUrl('/offices/O1', '?district=7&page=4&status=open');
    const next = withFilters(s, { district: undefined, service: 'BP01' });
    expect(next.filters).toEqual({ service: 'BP01' });
    expect(next.view).toEqual({ status: 'open' });
  });

  it('keeps filters and language but not view choices across views', () => {
    const s = parseUrl('/', '?district=7&map=breach_rate&lang=en');
    const next = withRoute(s, { name: 'offices' });
    expect(buildUrl(next)).toBe('/offices?district=7&lang=en');
  });

  it('patches view choices, removing cleared ones', () => {
    const s = parseUrl('/offices', '?sort=name&dir=asc');
    expect(withView(s, { dir: undefined, q: 'تهران' }).view).toEqual({ sort: 'name', q: 'تهران' });
  });
});
