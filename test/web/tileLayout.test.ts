import { describe, expect, it } from 'vitest';
import {
  colorFor,
  contrastRatio,
  SEQUENTIAL,
  TILE_COLS,
  TILE_LAYOUT,
  TILE_ROWS,
  textColorOn,
  valueRange,
} from '../../web/charts/tileLayout.ts';

const cell = (d: number) => TILE_LAYOUT.find((c) => c.district === d)!;

describe('schematic tile map', () => {
  it('places each of the 22 districts once, in distinct cells inside the grid', () => {
    expect(TILE_LAYOUT.map((c) => c.district)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(new Set(TILE_LAYOUT.map((c) => `${c.row},${c.col}`)).size).toBe(22);
    for (const c of TILE_LAYOUT) {
      expect(c.row).toBeGreaterThanOrEqual(0);
      expect(c.row).toBeLessThan(TILE_ROWS);
      expect(c.col).toBeGreaterThanOrEqual(0);
      expect(c.col).toBeLessThan(TILE_COLS);
    }
  });

  it('keeps the rough geography: north above south, west left of east', () => {
    // From the OSM boundaries' centroids: 1, 3, 4 lie north; 16, 19, 20 south;
    // 21, 22, 5, 9, 18 west; 4, 8, 13, 14, 15 east.
    for (const n of [1, 3, 4]) for (const s of [16, 19, 20]) expect(cell(n).row).toBeLessThan(cell(s).row);
    for (const w of [21, 22, 5, 9, 18])
      for (const e of [4, 8, 13, 14, 15]) expect(cell(w).col).toBeLessThan(cell(e).col);
    // 22 is the north-western corner of the city, 20 its southern tip
    expect(cell(22).col).toBe(0);
    expect(cell(20).row).toBe(Math.max(...TILE_LAYOUT.map((c) => c.row)));
  });
});

describe('colour scale', () => {
  it('maps the ends of the range to the ends of the scale and missing values to grey', () => {
    expect(colorFor(0, 0, 10)).toBe(SEQUENTIAL[0]);
    expect(colorFor(10, 0, 10)).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
    expect(colorFor(5, 0, 10)).toBe(SEQUENTIAL[2]);
    expect(colorFor(null, 0, 10)).toBe('#e9ecef');
  });

  it('finds the range of the values present', () => {
    expect(valueRange([3, null, 9, undefined, 5])).toEqual({ min: 3, max: 9 });
    expect(valueRange([null])).toEqual({ min: 0, max: 0 });
  });

  it('computes WCAG contrast (black on white is 21:1) and picks AA text on every tile colour', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    for (let v = 0; v <= 100; v += 5) {
      const bg = colorFor(v, 0, 100);
      expect(contrastRatio(bg, textColorOn(bg))).toBeGreaterThanOrEqual(4.5);
    }
  });
});
