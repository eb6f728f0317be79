/**
 * The monthly report's words in Persian (issue 15). Sentences are templates over numbers the caller
 * has already formatted from the API's answer (web/lib/reportSentences.ts): no figure is written here.
 */
const ORDINALS = [
  '',
  'نخستین',
  'دومین',
  'سومین',
  'چهارمین',
  'پنجمین',
  'ششمین',
  'هفتمین',
  'هشتمین',
  'نهمین',
  'دهمین',
  'یازدهمین',
  'دوازدهمین',
];

export const reportFa = {
  title: 'گزارش ماهانه',
  docTitle: (month: string, scope: string) => `گزارش ماهانه ${month} — ${scope}`,
  month: 'ماه',
  scope: 'گستره',
  scopeCity: 'کل شهر',
  scopeMine: 'همه مناطق من',
  print: 'چاپ / PDF',
  printHint:
    'برای نسخه PDF، «چاپ» را بزنید و «ذخیره به صورت PDF» را برگزینید (کاغذ A4). از خط فرمان: npm run report -- --month ۱۴۰۴/۰۵ --db <فایل> --out report.pdf',
  loading: 'در حال آماده‌سازی گزارش…',
  ready: 'گزارش آماده است',
  /** The line under the title and in every page's margin. */
  meta: (scope: string, window: string, asOf: string) =>
    `گستره: ${scope} · دوره: ${window} · داده‌ها تا ${asOf}`,
  window: (from: string, to: string) => `${from} تا ${to}`,
  pageOf: ['صفحه ', ' از '] as [string, string],
  scopeKinds: {
    city: (label: string) => label,
    district: (label: string) => label,
    user_districts: (label: string) => `${label} (مناطقی که شما می‌بینید)`,
  },
  /** The scope inside a sentence ("in the whole city", "in district 7"). */
  inScope: {
    city: () => 'کل شهر',
    district: (label: string) => label,
    user_districts: (label: string) => `مناطق ${label.replace(/منطقه /g, '')}`,
  },
  sections: {
    summary: 'خلاصه',
    changes: 'تغییرهای فراتر از تصادف نسبت به ماه قبل',
    flags: 'دفاتر و مناطق نشان‌دار این ماه',
    districts: 'مقایسه مناطق',
    categories: 'گروه‌های خدمت',
    complaints: 'شکایات بر حسب موضوع و مجرا',
    trend: 'روند دوازده ماه اخیر',
    stages: 'گلوگاه‌های مراحل',
    method: 'روش',
  },
  noChanges: 'هیچ تغییری نسبت به ماه قبل فراتر از تصادف نیست.',
  noFlags: 'در این ماه هیچ دفتر یا منطقه‌ای بیرون از حد ۹۹٫۸٪ نمودار قیفی نیست.',
  cols: {
    what: 'شاخص',
    group: 'گروه',
    before: 'ماه قبل',
    after: 'این ماه',
    test: 'آزمون',
    p: 'p',
    q: 'q',
    provisional: 'موقت',
    office: 'دفتر',
    district: 'منطقه',
    signal: 'نشانه',
    scope: 'دامنه',
    value: 'مقدار',
    target: 'هدف (شهر)',
    z: 'z',
    n: 'تعداد',
    reason: 'دلیل',
    cases: 'پرونده‌ها',
    closed: 'بسته‌شده',
    openShare: 'سهم باز',
    median: 'میانه (روز)',
    kmMedian: 'میانه کاپلان–مایر (روز)',
    medianPrev: 'میانه ماه قبل',
    breach: 'نرخ تأخیر از مهلت',
    complaints: 'شکایت',
    complaintRate: 'شکایت در هر ۱۰۰۰ پرونده',
    category: 'موضوع',
    source: 'مجرا',
    month: 'ماه',
  },
  kinds: {
    median: 'میانه زمان رسیدگی',
    breach_rate: 'نرخ تأخیر از مهلت',
    complaint_rate: 'نرخ شکایت',
  } as Record<string, string>,
  tests: {
    rank_sum: 'رتبه‌ای ویلکاکسون–من–ویتنی',
    two_proportion: 'دو نسبت',
    poisson: 'دقیق دو نرخ پواسون',
  } as Record<string, string>,
  chart: {
    districtTitle: 'میانه زمان رسیدگی پرونده‌های بسته‌شده، به تفکیک منطقه',
    trendTitle: 'میانه زمان رسیدگی و نرخ شکایت، دوازده ماه اخیر',
    thisMonth: 'این ماه',
    lastMonth: 'ماه قبل',
    medianDays: 'میانه (روز)',
    per1000: 'شکایت در ۱۰۰۰ پرونده',
  },
  // ---- sentences
  volume: (
    month: string,
    scope: string,
    n: string,
    prevMonth: string,
    nPrev: string,
    closed: string,
    open: string,
    openPct: string,
  ) =>
    `در ${month}، ${n} پرونده در ${scope} ثبت شد (${prevMonth}: ${nPrev})؛ از این‌ها ${closed} پرونده بسته شده و ${open} پرونده (${openPct}) هنوز باز است.`,
  median: (subject: string, before: string, after: string, dir: 'up' | 'down' | 'same') =>
    dir === 'same'
      ? `${subject} تغییری نکرد و ${after} روز ماند`
      : `${subject} از ${before} به ${after} روز ${dir === 'up' ? 'افزایش' : 'کاهش'} یافت`,
  medianScope: 'میانه زمان رسیدگی پرونده‌های بسته‌شده',
  medianOf: (group: string) => `میانه زمان رسیدگی «${group}»`,
  medianOfDistrict: (district: string) => `میانه زمان رسیدگی در ${district}`,
  km: (open: string, km: string, kmPrev: string) =>
    `با احتساب ${open} پرونده باز (برآورد کاپلان–مایر)، میانه ${km} روز است (ماه قبل ${kmPrev}).`,
  provisional: (month: string, pct: string) =>
    `ارقام ${month} موقت‌اند: ${pct} پرونده‌های آن هنوز باز است، پس میانه پرونده‌های بسته‌شده و نرخ تأخیر آن کمتر از واقع نشان داده می‌شود.`,
  breach: (rate: string, prevRate: string) =>
    `مهلت قانونی در ${rate} از پرونده‌های تعیین‌تکلیف‌شده رعایت نشد (ماه قبل ${prevRate})`,
  complaints: (n: string, rate: string, prevRate: string) =>
    `${n} شکایت رسید، یعنی ${rate} شکایت در هر ۱۰۰۰ پرونده (ماه قبل ${prevRate})`,
  complaintCategoryRate: (category: string, before: string, after: string, dir: 'up' | 'down' | 'same') =>
    dir === 'same'
      ? `نرخ شکایت «${category}» تغییری نکرد (${after} در هر ۱۰۰۰ پرونده)`
      : `نرخ شکایت «${category}» از ${before} به ${after} در هر ۱۰۰۰ پرونده ${dir === 'up' ? 'افزایش' : 'کاهش'} یافت`,
  breachChange: (before: string, after: string, dir: 'up' | 'down' | 'same') =>
    `نرخ تأخیر از مهلت از ${before} به ${after} ${dir === 'up' ? 'افزایش' : dir === 'down' ? 'کاهش' : 'تغییر'} یافت`,
  topSource: (source: string, n: string, total: string) =>
    `بیشتر شکایت‌ها از ${source} رسید (${n} از ${total}).`,
  beyond: (test: string, q: string) => ` — فراتر از تصادف (آزمون ${test}، ${q})`,
  within: (q: string) => ` — در حد تصادف (${q})`,
  provisionalMark: '، با ارقام موقت',
  slowest: (district: string, days: string, n: string, running: number, runningText: string) =>
    running >= 2
      ? `${district} برای ${runningText} ماه پیاپی کندترین منطقه است (میانه ${days} روز در ${n} پرونده بسته‌شده).`
      : `${district} در این ماه کندترین منطقه است (میانه ${days} روز در ${n} پرونده بسته‌شده).`,
  ordinal: (n: number, digits: string) => ORDINALS[n] ?? `${digits}مین`,
  otherChanges: 'تغییرهای دیگر فراتر از تصادف:',
  noOtherChanges: (prevMonth: string) => `تغییر دیگری نسبت به ${prevMonth} فراتر از تصادف نیست.`,
  flagsCount: (offices: string, districts: string, month: string, _nOffices: number, _nDistricts: number) =>
    `در ${month}، ${offices} دفتر و ${districts} منطقه بیرون از حد ۹۹٫۸٪ نمودار قیفی‌اند.`,
  strongest: (reason: string) => `قوی‌ترین نشانه: ${reason}`,
  footnote: (alpha: string, minN: string, open: string) =>
    `روش: هر ماه با ماه پیش از آن مقایسه شده است. تغییر میانه‌ها با آزمون رتبه‌ای ویلکاکسون (من–ویتنی) بر زمان رسیدگی پرونده‌های بسته‌شده دو ماه، تغییر نرخ تأخیر از مهلت با آزمون دو نسبت، و تغییر نرخ شکایت با آزمون دقیق شرطی دو نرخ پواسون (تعداد پرونده‌های هر ماه به عنوان مخرج) سنجیده شده است. مقادیر q به روش بنیامینی–هوخبرگ بر همه آزمون‌های این گزارش محاسبه شده و تغییری «فراتر از تصادف» است که q آن کمتر از ${alpha} باشد. ماهی که بیش از ${open} پرونده‌هایش باز است «موقت» است. کندترین منطقه از میان مناطقی با دست‌کم ${minN} پرونده بسته‌شده انتخاب می‌شود. نشان‌ها همان فهرست بازرسی برای بازه همین ماه‌اند. شرح کامل در صفحه «روش محاسبه».`,
  stagesMissing:
    'داده رویدادهای مراحل بارگذاری نشده است؛ گلوگاه‌ها فقط از روی رویدادهای پرونده‌ها (فایل events یا گزارش XES) محاسبه می‌شوند و حدس زده نمی‌شوند.',
  stagesNone: 'هیچ‌یک از پرونده‌های ثبت‌شده در این ماه در این گستره رویداد مرحله‌ای ندارد.',
  stagesIntro: (cases: string) =>
    `بر پایه ${cases} پرونده این ماه که رویداد مرحله‌ای دارند. گلوگاه هر منطقه مرحله‌ای است که بیشترین مجموع زمان را در پرونده‌های آن گرفته است.`,
  stagesActors: (office: string, municipality: string, citizen: string, other: string) =>
    `سهم روزها در این گستره: در دست دفتر ${office}، در دست شهرداری ${municipality}، در دست متقاضی ${citizen} و سایر ${other}.`,
  stageCols: {
    stage: 'مرحله گلوگاه',
    actor: 'در دست',
    share: 'سهم از زمان مراحل',
    days: 'مجموع روزها',
    cases: 'پرونده‌های دارای رویداد',
  },
  /** The summary's bottleneck sentence: one district (the report's own), or the heaviest of several. */
  stageBottleneck: (one: boolean, district: string, stage: string, actor: string, share: string) =>
    one
      ? `در ${district} بیشترین سهم روزهای پرونده‌های این ماه در مرحلهٔ «${stage}» (در دست ${actor}) گذشت: ${share} از زمان مراحل.`
      : `سنگین‌ترین گلوگاه این ماه در ${district} است: ${share} از زمان مراحل پرونده‌های آن در مرحلهٔ «${stage}» (در دست ${actor}) گذشت.`,
  error: 'گزارش ساخته نشد:',
};

export type ReportMessages = typeof reportFa;
