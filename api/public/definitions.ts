/**
 * The public figures' definitions in both languages: the one text the open data (every JSON answer),
 * the public page and the Method page's public section (web/i18n/method.ts) all show, so what a
 * citizen reads and what a re-user downloads cannot drift apart.
 */

/** Figures based on fewer cases than this are not shown ("too few cases"); the JSON carries null and n. */
export const MIN_N = 30;
/** The window: cases submitted in the 365 days up to the dataset's as-of time. */
export const WINDOW_DAYS = 365;
/** Where the definitions live on the public site (the Method page's public part). */
export const DEFINITIONS_PATH = '/public/method';

export interface Definition {
  fa: string;
  en: string;
}

export const DEFINITION_KEYS = [
  'window',
  'median_days',
  'on_time_share',
  'complaints_per_1000',
  'too_few',
  'levels',
] as const;
export type DefinitionKey = (typeof DEFINITION_KEYS)[number];

export const DEFINITIONS: Record<DefinitionKey, Definition> = {
  window: {
    fa: 'همه ارقام مربوط به پرونده‌هایی است که در ۳۶۵ روز منتهی به تاریخ داده‌ها ثبت شده‌اند (از زمان ثبت تا تاریخ داده، هر دو سر بازه شمرده می‌شود). شکایت‌ها بر اساس تاریخ دریافت در همان بازه شمرده می‌شوند.',
    en: 'Every figure covers the cases submitted in the 365 days up to the data’s as-of time (both ends included). Complaints are counted by the date they were received, in the same window.',
  },
  median_days: {
    fa: 'میانه زمان رسیدگی (روز): از پرونده‌های مختومه (انجام‌شده یا ردشده)، نیمی زودتر از این مدت و نیمی دیرتر تمام شده‌اند. مدت هر پرونده = زمان اختتام منهای زمان ثبت، به روز. پرونده‌های هنوز باز و پرونده‌های انصرافی در این عدد نیستند. «بر پایه n پرونده» یعنی n پرونده مختومه.',
    en: 'Median days: half of the closed cases (completed or rejected) took less than this and half took more. A case’s time is closing time minus submission time, in days. Cases still open and withdrawn cases are not in this figure. “Based on n cases” counts the closed cases.',
  },
  on_time_share: {
    fa: 'سهم پرونده‌های انجام‌شده در مهلت قانونی: مهلت هر پرونده، مهلت ثبت‌شده برای خود پرونده است و اگر نباشد، زمان ثبت به‌علاوه مهلت قانونی خدمت (به روز). از میان پرونده‌هایی که تکلیفشان نسبت به مهلت روشن است — پرونده‌های مختومه‌ای که مهلت دارند، به‌علاوه پرونده‌های بازی که تا تاریخ داده از مهلتشان گذشته است — سهم پرونده‌هایی که پیش از پایان مهلت یا درست در آن بسته شده‌اند. پرونده‌های بازی که هنوز در مهلت‌اند شمرده نمی‌شوند. این عدد برابر است با یک منهای «نرخ تخطی از مهلت» داشبورد. «بر پایه n پرونده» یعنی همین n پرونده.',
    en: 'Share finished within the statutory deadline. A case’s deadline is its own recorded deadline, else its submission time plus the service’s statutory days. Among the cases whose outcome against the deadline is known — closed cases that have a deadline, plus open cases already past theirs at the as-of time — the share that closed on or before the deadline. Open cases still inside their deadline are not counted. It equals one minus the dashboard’s deadline breach rate. “Based on n cases” counts those cases.',
  },
  complaints_per_1000: {
    fa: 'شکایت در هر هزار پرونده: تعداد شکایت‌های دریافتی (از ۱۳۷، ۱۸۸۸، دفتر یا برخط) در بازه، تقسیم بر تعداد پرونده‌های ثبت‌شده در بازه، ضرب در ۱۰۰۰. برای یک خدمت، فقط شکایت‌هایی شمرده می‌شوند که به پرونده‌ای از همان خدمت مربوط‌اند؛ شکایت بدون شماره پرونده فقط در رقم «همه خدمات» هست. «بر پایه n پرونده» یعنی همه پرونده‌های ثبت‌شده در بازه (باز، مختومه و انصرافی).',
    en: 'Complaints per 1,000 cases: complaints received (through 137, 1888, the office or online) in the window, divided by the cases submitted in the window, times 1,000. For one service only complaints about a case of that service count; a complaint without a case number counts only in the “all services” figure. “Based on n cases” counts every case submitted in the window (open, closed and withdrawn).',
  },
  too_few: {
    fa: `رقمی که بر پایه کمتر از ${toFa(MIN_N)} پرونده باشد نمایش داده نمی‌شود («پرونده‌ها برای محاسبه کافی نیست»)؛ در داده باز، مقدار آن null است و تعداد پرونده‌ها کنار آن آمده است.`,
    en: `A figure based on fewer than ${MIN_N} cases is not shown (“too few cases”); in the open data its value is null and the number of cases is given beside it.`,
  },
  levels: {
    fa: 'منطقه هر پرونده، منطقه دفتری است که آن را ثبت کرده است. رقم منطقه و رقم شهر برای همان خدمت و همان بازه، از همه پرونده‌های منطقه و کل شهر محاسبه می‌شود. این صفحه فقط توصیف می‌کند: درباره درستی یا نادرستی کار هیچ دفتری داوری نمی‌کند.',
    en: 'A case belongs to the district of the office that registered it. The district and city figures for a service use all cases of that service in the district and the whole city, in the same window. These pages describe; they pass no judgement on any office.',
  },
};

function toFa(n: number): string {
  return String(n).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}
