/** The Method page's sections on stages (DESIGN 11–15, issue 11), in plain words, both languages. */
import type { MethodSection } from './method.ts';

export const stageSectionsFa: MethodSection[] = [
  {
    id: 'stages',
    title: 'مراحل پرونده و زمان هر مرحله',
    paragraphs: [
      'هر پرونده، جدا از تاریخ ثبت و اختتام، رویدادهایی دارد: پایان هر مرحله (و برای برخی مراحل شروع آن). رویدادهای یک پرونده به ترتیب زمان مرتب می‌شوند و اگر دو رویداد هم‌زمان باشند، ترتیب فایل خروجی حفظ می‌شود.',
      'زمان هر مرحله فاصله پایان آن تا پایان مرحله قبل است؛ برای نخستین مرحله، فاصله از تاریخ ثبت پرونده (اگر ثبت پیش از آن باشد، وگرنه صفر). اگر شروع مرحله هم ثبت شده باشد، زمان مرحله به «انتظار» (از پایان مرحله قبل تا شروع) و «رسیدگی» (از شروع تا پایان) تقسیم می‌شود. هر شروع با نخستین پایانِ همان مرحله پس از آن جفت می‌شود.',
      'گلوگاه مرحله‌ای است که بیشترین مجموع زمان را در پرونده‌ها دارد. برای مقایسه یک مرحله میان مناطق، همان آزمون کروسکال-والیس مقایسه مناطق به کار می‌رود.',
    ],
    formula: 'زمان مرحله = انتظار + رسیدگی = پایان − پایانِ مرحله قبل',
  },
  {
    id: 'hands',
    title: 'زمان در دست چه کسی است',
    paragraphs: [
      'زمان هر مرحله به کسی نسبت داده می‌شود که آن مرحله را انجام می‌دهد: دفتر، شهرداری منطقه، خود متقاضی (مثلاً تهیه نقشه یا پرداخت) یا دستگاه‌های دیگر. به این ترتیب اگر پروانه‌های یک منطقه کند است، معلوم می‌شود کندی در دفتر است یا در تأیید شهرداری.',
      'سرعت دفاتر را می‌توان فقط بر پایه زمانی سنجید که پرونده در دست خود دفتر بوده است؛ دفتری که فقط به دلیل کندی شهرداری منطقه کند به نظر می‌رسد، در این سنجش کند نیست.',
    ],
  },
  {
    id: 'routes',
    title: 'مسیرها، دوباره‌کاری و مرحله‌های اضافه',
    paragraphs: [
      'مسیر هر پرونده دنباله مراحل آن است. دوباره‌کاری یعنی پرونده یک مرحله را دوباره طی کند (مثلاً نقشه برای اصلاح برگردد). سهم پرونده‌های دارای دوباره‌کاری در هر منطقه و دفتر با نمودار قیفی و در برابر میانگین شهر سنجیده می‌شود.',
      'مرحله اضافه («سلیقه» منطقه): برای هر منطقه، خدمت و مرحله، سهم پرونده‌هایی که از آن مرحله می‌گذرند با همان سهم در منطقه‌های دیگر مقایسه می‌شود. هشدار فقط وقتی داده می‌شود که سهم منطقه بالاتر از حد ۹۹٫۸٪ باشد و پس از اصلاح آزمون‌های چندگانه (q) کمتر از ۰٫۰۵ بماند.',
      'نقشه مسیر، گذر مستقیم از هر مرحله به مرحله بعد را با تعداد و میانه فاصله نشان می‌دهد؛ به طور پیش‌فرض مسیرهایی که ۹۰٪ گذرها را در بر می‌گیرند.',
    ],
  },
];

export const stageSectionsEn: MethodSection[] = [
  {
    id: 'stages',
    title: 'Stages of a case and the time of each',
    paragraphs: [
      "Besides its submission and closing dates, a case has events: the completion of each stage (and, for some stages, its start). A case's events are ordered by time; two events at the same instant keep the export's order.",
      "A stage's time runs from the previous stage's completion to its own; for the first stage, from the case's submission (when that is earlier, else zero). Where a stage's start is recorded too, its time splits into waiting (previous completion to start) and processing (start to completion). Each start is paired with the next completion of the same stage.",
      'The bottleneck is the stage with the largest total time over the cases. One stage is compared across districts with the same Kruskal–Wallis test as the district comparison.',
    ],
    formula: 'stage time = waiting + processing = completion − previous completion',
  },
  {
    id: 'hands',
    title: 'Whose hands the days are in',
    paragraphs: [
      "Each stage's time belongs to whoever carries it out: the office, the district municipality, the applicant (drawing up plans, paying) or other agencies. So when a district's permits are slow, the data shows whether the office or the municipality's approval is slow.",
      "Office speed can be measured on the time a case spent in the office's own hands only: an office that looks slow only because its district municipality is slow is not slow on that measure.",
    ],
  },
  {
    id: 'routes',
    title: 'Routes, rework and extra steps',
    paragraphs: [
      "A case's route is its sequence of stages. Rework means a case passes a stage again (a design sent back for correction). The share of cases with rework per district and office is tested on a funnel plot against the city rate.",
      'Extra steps (a district\'s "personal taste"): for each district, service and stage, the share of cases that pass the stage is compared with the same share in the other districts. A flag needs the district\'s share above its 99.8% limit and a q-value below 0.05 after correcting for the many comparisons.',
      'The route map shows each direct passage from one stage to the next with its count and median time; by default the passages that carry 90% of all transitions.',
    ],
  },
];
