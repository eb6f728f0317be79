import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), useSystemFonts: false }).promise;
console.log('pages', doc.numPages);
for (let i = 1; i <= Math.min(doc.numPages, 2); i++) {
  const page = await doc.getPage(i);
  const tc = await page.getTextContent();
  const text = tc.items.map((it: any) => it.str + (it.hasEOL ? '\n' : '')).join('');
  console.log(`--- page ${i}\n${text.slice(0, 700)}`);
}
