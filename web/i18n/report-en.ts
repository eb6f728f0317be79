/** The monthly report's words in English; the Persian file (report-fa.ts) is the contract. */
import type { ReportMessages } from './report-fa.ts';

const ORDINALS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
];

export const reportEn: ReportMessages = {
  title: 'Monthly report',
  docTitle: (month, scope) => `Monthly report, ${month} — ${scope}`,
  month: 'Month',
  scope: 'Scope',
  scopeCity: 'Whole city',
  scopeMine: 'All my districts',
  print: 'Print / PDF',
  printHint:
    'For a PDF, press Print and choose "Save as PDF" (A4). From a terminal: npm run report -- --month 1404/05 --db <file> --out report.pdf',
  loading: 'Preparing the report…',
  ready: 'The report is ready',
  meta: (scope, window, asOf) => `Scope: ${scope} · Period: ${window} · Data as of ${asOf}`,
  window: (from, to) => `${from} to ${to}`,
  pageOf: ['Page ', ' of '],
  scopeKinds: {
    city: (label) => label,
    district: (label) => label,
    user_districts: (label) => `${label} (the districts you may see)`,
  },
  inScope: {
    city: () => 'the whole city',
    district: (label) => label,
    user_districts: (label) => `districts ${label.replace(/District /g, '')}`,
  },
  sections: {
    summary: 'Summary',
    changes: 'Changes since last month beyond chance',
    flags: 'Offices and districts flagged this month',
    districts: 'Districts compared',
    categories: 'Service categories',
    complaints: 'Complaints by category and channel',
    trend: 'The last twelve months',
    stages: 'Stage bottlenecks',
    method: 'Method',
  },
  noChanges: 'No change since last month is beyond chance.',
  noFlags: 'No office or district is outside its 99.8% funnel limit this month.',
  cols: {
    what: 'Measure',
    group: 'Group',
    before: 'Last month',
    after: 'This month',
    test: 'Test',
    p: 'p',
    q: 'q',
    provisional: 'Provisional',
    office: 'Office',
    district: 'District',
    signal: 'Signal',
    scope: 'Scope',
    value: 'Value',
    target: 'Target (city)',
    z: 'z',
    n: 'n',
    reason: 'Reason',
    cases: 'Cases',
    closed: 'Closed',
    openShare: 'Open share',
    median: 'Median (days)',
    kmMedian: 'Kaplan–Meier median (days)',
    medianPrev: 'Median last month',
    breach: 'Deadline breach rate',
    complaints: 'Complaints',
    complaintRate: 'Complaints per 1,000 cases',
    category: 'Category',
    source: 'Channel',
    month: 'Month',
  },
  kinds: {
    median: 'Median processing time',
    breach_rate: 'Deadline breach rate',
    complaint_rate: 'Complaint rate',
  },
  tests: {
    rank_sum: 'Wilcoxon–Mann–Whitney',
    two_proportion: 'two-proportion',
    poisson: 'exact Poisson',
  },
  chart: {
    districtTitle: 'Median processing time of closed cases, by district',
    trendTitle: 'Median processing time and complaint rate, last twelve months',
    thisMonth: 'This month',
    lastMonth: 'Last month',
    medianDays: 'Median (days)',
    per1000: 'Complaints per 1,000 cases',
  },
  volume: (month, scope, n, prevMonth, nPrev, closed, open, openPct) =>
    `In ${month}, ${n} cases were submitted in ${scope} (${prevMonth}: ${nPrev}); ${closed} of them are closed and ${open} (${openPct}) are still open.`,
  median: (subject, before, after, dir) =>
    dir === 'same'
      ? `${subject} stayed at ${after} days`
      : `${subject} ${dir === 'up' ? 'rose' : 'fell'} from ${before} to ${after} days`,
  medianScope: 'The median processing time of closed cases',
  medianOf: (group) => `The median processing time of ${group.charAt(0).toLowerCase()}${group.slice(1)}`,
  medianOfDistrict: (district) => `The median processing time in ${district}`,
  km: (open, km, kmPrev) =>
    `Counting the ${open} open cases (Kaplan–Meier), the median is ${km} days (${kmPrev} last month).`,
  provisional: (month, pct) =>
    `The figures for ${month} are provisional: ${pct} of its cases are still open, so its median of closed cases and its breach rate read low.`,
  breach: (rate, prevRate) =>
    `The statutory deadline was missed in ${rate} of decided cases (${prevRate} last month)`,
  complaints: (n, rate, prevRate) =>
    `${n} complaints were received, ${rate} per 1,000 cases (${prevRate} last month)`,
  complaintCategoryRate: (category, before, after, dir) =>
    dir === 'same'
      ? `${category} complaints stayed at ${after} per 1,000 cases`
      : `${category} complaints ${dir === 'up' ? 'rose' : 'fell'} from ${before} to ${after} per 1,000 cases`,
  breachChange: (before, after, dir) =>
    `the deadline breach rate ${dir === 'up' ? 'rose' : dir === 'down' ? 'fell' : 'moved'} from ${before} to ${after}`,
  topSource: (source, n, total) => `Most came through the ${source} (${n} of ${total}).`,
  beyond: (test, q) => ` — beyond chance (${test} test, ${q})`,
  within: (q) => ` — within chance (${q})`,
  provisionalMark: ', on provisional figures',
  slowest: (district, days, n, running, runningText) =>
    running >= 2
      ? `${district} is the slowest district for the ${runningText} month running (median ${days} days over ${n} closed cases).`
      : `${district} is the slowest district this month (median ${days} days over ${n} closed cases).`,
  ordinal: (n, digits) => ORDINALS[n] ?? `${digits}th`,
  otherChanges: 'Other changes beyond chance:',
  noOtherChanges: (prevMonth) => `No other change since ${prevMonth} is beyond chance.`,
  flagsCount: (offices, districts, month, nOffices, nDistricts) =>
    `In ${month}, ${offices} ${nOffices === 1 ? 'office' : 'offices'} and ${districts} ${nDistricts === 1 ? 'district' : 'districts'} ${nOffices + nDistricts === 1 ? 'is' : 'are'} outside the 99.8% funnel limits.`,
  strongest: (reason) => `The strongest signal: ${reason}`,
  footnote: (alpha, minN, open) =>
    `Method: each month is compared with the month before. Changes of medians are tested with the Wilcoxon rank-sum (Mann–Whitney) test on the two months' closed-case durations, the deadline breach rate with the two-proportion z-test, and complaint rates with the exact conditional test of two Poisson rates (each month's cases as exposure). q-values are Benjamini–Hochberg over all of this report's tests; a change is "beyond chance" when q < ${alpha}. A month with more than ${open} of its cases open is provisional. The slowest district is chosen among districts with at least ${minN} closed cases. Flags are the inspection list over this month's window. The Method page has the details.`,
  stagesMissing:
    "No event data is loaded: bottlenecks are computed only from the cases' stage events (an events file or an XES log), never guessed.",
  stagesNone: 'None of the cases submitted this month in this scope has stage events.',
  stagesIntro: (cases) =>
    `From the ${cases} cases of this month that have stage events. A district's bottleneck is the stage that took the most time in total over its cases.`,
  stagesActors: (office, municipality, citizen, other) =>
    `Share of the days in this scope: in the office's hands ${office}, the municipality's ${municipality}, the applicant's ${citizen}, others ${other}.`,
  stageCols: {
    stage: 'Bottleneck stage',
    actor: 'In the hands of',
    share: 'Share of stage time',
    days: 'Total days',
    cases: 'Cases with events',
  },
  stageBottleneck: (one, district, stage, actor, share) =>
    one
      ? `In ${district} the largest share of this month's case days went to the stage "${stage}" (in the hands of the ${actor}): ${share} of all stage time.`
      : `This month's heaviest bottleneck is in ${district}: ${share} of its cases' stage time went to "${stage}" (in the hands of the ${actor}).`,
  error: 'The report could not be built:',
};
