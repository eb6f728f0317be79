/** Table sorting: numbers as numbers, text in the reader's collation, missing values always last. */
export type SortDir = 'asc' | 'desc';
export type Sortable = string | number | boolean | null | undefined;

export function sortRows<Row>(
  rows: readonly Row[],
  value: (row: Row) => Sortable,
  dir: SortDir,
  locale: string,
): Row[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, v: value(row), i }))
    .sort((a, b) => {
      const an = a.v == null || (typeof a.v === 'number' && Number.isNaN(a.v));
      const bn = b.v == null || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      let c: number;
      if (typeof a.v === 'number' && typeof b.v === 'number') c = a.v - b.v;
      else c = collator.compare(String(a.v), String(b.v));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.row);
}

/** Case- and script-tolerant search: Arabic ي/ك match Persian ی/ک, ZWNJ and case are ignored. */
export function normaliseSearch(s: string): string {
  return s
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/\u200c/g, '')
    .replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)))
    .toLowerCase()
    .trim();
}
