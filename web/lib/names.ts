/** Display names for codes, from /api/meta in the current language, with plain fallbacks. */
import type { Meta } from '../api/types.ts';
import { type Lang, localDigits } from './format.ts';

export interface Names {
  district: (d: number | string | null | undefined) => string;
  service: (code: string) => string;
  category: (code: string | null) => string;
  office: (id: string) => string;
}

export function makeNames(meta: Meta | undefined, lang: Lang): Names {
  const districts = new Map(meta?.districts.map((d) => [d.district, d]));
  const services = new Map(meta?.services.map((s) => [s.service_code, s]));
  const categories = new Map(meta?.categories.map((c) => [c.category, c]));
  const offices = new Map(meta?.offices.map((o) => [o.office_id, o]));
  return {
    district: (d) => {
      if (d == null || d === '') return '';
      const row = districts.get(Number(d));
      if (row) return lang === 'fa' ? row.name_fa : row.name_en;
      return lang === 'fa' ? `منطقه ${localDigits(d, lang)}` : `District ${d}`;
    },
    service: (code) => {
      const s = services.get(code);
      return s ? (lang === 'fa' ? s.name : s.name_en || s.name) : code;
    },
    category: (code) => {
      if (code === null) return '';
      if (code === 'all') return lang === 'fa' ? 'همه خدمات' : 'All services';
      const c = categories.get(code);
      return c ? (lang === 'fa' ? c.name_fa : c.name_en) : code;
    },
    office: (id) => offices.get(id)?.name ?? id,
  };
}
