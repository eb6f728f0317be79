/**
 * Display labels for group keys, read from the small dimension tables (districts, offices, services),
 * and the order groups are listed in.
 */
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

/** The Persian (or the office's own name) and English label of a group key; months are their own label. */
export function groupLabel(labels: Labels, by: string, key: string): { label: string; label_en: string } {
  switch (by) {
    case 'district': {
      const d = labels.district(key);
      return { label: d.fa, label_en: d.en };
    }
    case 'office':
      return { label: labels.office(key).name, label_en: key };
    case 'service': {
      const s = labels.service(key);
      return { label: s.name, label_en: s.name_en ?? key };
    }
    case 'category': {
      const c = labels.category(key);
      return { label: c.fa, label_en: c.en };
    }
    case 'city':
      return { label: 'کل شهر', label_en: 'Whole city' };
    default:
      return { label: key, label_en: key };
  }
}

/**
 * DESIGN 10: what a total over the filtered selection covers, in words: the office, the district, an
 * inspector's districts, or the whole city (only when nothing narrows the places). Service, category,
 * channel and date filters do not change the places and are said by the filter summary.
 */
export function selectionLabel(
  labels: Labels,
  f: { district?: number; office?: string; scope?: number[] | null },
): { label: string; label_en: string } {
  if (f.office !== undefined) {
    const o = labels.office(f.office);
    return { label: o.name, label_en: `Office ${f.office}` };
  }
  if (f.district !== undefined) return groupLabel(labels, 'district', String(f.district));
  if (f.scope) {
    const names = f.scope.map((d) => labels.district(d));
    return { label: names.map((n) => n.fa).join('، '), label_en: names.map((n) => n.en).join(', ') };
  }
  return groupLabel(labels, 'city', 'all');
}

/** Groups in their natural order: districts by number, everything else by key. */
export function compareKeys(by: string): (a: string, b: string) => number {
  return by === 'district' ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}
