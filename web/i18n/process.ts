/**
 * Words of the Process view, the case timeline and the office's own time (issue 11), in both languages.
 * Kept beside fa.ts/en.ts (which include them as `process`) so the two languages stay side by side.
 */
const faActors = { office: 'دفتر', municipality: 'شهرداری', citizen: 'متقاضی', other: 'سایر دستگاه‌ها' };

export const processFa = {
  title: 'فرایند رسیدگی',
  intro:
    'هر پرونده از چند مرحله می‌گذرد: بخشی در دفتر، بخشی در شهرداری منطقه و بخشی در دست خود متقاضی. این صفحه نشان می‌دهد زمان پرونده‌های یک خدمت در کدام مرحله و در دست چه کسی می‌گذرد.',
  chooseService: 'خدمت',
  allServices: 'همه خدمات',
  noEvents:
    'برای این انتخاب هیچ رویداد مرحله‌ای ثبت نشده است؛ داده‌های مراحل (رویدادها) باید جداگانه وارد شوند.',
  days: 'روز',
  bottleneck: 'گلوگاه',
  bottleneckTitle: 'گلوگاه',
  actor: 'در دست',
  actors: faActors as Record<'office' | 'municipality' | 'citizen' | 'other', string>,
  steps: 'تعداد گذر',
  medianStep: 'میانه زمان مرحله',
  medianEdge: 'میانه فاصله',
  transitions: 'تعداد گذر از این مسیر',
  medianDaysAxis: 'میانه روز',
  mapTitle: 'نقشه مسیر پرونده‌ها',
  mapNote: (shown: string, total: string, hidden: string) =>
    `مسیرهایی که ${shown} از ${total} گذر را در بر می‌گیرند (۹۰٪)؛ ${hidden} مسیر کم‌تکرار پنهان است.`,
  showAll: 'نمایش همه مسیرها',
  showMain: 'فقط مسیرهای اصلی',
  bottleneckSentence: (stage: string, share: string, actor: string, days: string) =>
    `گلوگاه این خدمت «${stage}» است: ${share} از کل زمان پرونده‌ها در این مرحله می‌گذرد (در دست ${actor}؛ میانگین ${days} روز برای هر پرونده).`,
  barsTitle: 'میانه زمان هر مرحله به تفکیک منطقه',
  barsNote: 'رنگ هر مرحله نشان می‌دهد پرونده در آن مرحله در دست کیست.',
  stagesTitle: 'مراحل و زمان آن‌ها',
  across: (stage: string) => `مقایسه مناطق در مرحله «${stage}»`,
  acrossSentence: (stage: string, p: string) =>
    `آزمون کروسکال-والیس: زمان مرحله «${stage}» در مناطق مختلف ${p}.`,
  acrossDiffers: 'به طور معنادار متفاوت است',
  acrossSame: 'تفاوت معناداری ندارد',
  variantsTitle: 'مسیرهای پرتکرار',
  variantsNote: (n: string, v: string) => `${n} پرونده با ${v} مسیر متفاوت`,
  route: 'مسیر',
  share: 'سهم',
  count: 'تعداد',
  medianThroughput: 'میانه کل زمان (روز)',
  reworkTitle: 'دوباره‌کاری به تفکیک منطقه',
  reworkValue: 'سهم پرونده‌های دارای دوباره‌کاری',
  reworkVolume: 'پرونده‌های دارای رویداد',
  reworkSentence: (district: string, rate: string, stage: string, other: string, service: string) =>
    `در ${district}، ${rate} از پرونده‌های ${service} دوباره به مرحله «${stage}» برمی‌گردند، در برابر ${other} در جاهای دیگر.`,
  reworkNone: 'هیچ منطقه‌ای در دوباره‌کاری بیرون از حد انتظار نیست.',
  extraTitle: 'مرحله‌های اضافه به تفکیک منطقه',
  extraSentence: (district: string, share: string, service: string, stage: string, other: string) =>
    `در ${district}، ${share} از پرونده‌های «${service}» از مرحله «${stage}» می‌گذرند، در برابر ${other} در منطقه‌های دیگر.`,
  extraNone: 'هیچ منطقه‌ای مرحله‌ای بیش از منطقه‌های دیگر به این خدمت نیفزوده است.',
  extraTested: (n: string) => `${n} جفت منطقه-مرحله آزموده شد (حد ۹۹٫۸٪ و q کمتر از ۰٫۰۵).`,
  district: 'منطقه',
  stage: 'مرحله',
  service: 'خدمت',
  otherShare: 'سهم در منطقه‌های دیگر',
  limit: 'حد ۹۹٫۸٪',
  cases: 'پرونده',
  actorsTitle: 'زمان پرونده‌ها در دست چه کسی است',
  byActorDays: 'روزها',
  timeline: {
    title: (id: string) => `سیر پرونده ${id}`,
    close: 'بستن',
    open: (id: string) => `نمایش سیر پرونده ${id}`,
    step: 'مرحله',
    startedAt: 'شروع',
    completedAt: 'پایان',
    waiting: 'انتظار (روز)',
    processing: 'رسیدگی (روز)',
    stepDays: 'زمان مرحله (روز)',
    repeat: 'تکرار',
    noSteps: 'برای این پرونده رویداد مرحله‌ای ثبت نشده است.',
    throughput: (d: string) => `کل زمان از ثبت تا آخرین رویداد: ${d} روز`,
    byActor: 'روزها به تفکیک',
  },
  hands: {
    title: 'زمان در دست دفتر',
    sentence: (share: string, office: string, city: string) =>
      `${share} از روزهای پرونده‌های این دفتر در دست خود دفتر گذشته است (${office} روز از هر پرونده در میانه؛ در کل شهر ${city}).`,
    none: 'برای پرونده‌های این دفتر رویداد مرحله‌ای ثبت نشده است.',
  },
  timeToggle: 'زمان سنجش',
  timeTotal: 'کل زمان پرونده',
  timeOffice: 'فقط زمان در دست دفتر',
};

export type ProcessMessages = typeof processFa;

export const processEn: ProcessMessages = {
  title: 'Process',
  intro:
    "Every case passes several stages: some at the office, some at the district municipality, some in the applicant's own hands. This page shows where a service's days go, and whose hands they are in.",
  chooseService: 'Service',
  allServices: 'All services',
  noEvents: 'No stage events for this selection; stage data (events) is imported separately.',
  days: 'days',
  bottleneck: 'bottleneck',
  bottleneckTitle: 'Bottleneck',
  actor: 'In the hands of',
  actors: { office: 'office', municipality: 'municipality', citizen: 'applicant', other: 'other agencies' },
  steps: 'Passes',
  medianStep: 'Median step time',
  medianEdge: 'Median time between',
  transitions: 'Transitions on this edge',
  medianDaysAxis: 'median days',
  mapTitle: 'Route map',
  mapNote: (shown: string, total: string, hidden: string) =>
    `The edges carrying ${shown} of ${total} transitions (90%); ${hidden} rare edges hidden.`,
  showAll: 'Show every edge',
  showMain: 'Main edges only',
  bottleneckSentence: (stage: string, share: string, actor: string, days: string) =>
    `This service's bottleneck is "${stage}": ${share} of all case time is spent there (in the hands of the ${actor}; ${days} days per case on average).`,
  barsTitle: 'Median days per stage, by district',
  barsNote: "Each stage's colour says whose hands the case is in.",
  stagesTitle: 'Stages and their times',
  across: (stage: string) => `Districts compared on "${stage}"`,
  acrossSentence: (stage: string, p: string) =>
    `Kruskal–Wallis test: the time of "${stage}" ${p} between districts.`,
  acrossDiffers: 'differs significantly',
  acrossSame: 'does not differ significantly',
  variantsTitle: 'Most frequent routes',
  variantsNote: (n: string, v: string) => `${n} cases on ${v} different routes`,
  route: 'Route',
  share: 'Share',
  count: 'Cases',
  medianThroughput: 'Median total time (days)',
  reworkTitle: 'Rework by district',
  reworkValue: 'Share of cases with rework',
  reworkVolume: 'Cases with events',
  reworkSentence: (district: string, rate: string, stage: string, other: string, service: string) =>
    `In ${district}, ${rate} of ${service} cases go back to "${stage}", against ${other} elsewhere.`,
  reworkNone: 'No district is outside its expected rework range.',
  extraTitle: 'Extra steps by district',
  extraSentence: (district: string, share: string, service: string, stage: string, other: string) =>
    `In ${district}, ${share} of "${service}" cases pass "${stage}", against ${other} elsewhere.`,
  extraNone: 'No district adds a step to this service beyond the other districts.',
  extraTested: (n: string) => `${n} district-stage pairs tested (99.8% limit and q below 0.05).`,
  district: 'District',
  stage: 'Stage',
  service: 'Service',
  otherShare: 'Share in other districts',
  limit: '99.8% limit',
  cases: 'Cases',
  actorsTitle: 'Whose hands the days are in',
  byActorDays: 'Days',
  timeline: {
    title: (id: string) => `Case ${id}: its stages`,
    close: 'Close',
    open: (id: string) => `Show the stages of case ${id}`,
    step: 'Stage',
    startedAt: 'Started',
    completedAt: 'Completed',
    waiting: 'Waiting (days)',
    processing: 'Processing (days)',
    stepDays: 'Step time (days)',
    repeat: 'Repeat',
    noSteps: 'No stage events recorded for this case.',
    throughput: (d: string) => `From submission to the last event: ${d} days`,
    byActor: 'Days by actor',
  },
  hands: {
    title: "Time in the office's hands",
    sentence: (share: string, office: string, city: string) =>
      `${share} of this office's case days were in its own hands (median case: ${office} days; city: ${city}).`,
    none: "No stage events for this office's cases.",
  },
  timeToggle: 'Time measured',
  timeTotal: 'Whole case',
  timeOffice: "Office's own time only",
};

/** Persian ordinal-free "first/second…" is not needed: repeats are shown as a count. */
export const actorOrder = ['office', 'municipality', 'citizen', 'other'] as const;
