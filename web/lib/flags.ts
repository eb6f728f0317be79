/** Office flags arrive as 'signal:scope' strings (e.g. 'suspiciously_fast:building_permit'). */
export function parseFlag(s: string): { signal: string; scope: string } {
  const i = s.indexOf(':');
  return i < 0 ? { signal: s, scope: 'all' } : { signal: s.slice(0, i), scope: s.slice(i + 1) || 'all' };
}

export function flagLabel(
  s: string,
  signalName: (signal: string) => string,
  scopeName: (scope: string) => string,
): string {
  const { signal, scope } = parseFlag(s);
  return scope === 'all' ? signalName(signal) : `${signalName(signal)} (${scopeName(scope)})`;
}

/** Slow/fast signals are shares of cases; complaint and bribe signals are rates per case, read per 1,000. */
export const isShareSignal = (signal: string) => signal === 'slow' || signal === 'suspiciously_fast';

export type CaseBasis = 'slow_share' | 'complaints' | 'bribe_reports';

/** The cases list a flag leads to: its basis, its scope as a category filter, and the telling order. */
export interface FlagCases {
  basis: CaseBasis;
  /** The service category the flag's scope restricts to (none for 'all'). */
  category?: string;
  sort: 'duration_days' | 'complaints' | 'bribe_reports';
  dir: 'asc' | 'desc';
}

/**
 * Which cases count toward a flag (DESIGN 4, 5, 7): the slow and suspiciously-fast signals count the
 * closed cases of their scope, shown slowest (fastest) first; the complaint and bribe signals count
 * every case in the window, those with the most complaints first.
 */
export function flagCases(signal: string, scope: string): FlagCases {
  const category = scope && scope !== 'all' ? scope : undefined;
  if (isShareSignal(signal))
    return { basis: 'slow_share', category, sort: 'duration_days', dir: signal === 'slow' ? 'desc' : 'asc' };
  if (signal === 'bribe_reports')
    return { basis: 'bribe_reports', category, sort: 'bribe_reports', dir: 'desc' };
  return { basis: 'complaints', category, sort: 'complaints', dir: 'desc' };
}

/** The office page's view parameters that open the cases behind a flag. */
export function flagCasesView(signal: string, scope: string): Record<string, string> {
  const c = flagCases(signal, scope);
  return { flag: `${signal}:${scope || 'all'}`, sort: c.sort, dir: c.dir };
}
