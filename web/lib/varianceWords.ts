/** The Kruskal–Wallis result said in words, for people who do not read p-values. */
import type { Variance } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, formatPClause, type Lang } from './format.ts';

export const SIGNIFICANCE = 0.05;

export function varianceSentence(v: Variance, districtName: (d: number) => string, lang: Lang): string {
  const t = messages(lang).districts;
  const kw = v.kruskal_wallis;
  if (!kw) return t.kwNone(formatNumber(v.min_n, lang));
  const pair =
    v.slowest && v.fastest && v.ratio_max_min != null
      ? ([
          districtName(v.slowest.district),
          formatNumber(v.ratio_max_min, lang, 1),
          districtName(v.fastest.district),
        ] as const)
      : null;
  if (kw.p_value < SIGNIFICANCE) return pair ? t.kwSignificant(...pair) : t.kwChanceOnly;
  return pair ? t.kwChance(...pair) : t.kwChanceOnly;
}

export function varianceStats(v: Variance, lang: Lang): string | null {
  const kw = v.kruskal_wallis;
  if (!kw) return null;
  return messages(lang).districts.kwStats(
    formatNumber(kw.h, lang, 2),
    formatNumber(kw.df, lang),
    formatPClause('p', kw.p_value, lang),
    formatNumber(kw.epsilon_squared, lang, 3),
    formatNumber(v.cv_medians, lang, 2),
  );
}

/**
 * For a user who sees only some districts (an inspector): each of their districts' median against
 * the city's, in words. Other districts are not named: the city as a whole is the comparison.
 */
export function scopedSentence(v: Variance, districtName: (d: number) => string, lang: Lang): string {
  const t = messages(lang).districts;
  const city = v.city.median_days;
  const own = v.districts.filter((d) => d.median_days != null && d.n > 0);
  if (own.length === 0 || city == null) return t.scopedNone;
  return own
    .map((d) => {
      const m = d.median_days as number;
      const ratio = city > 0 ? m / city : null;
      return t.scopedVsCity(
        districtName(d.district),
        formatNumber(m, lang, 1),
        formatNumber(city, lang, 1),
        ratio == null ? '' : formatNumber(ratio, lang, 2),
        formatNumber(d.n, lang),
      );
    })
    .join(' ');
}
