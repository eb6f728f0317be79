/** Tehran's 22 municipal districts (مناطق ۲۲ گانه شهرداری تهران). */
import { toPersianDigits } from './digits.ts';

export interface District {
  district: number;
  name_fa: string;
  name_en: string;
}

export const TEHRAN_DISTRICTS: readonly District[] = Array.from({ length: 22 }, (_, i) => ({
  district: i + 1,
  name_fa: `منطقه ${toPersianDigits(i + 1)}`,
  name_en: `District ${i + 1}`,
}));

/** Inserts Tehran's districts if they are missing (idempotent). */
export const TEHRAN_DISTRICTS_SQL = `INSERT OR IGNORE INTO districts (district, name_fa, name_en) VALUES ${TEHRAN_DISTRICTS.map(
  (d) => `(${d.district}, '${d.name_fa}', '${d.name_en}')`,
).join(', ')}`;
