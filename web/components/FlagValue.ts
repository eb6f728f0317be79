import { isShareSignal } from '../lib/flags.ts';
import { formatNumber, formatPercent, type Lang } from '../lib/format.ts';

export function formatSignalValue(signal: string, v: number | null | undefined, lang: Lang): string {
  return isShareSignal(signal) ? formatPercent(v, lang) : formatNumber(v == null ? null : v * 1000, lang, 2);
}
