/**
 * The monthly report's summary in sentences, from the report answer alone (GET /api/report): every
 * figure in a sentence is a field of the answer, formatted here; the words are in i18n/report-*.ts.
 * Pure, so the same sentences are checked against the API's numbers in test/api/report.test.ts.
 */
import type { Report, ReportChange } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import {
  formatDays,
  formatMonth,
  formatNumber,
  formatPClause,
  formatPer1000,
  formatPercent,
  type Lang,
} from './format.ts';

export interface Sentence {
  id: string;
  text: string;
}

export const reportMonth = (key: string, lang: Lang) => formatMonth(key, 'jalali', lang);

/** The scope as the report's title line names it (an inspector's says whose districts they are). */
export function scopeTitle(r: Report, lang: Lang): string {
  const s = r.scope;
  const label = lang === 'fa' ? s.label : s.label_en;
  return messages(lang).report.scopeKinds[s.kind](label);
}

function findChange(r: Report, kind: ReportChange['kind'], group: ReportChange['group'], key: string) {
  return r.changes.find((c) => c.kind === kind && c.group === group && c.key === key);
}

/** " — beyond chance (…, q = 0.003)" or " — within chance (q = 0.19)". */
export function testClause(c: ReportChange | undefined, lang: Lang): string {
  if (!c) return '';
  const t = messages(lang).report;
  const q = formatPClause('q', c.q, lang);
  const mark = c.provisional ? t.provisionalMark : '';
  return c.beyond_chance ? t.beyond(t.tests[c.test] ?? c.test, `${q}${mark}`) : t.within(`${q}${mark}`);
}

/** One change in words (the value pair and its direction), without the test clause. */
export function changeText(c: ReportChange, lang: Lang): string {
  const t = messages(lang).report;
  const label = lang === 'fa' ? c.label : c.label_en;
  if (c.kind === 'median') {
    const subject =
      c.group === 'scope'
        ? t.medianScope
        : c.group === 'district'
          ? t.medianOfDistrict(label)
          : t.medianOf(label);
    return t.median(subject, formatDays(c.before, lang), formatDays(c.after, lang), c.direction);
  }
  if (c.kind === 'breach_rate')
    return t.breachChange(formatPercent(c.before, lang), formatPercent(c.after, lang), c.direction);
  return t.complaintCategoryRate(
    label,
    formatPer1000(c.before, lang),
    formatPer1000(c.after, lang),
    c.direction,
  );
}

/** A stage's name in the UI's language (the export may give only a Persian one). */
export const stageName = (s: { stage_name: string; stage_name_en: string | null }, lang: Lang) =>
  lang === 'en' ? (s.stage_name_en ?? s.stage_name) : s.stage_name;

const capitalise = (s: string, lang: Lang) => (lang === 'en' ? s.charAt(0).toUpperCase() + s.slice(1) : s);

export function reportSentences(r: Report, lang: Lang): Sentence[] {
  const t = messages(lang).report;
  const n = (x: number) => formatNumber(x, lang);
  const month = reportMonth(r.month, lang);
  const prevMonth = reportMonth(r.previous_month, lang);
  const cur = r.total.current;
  const prev = r.total.previous;
  const scopeLabel = lang === 'fa' ? r.scope.label : r.scope.label_en;
  const out: Sentence[] = [];

  out.push({
    id: 'volume',
    text: t.volume(
      month,
      t.inScope[r.scope.kind](scopeLabel),
      n(cur.n_cases),
      prevMonth,
      n(prev.n_cases),
      n(cur.n_closed),
      n(cur.n_open),
      formatPercent(cur.open_share, lang),
    ),
  });

  const med = findChange(r, 'median', 'scope', 'all');
  out.push({
    id: 'median',
    text: `${t.median(t.medianScope, formatDays(prev.median_days, lang), formatDays(cur.median_days, lang), med?.direction ?? 'same')}${testClause(med, lang)}.`,
  });
  if (cur.n_open > 0)
    out.push({
      id: 'km',
      text: t.km(n(cur.n_open), formatDays(cur.km_median_days, lang), formatDays(prev.km_median_days, lang)),
    });
  if (cur.provisional)
    out.push({ id: 'provisional', text: t.provisional(month, formatPercent(cur.open_share, lang)) });

  if (cur.breach_rate !== null)
    out.push({
      id: 'breach',
      text: `${t.breach(formatPercent(cur.breach_rate, lang), formatPercent(prev.breach_rate, lang))}${testClause(findChange(r, 'breach_rate', 'scope', 'all'), lang)}.`,
    });

  const k = r.total.complaints;
  out.push({
    id: 'complaints',
    text: `${t.complaints(n(k.complaints), formatPer1000(k.rate, lang), formatPer1000(r.total.previous_complaints.rate, lang))}${testClause(findChange(r, 'complaint_rate', 'scope', 'all'), lang)}.`,
  });
  const top = [...r.complaints_by_source].sort((a, b) => b.count - a.count)[0];
  if (top && top.count > 0)
    out.push({
      id: 'source',
      text: t.topSource(lang === 'fa' ? top.label : top.label_en, n(top.count), n(k.complaints)),
    });

  if (r.slowest) {
    const s = r.slowest;
    out.push({
      id: 'slowest',
      text: t.slowest(
        lang === 'fa' ? s.label : s.label_en,
        formatDays(s.median_days, lang),
        n(s.n_closed),
        s.months_running,
        t.ordinal(s.months_running, n(s.months_running)),
      ),
    });
  }

  // DESIGN 12: the bottleneck, only where event data exists and enough of the month's cases carry it
  const heaviest = r.stages?.top;
  if (heaviest)
    out.push({
      id: 'stages',
      text: t.stageBottleneck(
        r.scope.kind === 'district',
        lang === 'fa' ? heaviest.label : heaviest.label_en,
        stageName(heaviest, lang),
        messages(lang).process.actors[heaviest.actor],
        formatPercent(heaviest.share, lang),
      ),
    });

  const others = r.changes.filter((c) => c.beyond_chance && c.group !== 'scope');
  if (others.length === 0) out.push({ id: 'no-other-changes', text: t.noOtherChanges(prevMonth) });
  others.forEach((c, i) => {
    out.push({ id: `change-${i}`, text: `${capitalise(changeText(c, lang), lang)}${testClause(c, lang)}.` });
  });

  const flags = [...r.flags.flags, ...r.flags.district_flags].sort(
    (a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0),
  );
  if (flags.length === 0) out.push({ id: 'flags', text: t.noFlags });
  else {
    const strongest = flags[0];
    out.push({
      id: 'flags',
      text: `${t.flagsCount(n(r.flags.flags.length), n(r.flags.district_flags.length), month, r.flags.flags.length, r.flags.district_flags.length)} ${t.strongest(lang === 'fa' ? strongest.reason_fa : strongest.reason_en)}`,
    });
  }
  return out;
}
