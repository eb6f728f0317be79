/**
 * The text of each page of a PDF, read with pdf.js (pdfjs-dist), for the print tests. Chromium writes
 * Persian as shaped glyphs (Arabic presentation forms) in visual order, often a glyph per text item:
 * the items are folded to plain letters (NFKC) and joined by position (a gap wider than a glyph's
 * spacing or a new line is a '|'), and a district is searched in both orders.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

interface Item {
  str: string;
  transform: number[];
  width: number;
}

/** Each page's text: glyphs of one word together, words and cells apart ('|'). */
export async function pdfPageTexts(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: pdf, useSystemFonts: false, disableFontFace: true }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    let out = '';
    let prev: Item | null = null;
    for (const raw of content.items) {
      if (!('str' in raw)) continue;
      const it = raw as Item;
      const text = it.str.normalize('NFKC').trim();
      if (!text) continue;
      if (prev) {
        // where the previous glyphs end, along their baseline (chart labels may be rotated)
        const [a, b] = prev.transform;
        const scale = Math.hypot(a, b) || 1;
        const endX = prev.transform[4] + (prev.width * a) / scale;
        const endY = prev.transform[5] + (prev.width * b) / scale;
        if (Math.hypot(it.transform[4] - endX, it.transform[5] - endY) > 1.5) out += '|';
      }
      out += text;
      prev = it;
    }
    pages.push(out);
  }
  await doc.destroy();
  return pages;
}

const FA_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const faNumber = (n: number) => String(n).replace(/\d/g, (d) => FA_DIGITS[Number(d)]);

/**
 * How often «منطقه N» appears in a page text: in logical order, or in the visual order a PDF keeps
 * RTL text in (the letters reversed, the number left of them), never as part of a longer number.
 */
export function countDistrictFa(text: string, district: number): number {
  const n = faNumber(district);
  const word = 'منطقه';
  const reversed = [...word].reverse().join('');
  const logical = new RegExp(`${word}\\|?${n}(?![۰-۹])`, 'g');
  const visual = new RegExp(`(?<![۰-۹])${n}\\|?${reversed}`, 'g');
  return (text.match(logical)?.length ?? 0) + (text.match(visual)?.length ?? 0);
}
