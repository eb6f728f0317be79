/**
 * Which endpoints can answer as an Excel workbook (`?format=xlsx`), and how each answer becomes
 * sheets: the rows of the JSON answer, one column per field, typed by the answer's own schema (a
 * renamed field fails the type check here), with Persian headers. The conversion itself is in
 * xlsx.ts; nothing here computes a number.
 */

import type { AuditPage } from '../audit/log.ts';
import type { AccessResponse } from '../metrics/access.ts';
import type { CasesAnswer } from '../metrics/cases.ts';
import type { FunnelAnswer } from '../metrics/funnel.ts';
import type { ImportsAnswer, RejectsAnswer } from '../metrics/imports.ts';
import type { OutliersAnswer } from '../metrics/outliers.ts';
import type { ProcessingAnswer } from '../metrics/processing.ts';
import type { OfficesAnswer, ScorecardAnswer } from '../metrics/scorecard.ts';
import type { TrendsAnswer } from '../metrics/trends.ts';
import type { VarianceAnswer } from '../metrics/variance.ts';
import type { UserList } from '../routes/users.ts';

/**
 * How a value is written: text; a number (`int`, `num`, `days`: as numbers, shown with 0, 3 and 1
 * decimals); a proportion shown as a percentage (`share`); a per-case rate (`rate`); a timestamp
 * (`date`: an Excel date in Tehran local time, and the Solar Hijri text in the next column); a yes/no
 * (`bool`); a list (`list`: its items joined); an object (`json`: as JSON text).
 */
export type ColumnKind =
  | 'text'
  | 'int'
  | 'num'
  | 'days'
  | 'share'
  | 'rate'
  | 'date'
  | 'bool'
  | 'list'
  | 'json';

export interface Column<Row> {
  key: keyof Row & string;
  header: string;
  kind: ColumnKind;
}

export interface Sheet<Row = Record<string, unknown>> {
  /** The sheet's tab name (Persian, at most 31 characters). */
  name: string;
  columns: Column<Row>[];
}

export interface XlsxSpec<Answer> {
  /** The export's name in the audit log and the file name (the dashboard's CSV ids). */
  view: string;
  /** The workbook's title line. */
  title: string;
  /** Each sheet with its rows, in the answer's order. */
  sheets: (a: Answer) => { sheet: Sheet; rows: object[] }[];
}

/** Persian headers of the fields the tables carry. */
const H = {
  key: 'کد',
  label: 'نام',
  label_en: 'نام (انگلیسی)',
  district: 'منطقه',
  n_cases: 'تعداد پرونده',
  n_closed: 'پرونده بسته‌شده',
  n_open: 'پرونده باز',
  median_days: 'میانه زمان رسیدگی (روز)',
  p90_days: 'صدک ۹۰ (روز)',
  p10_days: 'صدک ۱۰ (روز)',
  q1_days: 'چارک اول (روز)',
  q3_days: 'چارک سوم (روز)',
  mean_days: 'میانگین (روز)',
  km_median_days: 'میانه کاپلان–مایر (روز)',
  breach_rate: 'نرخ تأخیر از مهلت',
  n_breached: 'پرونده گذشته از مهلت',
  n_deadline_decided: 'پرونده تعیین‌تکلیف‌شده',
  n: 'حجم',
  count: 'شمار',
  value: 'مقدار',
  z: 'z',
  p: 'p',
  q: 'q',
  lo95: 'حد پایین ۹۵٪',
  hi95: 'حد بالای ۹۵٪',
  lo998: 'حد پایین ۹۹٫۸٪',
  hi998: 'حد بالای ۹۹٫۸٪',
  flag: 'نشان',
  tested: 'در آزمون',
  office_id: 'کد دفتر',
  office_name: 'نام دفتر',
  name: 'نام',
  signal: 'نشانه',
  scope: 'دامنه',
  target: 'هدف (شهر)',
  reason_fa: 'دلیل',
  reason_en: 'دلیل (انگلیسی)',
  slow_share: 'سهم کندتر از میانه شهر',
  complaints: 'شکایت',
  complaint_rate: 'شکایت در ۱۰۰۰ پرونده',
  bribe_reports: 'گزارش درخواست رشوه',
  bribe_rate: 'گزارش رشوه در ۱۰۰۰ پرونده',
  flags: 'نشان‌ها',
  month: 'ماه',
  center: 'خط مرکزی',
  ucl: 'حد کنترل بالا',
  lcl: 'حد کنترل پایین',
  case_id: 'شماره پرونده',
  service_code: 'کد خدمت',
  service_name: 'خدمت',
  category: 'گروه خدمت',
  submitted_at: 'زمان ثبت',
  closed_at: 'زمان بسته شدن',
  status: 'وضعیت',
  channel: 'شیوه ثبت',
  duration_days: 'مدت (روز)',
  age_days: 'عمر پرونده باز (روز)',
  breached: 'گذشته از مهلت',
  city_median_days: 'میانه شهر (روز)',
  population: 'جمعیت',
  active_offices: 'دفاتر فعال',
  offices_listed: 'دفاتر ثبت‌شده',
  residents_per_office: 'ساکن به ازای هر دفتر',
  offices_per_100k: 'دفتر در هر ۱۰۰ هزار نفر',
  cases_per_1000_residents_year: 'پرونده در هر ۱۰۰۰ نفر در سال',
  cases_per_office_day: 'پرونده هر دفتر در روز',
  online_share: 'سهم برخط',
  hhi_offices: 'شاخص هرفیندال دفاتر',
  hhi_operators: 'شاخص هرفیندال بهره‌برداران',
  n_operators: 'بهره‌برداران',
  largest_operator_share: 'سهم بزرگ‌ترین بهره‌بردار',
  highly_concentrated: 'بسیار متمرکز',
  operator: 'بهره‌بردار',
  offices: 'دفاتر',
  districts: 'مناطق',
  share: 'سهم',
  largest_in: 'بزرگ‌ترین در مناطق',
  import_id: 'شماره بارگذاری',
  started_at: 'آغاز',
  finished_at: 'پایان',
  username: 'کاربر',
  source: 'منبع',
  files: 'فایل‌ها',
  mode: 'حالت',
  message: 'پیام',
  rows_read: 'ردیف خوانده‌شده',
  rows_inserted: 'ردیف افزوده',
  rows_updated: 'ردیف به‌روزشده',
  rows_unchanged: 'ردیف بی‌تغییر',
  rows_rejected: 'ردیف ردشده',
  as_of: 'داده‌ها تا',
  file: 'فایل',
  line: 'سطر',
  column_name: 'ستون',
  raw_value: 'مقدار خام',
  reason: 'دلیل',
  detail: 'توضیح',
  role: 'نقش',
  created_at: 'ایجاد',
  last_login_at: 'آخرین ورود',
  disabled: 'غیرفعال',
  must_change_password: 'باید گذرواژه را عوض کند',
  sessions: 'نشست‌های باز',
  level: 'سطح',
  attribution: 'نسبت به',
  district_value: 'سهم کندی دیگر دفاتر منطقه',
  z_within: 'z درون منطقه',
  attribution_fa: 'توضیح نسبت',
  partial: 'ماه ناقص',
  km_median: 'میانه کاپلان–مایر (روز)',
  open_share: 'سهم باز',
  provisional: 'موقت',
  slower: 'کندتر از میانه شهر',
  time: 'زمان سنجیده (total کل پرونده، office فقط در دست دفتر)',
  id: 'شماره',
  at: 'زمان',
  action: 'رویداد',
  ip: 'نشانی',
} as const;

/** A column of `Row` whose Persian header is the field's entry in H. */
const cols =
  <Row>() =>
  (...specs: [keyof Row & keyof typeof H & string, ColumnKind][]): Column<Row>[] =>
    specs.map(([key, kind]) => ({ key, header: H[key], kind }));

const sheet = <Row>(name: string, columns: Column<Row>[]): Sheet => ({
  name,
  columns: columns as unknown as Column<Record<string, unknown>>[],
});

// ---- the endpoints

type ProcessingRow = ProcessingAnswer['rows'][number];
const PROCESSING = sheet<ProcessingRow>(
  'زمان رسیدگی',
  cols<ProcessingRow>()(
    ['key', 'text'],
    ['label', 'text'],
    ['label_en', 'text'],
    ['n_cases', 'int'],
    ['n_closed', 'int'],
    ['n_open', 'int'],
    ['median_days', 'days'],
    ['p90_days', 'days'],
    ['mean_days', 'days'],
    ['km_median_days', 'days'],
    ['breach_rate', 'share'],
    ['n_breached', 'int'],
    ['n_deadline_decided', 'int'],
  ),
);

type VarianceRow = VarianceAnswer['districts'][number];
const VARIANCE = sheet<VarianceRow>(
  'مناطق',
  cols<VarianceRow>()(
    ['district', 'int'],
    ['label', 'text'],
    ['n', 'int'],
    ['median_days', 'days'],
    ['q1_days', 'days'],
    ['q3_days', 'days'],
    ['p10_days', 'days'],
    ['p90_days', 'days'],
    ['tested', 'bool'],
  ),
);

type FunnelRow = FunnelAnswer['rows'][number];
/** A row with the answer's `time` (whose time the speed signals measured: DESIGN 13) beside it. */
type Timed<Row> = Row & { time: FunnelAnswer['time'] };
const timed = <Row extends object>(rows: Row[], time: FunnelAnswer['time']): Timed<Row>[] =>
  rows.map((r) => ({ ...r, time }));

const FUNNEL = sheet<Timed<FunnelRow>>(
  'نمودار قیفی',
  cols<Timed<FunnelRow>>()(
    ['key', 'text'],
    ['label', 'text'],
    ['district', 'int'],
    ['n', 'int'],
    ['count', 'int'],
    ['value', 'num'],
    ['z', 'num'],
    ['p', 'num'],
    ['q', 'num'],
    ['lo95', 'num'],
    ['hi95', 'num'],
    ['lo998', 'num'],
    ['hi998', 'num'],
    ['flag', 'text'],
    ['tested', 'bool'],
    ['time', 'text'],
  ),
);

type FlagFields = OutliersAnswer['district_flags'][number];
const flagColumns = cols<FlagFields>()(
  ['signal', 'text'],
  ['scope', 'text'],
  ['value', 'num'],
  ['target', 'num'],
  ['z', 'num'],
  ['p', 'num'],
  ['q', 'num'],
  ['n', 'int'],
  ['lo998', 'num'],
  ['hi998', 'num'],
  ['reason_fa', 'text'],
  ['reason_en', 'text'],
);
type OfficeFlag = OutliersAnswer['flags'][number];
type TimedFlag = Timed<OfficeFlag>;
const OFFICE_FLAGS = sheet<TimedFlag>('نشان دفاتر', [
  ...cols<OfficeFlag>()(['office_id', 'text'], ['office_name', 'text'], ['district', 'int']),
  ...(flagColumns as unknown as Column<OfficeFlag>[]),
  ...cols<OfficeFlag>()(
    ['attribution', 'text'],
    ['district_value', 'share'],
    ['z_within', 'num'],
    ['attribution_fa', 'text'],
  ),
  ...cols<TimedFlag>()(['time', 'text']),
]);
const DISTRICT_FLAGS = sheet<Timed<FlagFields>>('نشان مناطق', [
  ...cols<Timed<FlagFields>>()(['district', 'int'], ['label', 'text']),
  ...(flagColumns as unknown as Column<Timed<FlagFields>>[]),
  ...cols<Timed<FlagFields>>()(['time', 'text']),
]);

type OfficeRow = OfficesAnswer['rows'][number];
const OFFICES = sheet<OfficeRow>(
  'دفاتر',
  cols<OfficeRow>()(
    ['office_id', 'text'],
    ['name', 'text'],
    ['district', 'int'],
    ['n_cases', 'int'],
    ['n_closed', 'int'],
    ['median_days', 'days'],
    ['km_median_days', 'days'],
    ['breach_rate', 'share'],
    ['slow_share', 'share'],
    ['complaints', 'int'],
    ['complaint_rate', 'num'],
    ['bribe_reports', 'int'],
    ['bribe_rate', 'num'],
    ['flags', 'list'],
  ),
);

type ScoreMetrics = ScorecardAnswer['metrics']['office'] & { level: string };
const SCORE_METRICS = sheet<ScoreMetrics>(
  'مقایسه',
  cols<ScoreMetrics>()(
    ['level', 'text'],
    ['n_cases', 'int'],
    ['n_closed', 'int'],
    ['n_open', 'int'],
    ['median_days', 'days'],
    ['p90_days', 'days'],
    ['km_median_days', 'days'],
    ['breach_rate', 'share'],
    ['slow_share', 'share'],
    ['complaints', 'int'],
    ['complaint_rate', 'num'],
    ['bribe_reports', 'int'],
    ['bribe_rate', 'num'],
  ),
);
type ScoreTrend = ScorecardAnswer['trend'][number];
const SCORE_TREND = sheet<ScoreTrend>(
  'روند ماهانه',
  cols<ScoreTrend>()(
    ['month', 'text'],
    ['n_cases', 'int'],
    ['median_days', 'days'],
    ['complaints', 'int'],
    ['complaint_rate', 'num'],
  ),
);
type ScoreMix = ScorecardAnswer['service_mix'][number];
const SCORE_MIX = sheet<ScoreMix>(
  'ترکیب خدمات',
  cols<ScoreMix>()(
    ['service_code', 'text'],
    ['name', 'text'],
    ['category', 'text'],
    ['n_cases', 'int'],
    ['median_days', 'days'],
    ['city_median_days', 'days'],
  ),
);

type TrendRow = TrendsAnswer['series'][number]['points'][number] & {
  key: string;
  label: string;
  label_en: string;
};
const TRENDS = sheet<TrendRow>(
  'روند',
  cols<TrendRow>()(
    ['key', 'text'],
    ['label', 'text'],
    ['label_en', 'text'],
    ['month', 'text'],
    ['n', 'int'],
    ['count', 'int'],
    ['value', 'num'],
    ['center', 'num'],
    ['ucl', 'num'],
    ['lcl', 'num'],
    ['flag', 'text'],
    ['partial', 'bool'],
    ['km_median', 'days'],
    ['open_share', 'share'],
    ['provisional', 'bool'],
  ),
);

type CaseRow = CasesAnswer['rows'][number];
const CASES = sheet<CaseRow>(
  'پرونده‌ها',
  cols<CaseRow>()(
    ['case_id', 'text'],
    ['office_id', 'text'],
    ['office_name', 'text'],
    ['district', 'int'],
    ['service_code', 'text'],
    ['service_name', 'text'],
    ['category', 'text'],
    ['submitted_at', 'date'],
    ['closed_at', 'date'],
    ['status', 'text'],
    ['channel', 'text'],
    ['duration_days', 'days'],
    ['age_days', 'days'],
    ['breached', 'bool'],
    ['city_median_days', 'days'],
    ['slower', 'bool'],
    ['complaints', 'int'],
    ['bribe_reports', 'int'],
  ),
);

type AccessDistrict = AccessResponse['districts'][number];
const ACCESS_DISTRICTS = sheet<AccessDistrict>(
  'دسترسی مناطق',
  cols<AccessDistrict>()(
    ['district', 'int'],
    ['label', 'text'],
    ['population', 'int'],
    ['offices_listed', 'int'],
    ['active_offices', 'int'],
    ['residents_per_office', 'num'],
    ['offices_per_100k', 'num'],
    ['n_cases', 'int'],
    ['cases_per_1000_residents_year', 'num'],
    ['cases_per_office_day', 'num'],
    ['online_share', 'share'],
    ['hhi_offices', 'num'],
    ['hhi_operators', 'num'],
    ['n_operators', 'int'],
    ['largest_operator_share', 'share'],
    ['highly_concentrated', 'bool'],
  ),
);
type AccessOperator = AccessResponse['operators'][number];
const ACCESS_OPERATORS = sheet<AccessOperator>(
  'بهره‌برداران',
  cols<AccessOperator>()(
    ['key', 'text'],
    ['operator', 'text'],
    ['office_id', 'text'],
    ['offices', 'int'],
    ['active_offices', 'int'],
    ['districts', 'list'],
    ['n_cases', 'int'],
    ['share', 'share'],
    ['largest_in', 'list'],
  ),
);

type ImportRow = ImportsAnswer['imports'][number];
const IMPORTS = sheet<ImportRow>(
  'بارگذاری‌ها',
  cols<ImportRow>()(
    ['import_id', 'int'],
    ['started_at', 'date'],
    ['finished_at', 'date'],
    ['username', 'text'],
    ['source', 'text'],
    ['files', 'list'],
    ['mode', 'text'],
    ['status', 'text'],
    ['message', 'text'],
    ['rows_read', 'int'],
    ['rows_inserted', 'int'],
    ['rows_updated', 'int'],
    ['rows_unchanged', 'int'],
    ['rows_rejected', 'int'],
    ['as_of', 'date'],
  ),
);
type RejectRow = RejectsAnswer['rows'][number];
const REJECTS = sheet<RejectRow>(
  'ردیف‌های ردشده',
  cols<RejectRow>()(
    ['import_id', 'int'],
    ['file', 'text'],
    ['line', 'int'],
    ['column_name', 'text'],
    ['raw_value', 'text'],
    ['reason', 'text'],
    ['detail', 'text'],
  ),
);
type RejectReason = RejectsAnswer['reasons'][number];
const REJECT_REASONS = sheet<RejectReason>(
  'دلیل‌ها',
  cols<RejectReason>()(['reason', 'text'], ['count', 'int']),
);

type UserRow = UserList['users'][number];
const USERS = sheet<UserRow>(
  'کاربران',
  cols<UserRow>()(
    ['username', 'text'],
    ['role', 'text'],
    ['districts', 'list'],
    ['created_at', 'date'],
    ['last_login_at', 'date'],
    ['disabled', 'bool'],
    ['must_change_password', 'bool'],
    ['sessions', 'int'],
  ),
);

type AuditRow = AuditPage['rows'][number];
const AUDIT = sheet<AuditRow>(
  'گزارش رویدادها',
  cols<AuditRow>()(
    ['id', 'int'],
    ['at', 'date'],
    ['username', 'text'],
    ['action', 'text'],
    ['ip', 'text'],
    ['detail', 'json'],
  ),
);

const SCORE_LEVELS = { office: 'دفتر', district: 'منطقه', city: 'شهر' } as const;

/** The endpoints with an Excel download, by their route path (Hono style: `:id` is one segment). */
export const XLSX_SPECS: Record<string, XlsxSpec<never>> = {
  '/api/processing': spec<ProcessingAnswer>('processing', 'زمان رسیدگی و نرخ تأخیر', (a) => [
    { sheet: PROCESSING, rows: [...a.rows, a.total] },
  ]),
  '/api/variance': spec<VarianceAnswer>('variance', 'مقایسه مناطق برای یک خدمت', (a) => [
    { sheet: VARIANCE, rows: a.districts },
  ]),
  '/api/funnel': spec<FunnelAnswer>('funnel', 'نمودار قیفی', (a) => [
    { sheet: FUNNEL, rows: timed(a.rows, a.time) },
  ]),
  '/api/outliers': spec<OutliersAnswer>('outliers', 'فهرست بازرسی', (a) => [
    { sheet: OFFICE_FLAGS, rows: timed(a.flags, a.time) },
    { sheet: DISTRICT_FLAGS, rows: timed(a.district_flags, a.time) },
  ]),
  '/api/offices': spec<OfficesAnswer>('offices', 'دفاتر', (a) => [{ sheet: OFFICES, rows: a.rows }]),
  '/api/offices/:id': spec<ScorecardAnswer>('office', 'کارنامه دفتر', (a) => [
    {
      sheet: SCORE_METRICS,
      rows: (['office', 'district', 'city'] as const).map((k) => ({
        level: SCORE_LEVELS[k],
        ...a.metrics[k],
      })),
    },
    // the scorecard's flags measure the whole case time (scorecard.ts reads the signals without time)
    { sheet: OFFICE_FLAGS, rows: timed(a.flags, 'total') },
    { sheet: SCORE_TREND, rows: a.trend },
    { sheet: SCORE_MIX, rows: a.service_mix },
  ]),
  '/api/trends': spec<TrendsAnswer>('trends', 'روند ماهانه', (a) => [
    {
      sheet: TRENDS,
      rows: a.series.flatMap((s) =>
        s.points.map((p) => ({ key: s.key, label: s.label, label_en: s.label_en, ...p })),
      ),
    },
  ]),
  '/api/cases': spec<CasesAnswer>('cases', 'پرونده‌ها', (a) => [{ sheet: CASES, rows: a.rows }]),
  '/api/access': spec<AccessResponse>('access', 'دسترسی و ظرفیت', (a) => [
    { sheet: ACCESS_DISTRICTS, rows: a.districts },
    { sheet: ACCESS_OPERATORS, rows: a.operators },
  ]),
  '/api/imports': spec<ImportsAnswer>('imports', 'بارگذاری‌ها', (a) => [{ sheet: IMPORTS, rows: a.imports }]),
  '/api/rejects': spec<RejectsAnswer>('rejects', 'ردیف‌های ردشده', (a) => [
    { sheet: REJECTS, rows: a.rows },
    { sheet: REJECT_REASONS, rows: a.reasons },
  ]),
  '/api/users': spec<UserList>('users', 'کاربران', (a) => [{ sheet: USERS, rows: a.users }]),
  '/api/audit': spec<AuditPage>('audit', 'گزارش رویدادها', (a) => [{ sheet: AUDIT, rows: a.rows }]),
};

function spec<A>(view: string, title: string, sheets: XlsxSpec<A>['sheets']): XlsxSpec<never> {
  return { view, title, sheets } as XlsxSpec<never>;
}
