/**
 * A schematic tile map of Tehran's 22 districts, for when no boundary file is configured.
 * Each district gets one cell placed roughly where it lies (north up, west left — geography is
 * not mirrored in RTL). Written for Shafaf from the districts' centroids in the OSM boundaries:
 * north row 22 5 2 3 1 4, then 21 9 6 7 8 13, 18 10 11 12 14, 17 16 15, and 19 20 in the south.
 */
export interface TileCell {
  district: number;
  row: number;
  col: number;
}

export const TILE_COLS = 6;
export const TILE_ROWS = 5;

const ROWS: (number | null)[][] = [
  [22, 5, 2, 3, 1, 4],
  [21, 9, 6, 7, 8, 13],
  [null, 18, 10, 11, 12, 14],
  [null, null, 17, 16, 15, null],
  [null, null, 19, 20, null, null],
];

export const TILE_LAYOUT: readonly TileCell[] = ROWS.flatMap((cells, row) =>
  cells.flatMap((district, col) => (district == null ? [] : [{ district, row, col }])),
).sort((a, b) => a.district - b.district);

/** Sequential light-to-dark blue scale (ColorBrewer "Blues", 5 classes). */
export const SEQUENTIAL = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Linear interpolation through the scale; null (no data) gets a neutral grey. */
export function colorFor(value: number | null | undefined, min: number, max: number): string {
  if (value == null || !Number.isFinite(value)) return '#e9ecef';
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  const pos = t * (SEQUENTIAL.length - 1);
  const i = Math.min(SEQUENTIAL.length - 2, Math.floor(pos));
  const a = hexToRgb(SEQUENTIAL[i]);
  const b = hexToRgb(SEQUENTIAL[i + 1]);
  const f = pos - i;
  return toHex(a.map((c, k) => c + (b[k] - c) * f));
}

/** WCAG 2 relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Black or white text, whichever reads better on the tile. Pure black (not the body's dark grey)
 * because only black leaves no mid-blue where neither choice reaches AA's 4.5:1.
 */
export function textColorOn(bg: string): string {
  return contrastRatio(bg, '#000000') >= contrastRatio(bg, '#ffffff') ? '#000000' : '#ffffff';
}

export function valueRange(values: Iterable<number | null | undefined>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v == null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}
