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
