/**
 * Charts on paper. A printed chart is not the screen's canvas scaled down (which clips what lies
 * beyond the page's width) but the same option drawn again, as vector SVG, at the printed width:
 * A4 (210 mm) less the 14 mm page margins is 182 mm ≈ 688 CSS px, less a card's padding and border.
 * `printOption` makes an option fit for paper: no animation, no tooltip, and legends that wrap
 * instead of scrolling (a scrolling legend prints its first page only).
 */
import type { ChartOption } from './base.ts';

/** CSS px: 182 mm of A4 content width at 96 px/in (688 px), less a card's 2 × (16 px + 1 px). */
export const PRINT_WIDTH = 654;

/** The tallest printed chart: room for its card's title and a few table rows on the same page. */
export const PRINT_MAX_HEIGHT = 520;

const plainLegend = (legend: unknown) => {
  if (!legend || typeof legend !== 'object') return legend;
  const { type: _type, pageButtonPosition: _p, ...rest } = legend as Record<string, unknown>;
  return { ...rest, type: 'plain' };
};

/** The option as it should be printed (the input is left untouched). */
export function printOption(option: ChartOption): ChartOption {
  const o = option as Record<string, unknown>;
  const legend = Array.isArray(o.legend) ? o.legend.map(plainLegend) : plainLegend(o.legend);
  return {
    ...option,
    animation: false,
    tooltip: { show: false },
    ...(o.legend === undefined ? {} : { legend }),
  };
}

/** The printed height for a chart drawn `height` px tall on screen. */
export const printHeight = (height: number) => Math.min(height, PRINT_MAX_HEIGHT);

/**
 * The dashboard's Content-Security-Policy allows no inline styles (style-src 'self'), and ECharts'
 * SVG text carries them: a `<style>` element (hover rules only, meaningless on paper) and
 * `style="font-size:12px;font-family:…"` on text. The first goes; the second becomes SVG presentation
 * attributes, which say the same and are not styles in CSP's sense.
 */
export function cspSafeSvg(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\sstyle="([^"]*)"/g, (_, decls: string) =>
      decls
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const i = d.indexOf(':');
          if (i < 1) return '';
          const prop = d.slice(0, i).trim().toLowerCase();
          if (!/^[a-z-]+$/.test(prop)) return '';
          return ` ${prop}="${d.slice(i + 1).trim()}"`;
        })
        .join(''),
    );
}
