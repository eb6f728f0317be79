/**
 * Excel's Persian "CSV" (issue 13): Excel on Persian Windows saves CSV as Windows-1256, with Arabic ي/ك. The
 * contract's CSV is UTF-8; a file that is not valid UTF-8 is read as Windows-1256 only when
 *   - the mapping says `"encoding": "windows-1256"`, or
 *   - it reads as Arabic script in Windows-1256 (at least 80% of its non-ASCII characters) and is not a UTF-8
 *     file with a few bad bytes (more valid UTF-8 characters than invalid bytes),
 * and the report says which it assumed and why. Anything else fails the file with the line of the first bad
 * byte. Nothing is guessed silently. The file is transcoded to a UTF-8 copy (same lines, so the same line
 * numbers) that DuckDB then reads; the text rules fold ي/ك to ی/ک as everywhere. Decoder: iconv-lite.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { Said } from './report.ts';
import { FileShapeError } from './sources.ts';

export type { Said } from './report.ts';
export type CsvEncoding = 'utf-8' | 'windows-1256';

const ARABIC_SCRIPT = /[\u0600-\u06FF\u200C-\u200F\u00A0\u00AB\u00BB\u2013\u2014\u2026]/;
const ARABIC_LETTER = /[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC]/;

interface Stats {
  utf8Valid: number;
  utf8Bad: number;
  nonAscii1256: number;
  arabic1256: number;
  letters1256: number;
}

async function stats(path: string): Promise<Stats> {
  const s: Stats = { utf8Valid: 0, utf8Bad: 0, nonAscii1256: 0, arabic1256: 0, letters1256: 0 };
  const utf8 = new TextDecoder('utf-8');
  const cp = iconv.getDecoder('windows-1256');
  const countUtf8 = (text: string) => {
    for (const ch of text) {
      if (ch === '\uFFFD') s.utf8Bad++;
      else if (ch.charCodeAt(0) > 0x7f) s.utf8Valid++;
    }
  };
  const count1256 = (text: string) => {
    for (const ch of text) {
      if (ch.charCodeAt(0) <= 0x7f) continue;
      s.nonAscii1256++;
      if (ARABIC_SCRIPT.test(ch)) s.arabic1256++;
      if (ARABIC_LETTER.test(ch)) s.letters1256++;
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    countUtf8(utf8.decode(chunk as Buffer, { stream: true }));
    count1256(cp.write(chunk as Buffer));
  }
  countUtf8(utf8.decode());
  count1256(cp.end() ?? '');
  return s;
}

const READ_1256_EN =
  'read as Windows-1256 (Arabic); Arabic ي/ك are read as Persian ی/ک. If names look wrong, save the file as "CSV UTF-8" in Excel';
const READ_1256_FA =
  'با رمزگذاری Windows-1256 (عربی) خوانده شد و «ي» و «ك» عربی «ی» و «ک» فارسی شدند. اگر نام‌ها درست نیستند، فایل را در اکسل با قالب «CSV UTF-8» ذخیره کنید';

/**
 * A CSV that is not valid UTF-8 (first bad byte on `line`): the note saying it is read as Windows-1256, or a
 * FileShapeError saying why it cannot be.
 */
export async function windows1256Note(
  path: string,
  line: number,
  setting: CsvEncoding | undefined,
): Promise<Said> {
  if (setting === 'windows-1256') {
    return {
      en: `${READ_1256_EN} (the mapping's "encoding" says so).`,
      fa: `${READ_1256_FA} (طبق encoding در فایل نگاشت).`,
    };
  }
  const s = await stats(path);
  if (s.utf8Valid > 0 && s.utf8Valid >= s.utf8Bad) {
    throw new FileShapeError(
      path,
      `invalid UTF-8 on line ${line} in a file that is otherwise UTF-8 text: correct that line or export the file again as UTF-8 CSV`,
      `سطر ${fa(line)} این فایل UTF-8 معتبر نیست، در حالی که باقی فایل UTF-8 است: آن سطر را درست کنید یا فایل را دوباره با قالب CSV UTF-8 بگیرید.`,
    );
  }
  if (s.letters1256 === 0 || s.arabic1256 < 0.8 * s.nonAscii1256) {
    throw new FileShapeError(
      path,
      `is not valid UTF-8 (line ${line}) and does not read as Windows-1256 (Arabic) text either: export it as UTF-8 CSV, or set "encoding" in the mapping`,
      `این فایل نه UTF-8 معتبر است (سطر ${fa(line)}) و نه با Windows-1256 (عربی) متن خوانایی می‌دهد: آن را با قالب CSV UTF-8 بگیرید یا encoding را در فایل نگاشت تعیین کنید.`,
    );
  }
  return {
    en: `Not valid UTF-8 (line ${line}): ${READ_1256_EN}, or set "encoding" in the mapping.`,
    fa: `این فایل UTF-8 معتبر نبود (سطر ${fa(line)}): ${READ_1256_FA} یا encoding را در فایل نگاشت تعیین کنید.`,
  };
}

/** The mapping says Windows-1256 but the file is valid UTF-8 with non-ASCII text (checked in its first MB). */
export function utf8DespiteSetting(path: string): Said | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (!buf.subarray(0, n).some((b) => b >= 0x80)) return null;
  } finally {
    closeSync(fd);
  }
  return {
    en: 'read as UTF-8: the mapping says "encoding": "windows-1256", but this file is valid UTF-8 (as Excel\'s "CSV UTF-8" saves it).',
    fa: 'با UTF-8 خوانده شد: فایل نگاشت encoding را windows-1256 گفته است، ولی این فایل UTF-8 معتبر است (همان‌طور که قالب «CSV UTF-8» اکسل ذخیره می‌کند).',
  };
}

/** Writes `path` decoded from Windows-1256 to `out` as UTF-8 (line breaks are ASCII: the lines stay the lines). */
export async function transcode1256(path: string, out: string): Promise<void> {
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    iconv.decodeStream('windows-1256'),
    iconv.encodeStream('utf-8'),
    createWriteStream(out),
  );
}

function fa(n: number): string {
  return n.toLocaleString('fa-IR', { useGrouping: false });
}
