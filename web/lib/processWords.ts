/**
 * Flags of the Process view in words (issue 11): "in district 12, 41% of business licences pass an
 * extra inquiry, against 2% elsewhere". Pure, so the sentences are tested without a browser.
 */

import type { StageExtra, Stages, StageVariants } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, formatPercent, type Lang } from './format.ts';

type ExtraRow = StageExtra['flags'][number];
type ReworkRow = StageVariants['rework']['districts']['rows'][number];
type Bottleneck = Stages['bottlenecks'][number];

const pick = (lang: Lang, fa: string, en: string | null | undefined) => (lang === 'fa' ? fa : en || fa);

export function extraSentence(r: ExtraRow, lang: Lang): string {
  const t = messages(lang).process;
  return t.extraSentence(
    pick(lang, r.label, r.label_en),
    formatPercent(r.share, lang, 0),
    pick(lang, r.service_name, r.service_name_en),
    pick(lang, r.stage_name, r.stage_name_en),
    formatPercent(r.other_share, lang, 0),
  );
}

/** A flagged district's rework in words, naming the stage its cases repeat most; null when none is named. */
export function reworkSentence(r: ReworkRow, serviceLabel: string, lang: Lang): string | null {
  if (!r.top_stage) return null;
  const t = messages(lang).process;
  return t.reworkSentence(
    pick(lang, r.label, r.label_en),
    formatPercent(r.top_stage.rate, lang, 0),
    pick(lang, r.top_stage.stage_name, r.top_stage.stage_name_en),
    formatPercent(r.top_stage.other_rate, lang, 0),
    serviceLabel,
  );
}

export function bottleneckSentence(b: Bottleneck, meanDaysPerCase: number | null, lang: Lang): string {
  const t = messages(lang).process;
  return t.bottleneckSentence(
    pick(lang, b.stage_name, b.stage_name_en),
    formatPercent(b.share, lang, 0),
    t.actors[b.actor],
    formatNumber(meanDaysPerCase, lang, 1),
  );
}
