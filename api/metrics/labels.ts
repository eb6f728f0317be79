/** Display labels for group keys, read from the small dimension tables (districts, offices, services). */
import type { Db } from '../db.ts';
import { toPersianDigits } from '../lib/digits.ts';
import { SERVICE_CATEGORIES } from '../lib/vocab.ts';

export interface Labels {
  district(d: number | string): { fa: string; en: string };
  office(id: string): { name: string; district: number | null };
  service(code: string): { name: string; name_en: string | null; category: string | null };
  category(cat: string): { fa: string; en: string };
  offices: { office_id: string; name: string; district: number }[];
}

export async function loadLabels(db: Db): Promise<Labels> {
  const [districts, offices, services] = await Promise.all([
    db.all<{ district: number; name_fa: string; name_en: string }>(
      'SELECT district, name_fa, name_en FROM districts ORDER BY district',
    ),
    db.all<{ office_id: string; name: string; district: number }>(
      'SELECT office_id, name, district FROM offices ORDER BY office_id',
    ),
    db.all<{ service_code: string; name: string; name_en: string | null; category: string | null }>(
      'SELECT service_code, name, name_en, category FROM services',
    ),
  ]);
  const dmap = new Map(districts.map((d) => [Number(d.district), d]));
  const omap = new Map(offices.map((o) => [o.office_id, o]));
  const smap = new Map(services.map((s) => [s.service_code, s]));
  return {
    district(d) {
      const row = dmap.get(Number(d));
      return row
        ? { fa: row.name_fa, en: row.name_en }
        : { fa: `منطقه ${toPersianDigits(String(d))}`, en: `District ${d}` };
    },
    office(id) {
      const o = omap.get(id);
      return { name: o?.name ?? id, district: o ? Number(o.district) : null };
    },
    service(code) {
      const s = smap.get(code);
      return { name: s?.name ?? code, name_en: s?.name_en ?? null, category: s?.category ?? null };
    },
    category(cat) {
      return SERVICE_CATEGORIES[cat] ?? { fa: cat || '—', en: cat || '(none)' };
    },
    offices: offices.map((o) => ({ ...o, district: Number(o.district) })),
  };
}
