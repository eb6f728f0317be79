/**
 * The demo city's offices: about 120 over Tehran's 22 districts, in proportion to each district's
 * population (the municipality aims at roughly one office per sub-district), with stable ids
 * `Dxx-nn` and names that carry the office code and a neighbourhood, as the real offices are known.
 */
import { toPersianDigits } from '../../api/lib/digits.ts';
import type { Rng } from './random.ts';

/** Approximate residents per district (thousands), after the 1395 census: 4, 5, 2, 15 largest. */
export const DISTRICT_POPULATION: readonly number[] = [
  487, 692, 330, 917, 856, 251, 312, 425, 174, 327, 308, 205, 246, 491, 659, 276, 273, 419, 264, 367, 187,
  174,
];

const NEIGHBOURHOODS: readonly (readonly string[])[] = [
  ['تجریش', 'نیاوران', 'زعفرانیه', 'ولنجک', 'دزاشیب', 'قیطریه', 'اوین', 'چیذر'],
  ['سعادت‌آباد', 'شهرک غرب', 'گیشا', 'طرشت', 'مرزداران', 'فرحزاد', 'شهرآرا', 'ستارخان', 'کوی نصر', 'درکه'],
  ['ونک', 'جردن', 'زرگنده', 'داوودیه', 'ظفر', 'دروس'],
  [
    'تهرانپارس',
    'حکیمیه',
    'مجیدیه',
    'شمیران‌نو',
    'لویزان',
    'قنات‌کوثر',
    'اوقاف',
    'مبارک‌آباد',
    'کوهسار',
    'پاسداران',
    'شیان',
    'بنی‌هاشم',
    'هروی',
  ],
  [
    'شهران',
    'جنت‌آباد',
    'اکباتان',
    'پونک',
    'سازمان برنامه',
    'کن',
    'فردوس',
    'باغ فیض',
    'المهدی',
    'حصارک',
    'بهاران',
    'شهرزیبا',
  ],
  ['یوسف‌آباد', 'امیرآباد', 'فاطمی', 'ایرانشهر', 'قزل‌قلعه'],
  ['سهروردی', 'نظام‌آباد', 'عباس‌آباد', 'دبستان', 'امجدیه'],
  ['نارمک', 'وحیدیه', 'فدک', 'تسلیحات', 'مدائن'],
  ['مهرآباد جنوبی', 'استاد معین', 'شمشیری', 'دکتر هوشیار'],
  ['سلسبیل', 'هفت‌چنار', 'جی', 'کارون', 'شبیری'],
  ['امیریه', 'جمالزاده', 'منیریه', 'هلال‌احمر', 'عباسی'],
  ['بازار', 'سنگلج', 'امامزاده یحیی', 'پامنار'],
  ['پیروزی', 'نیروی هوایی', 'تهران‌نو', 'دهقان'],
  ['خاوران', 'شکوفه', 'پرستار', 'آهنگ', 'چهارصد دستگاه', 'نبرد', 'مینابی'],
  ['افسریه', 'مسعودیه', 'کیانشهر', 'مشیریه', 'خاورشهر', 'اتابک', 'شوش شرقی', 'والفجر', 'اسلام‌آباد'],
  ['نازی‌آباد', 'یاخچی‌آباد', 'خزانه', 'جوادیه', 'علی‌آباد'],
  ['ابوذر', 'زمزم', 'آذری', 'گلچین', 'وصفنارد'],
  ['یافت‌آباد', 'شهرک ولیعصر', 'صاحب‌الزمان', 'شادآباد', 'خلیج فارس', 'تولید دارو'],
  ['نعمت‌آباد', 'عبدل‌آباد', 'اسفندیاری', 'دولت‌خواه'],
  ['شهرری', 'دولت‌آباد', 'فیروزآبادی', 'جوانمرد قصاب', 'ظهیرآباد'],
  ['تهرانسر', 'شهرک استقلال', 'شهرک دانشگاه', 'چیتگر'],
  ['دهکده المپیک', 'شهرک راه‌آهن', 'زیبادشت', 'شهرک گلستان'],
];

export const OFFICE_TARGET = 120;

export interface DemoOffice {
  office_id: string;
  name: string;
  district: number;
  /** ISO date (YYYY-MM-DD). */
  opened_on: string;
  status: 'active';
  /** Relative case volume (mean about 1). */
  volume: number;
  /** Multiplier on durations: the office's own speed (1 = typical). */
  speed: number;
  /** Multiplier on the complaint rate (gamma distributed: over-dispersion between offices). */
  complaint_rate: number;
  /** First day (index into the calendar) the office takes cases. */
  first_day: number;
}

/** Largest-remainder apportionment of `total` offices by population, at least 3 per district. */
export function officesPerDistrict(total = OFFICE_TARGET): number[] {
  const pop = DISTRICT_POPULATION;
  const sum = pop.reduce((s, p) => s + p, 0);
  const exact = pop.map((p) => (p / sum) * total);
  const counts = exact.map((x) => Math.max(3, Math.floor(x)));
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  let k = 0;
  while (counts.reduce((s, c) => s + c, 0) < total) {
    counts[order[k % order.length].i]++;
    k++;
  }
  return counts;
}

function officeName(district: number, n: number): string {
  const code = toPersianDigits(district * 100 + n);
  const hoods = NEIGHBOURHOODS[district - 1];
  const hood = hoods[(n - 1) % hoods.length];
  return `دفتر خدمات الکترونیک شهر کد ${code} (${hood})`;
}

/** Standard normal redrawn outside [lo, hi]. */
function boundedNormal(rng: Rng, lo: number, hi: number): number {
  for (;;) {
    const z = rng.normal();
    if (z >= lo && z <= hi) return z;
  }
}

/** Gamma(shape)/shape (mean 1) redrawn outside [lo, hi]: spread between offices without freak outliers. */
function truncatedGamma(rng: Rng, shape: number, lo: number, hi: number): number {
  for (;;) {
    const x = rng.gamma(shape) / shape;
    if (x >= lo && x <= hi) return x;
  }
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Builds the offices. Volume: the district's population shared among its offices times a lognormal
 * office effect (sd 0.3; the quiet tail is cut at −1.2 sd because the municipality merges offices
 * that see too few citizens), so some offices are busy and some quiet. Speed: lognormal, sd 0.1,
 * truncated at ±2 sd: mild differences between honest offices. Complaint rate: gamma, mean 1, cut to
 * [0.45, 1.65]. A few offices opened during the first year of data and only take cases from then.
 */
export function buildOffices(rng: Rng, firstDayMs: number, dayCount: number): DemoOffice[] {
  const counts = officesPerDistrict();
  const out: DemoOffice[] = [];
  const DAY = 86_400_000;
  for (let d = 1; d <= 22; d++) {
    const per = DISTRICT_POPULATION[d - 1] / counts[d - 1];
    for (let n = 1; n <= counts[d - 1]; n++) {
      const late = rng.chance(0.04);
      const openedMs = late
        ? firstDayMs + Math.floor(rng.uniform(30, 300)) * DAY
        : firstDayMs - Math.floor(rng.uniform(200, 3000)) * DAY;
      out.push({
        office_id: `D${String(d).padStart(2, '0')}-${String(n).padStart(2, '0')}`,
        name: officeName(d, n),
        district: d,
        opened_on: isoDate(openedMs),
        status: 'active',
        volume: per * Math.exp(0.3 * boundedNormal(rng, -1.2, 2)),
        speed: Math.exp(0.1 * rng.truncatedNormal(2)),
        complaint_rate: truncatedGamma(rng, 10, 0.45, 1.65),
        first_day: late ? Math.min(dayCount - 1, Math.round((openedMs - firstDayMs) / DAY)) : 0,
      });
    }
  }
  const mean = out.reduce((s, o) => s + o.volume, 0) / out.length;
  for (const o of out) o.volume /= mean;
  return out;
}
