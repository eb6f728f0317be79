/**
 * A file whose headers are not the contract's and that no mapping explains (issue 13: "a one-sheet export without a
 * mapping"): the message says, in Persian and English, that a mapping is needed and which one — the shipped mapping
 * in data/mappings/ whose headers the file has (e.g. fa-flat.json for a Persian case-management sheet), if any.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPersianDigits } from '../lib/digits.ts';
import type { Kind } from './contract.ts';
import { resolveHeader } from './header.ts';
import { type FileSpec, headerKey, type Mapping, parseMapping } from './mapping.ts';
import type { Said } from './report.ts';

const SHIPPED_DIR = join(import.meta.dirname, '..', '..', 'data', 'mappings');

let shipped: { name: string; mapping: Mapping }[] | null = null;

function shippedMappings(): { name: string; mapping: Mapping }[] {
  if (shipped) return shipped;
  shipped = [];
  try {
    for (const f of readdirSync(SHIPPED_DIR)
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      try {
        shipped.push({
          name: `data/mappings/${f}`,
          mapping: parseMapping(JSON.parse(readFileSync(join(SHIPPED_DIR, f), 'utf8'))),
        });
      } catch {
        // a broken example is no suggestion
      }
    }
  } catch {
    // no examples beside this copy
  }
  return shipped;
}

/** The shipped mapping that describes this header best (all required columns, most headers named), if any. */
export function suggestMapping(header: string[]): { name: string; kind: Kind; matched: number } | null {
  let best: { name: string; kind: Kind; matched: number } | null = null;
  const keys = header.map(headerKey);
  for (const { name, mapping } of shippedMappings()) {
    for (const [kind, spec] of Object.entries(mapping.files ?? {}) as [Kind, FileSpec][]) {
      try {
        resolveHeader('x', kind, header, spec);
      } catch {
        continue;
      }
      const named = new Set([
        ...Object.keys(spec.columns ?? {}).map(headerKey),
        ...Object.values(spec.combine ?? {}).flatMap((cols) => cols.map(headerKey)),
      ]);
      const matched = keys.filter((k) => named.has(k)).length;
      if (!best || matched > best.matched) best = { name, kind, matched };
    }
  }
  return best;
}

/** What to tell the user about a header no kind fits, in both languages. */
export function mappingNeeded(header: string[], mappingGiven: boolean): Said {
  const hit = suggestMapping(header);
  const shown = header.filter((h) => h.trim() !== '').slice(0, 6);
  const list = shown.join(', ') + (header.length > shown.length ? ', …' : '');
  const listFa = shown.join('، ') + (header.length > shown.length ? '، …' : '');
  const fa = (n: number) => toPersianDigits(n);
  const lead: Said = mappingGiven
    ? {
        en: `the mapping given does not name this file's headers (${list})`,
        fa: `فایل نگاشتی که داده شد سرستون‌های این فایل (${listFa}) را نام نمی‌برد`,
      }
    : {
        en: `a mapping file is needed: this file's headers (${list}) are not the contract's column names`,
        fa: `این فایل بدون فایل نگاشت خوانده نمی‌شود: سرستون‌هایش (${listFa}) نام ستون‌های قرارداد نیستند`,
      };
  if (hit) {
    return {
      en: `${lead.en}. They are the headers of ${hit.name} (${hit.matched} of ${header.length}): choose it as the header mapping on the Data page, or add --mapping ${hit.name}`,
      fa: `${lead.fa}. این سرستون‌ها همان سرستون‌های نگاشت ${hit.name} است (${fa(hit.matched)} از ${fa(header.length)}): آن را در صفحهٔ داده‌ها به‌عنوان فایل نگاشت سرستون‌ها انتخاب کنید (در خط فرمان: --mapping ${hit.name}).`,
    };
  }
  return {
    en: `${lead.en}. Write a mapping that names them (README, "A mapping file"; examples in data/mappings/)`,
    fa: `${lead.fa}. فایل نگاشتی بنویسید که هر سرستون را به ستون قرارداد نگاشت کند (راهنما در README، بخش «A mapping file»؛ نمونه‌ها در data/mappings/).`,
  };
}
