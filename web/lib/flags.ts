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
