/**
 * The contract's text rules (api/lib/text.ts) and cell reading (trim, mapping null words) as DuckDB macros, step
 * for step: NFC, bidi marks and BOMs removed, Arabic ي/ى/ك folded to Persian ی/ک, Arabic-Indic digits to Persian,
 * ZWJ and ¬ to ZWNJ, JavaScript's whitespace collapsed, ZWNJ runs and spaces around a ZWNJ made one ZWNJ, trimmed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** JavaScript's \s and String.prototype.trim() set. */
export const JS_WS =
  '[\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

// removed: LRM, RLM, LRE–RLO, LRI–PDI, BOM, soft hyphen; folded: ى ي → ی, ك → ک, ٠–٩ → ۰–۹, ZWJ and ¬ → ZWNJ
const FOLD_FROM =
  'ىيك٠١٢٣٤٥٦٧٨٩\u200D\u00AC\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFEFF\u00AD';
const FOLD_TO = 'ییک۰۱۲۳۴۵۶۷۸۹\u200C\u200C';

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

const MACROS = [
  // text.ts PLAIN_ASCII: nothing to fold, collapse or trim
  `CREATE OR REPLACE TEMP MACRO sh_plain(v) AS regexp_full_match(v, '[!-~]+(?: [!-~]+)*')`,
  `CREATE OR REPLACE TEMP MACRO sh_fold_text(v) AS
     regexp_replace(sh_js_trim(regexp_replace(regexp_replace(regexp_replace(
       translate(nfc_normalize(v), ${sq(FOLD_FROM)}, ${sq(FOLD_TO)}),
       ${sq(`${JS_WS}+`)}, ' ', 'g'), '\\x{200C}+', '\u200C', 'g'), ' ?\\x{200C} ?', '\u200C', 'g')),
       '^\\x{200C}+|\\x{200C}+$', '', 'g')`,
  // text.ts normalizeText and normalizeId
  `CREATE OR REPLACE TEMP MACRO sh_norm_text(v) AS CASE WHEN sh_plain(v) THEN v ELSE sh_fold_text(v) END`,
  // an id of printable ASCII and Persian/Arabic-Indic digits, single-spaced: normalizeText leaves it as it is but
  // for the digits, so only toLatinDigits remains (most non-ASCII ids are just that)
  `CREATE OR REPLACE TEMP MACRO sh_norm_id(v) AS CASE
     WHEN sh_plain(v) THEN v
     WHEN regexp_full_match(v, '[!-~۰-۹٠-٩]+(?: [!-~۰-۹٠-٩]+)*') THEN sh_latin(v)
     ELSE sh_latin(sh_fold_text(v)) END`,
  // mapping.ts wordKey, for the mapping's null words (lower() is JavaScript's toLowerCase but for İ and final sigma)
  `CREATE OR REPLACE TEMP MACRO sh_word_key(v) AS
     regexp_replace(lower(replace(sh_norm_text(v), 'İ', 'i̇')), ${sq(`(?:${JS_WS}|-)+`)}, '_', 'g')`,
  // a cell as validate.ts read it: empty → NULL; trimmed only when an end is a control character or space (the
  // code points of the two ends: a regular expression for the same test took twice as long)
  `CREATE OR REPLACE TEMP MACRO sh_cell(v) AS CASE
     WHEN v IS NULL OR v = '' THEN NULL
     WHEN ord(v) <= 32 OR ord(v[-1]) <= 32 THEN nullif(sh_js_trim(v), '')
     ELSE v END`,
  // JavaScript's Date.prototype.toISOString() without ".000"
  `CREATE OR REPLACE TEMP MACRO sh_iso(ms) AS
     strftime(make_timestamp(ms * 1000), '%Y-%m-%dT%H:%M:%S')
     || CASE WHEN ms % 1000 = 0 THEN '' ELSE '.' || lpad((((ms % 1000) + 1000) % 1000)::VARCHAR, 3, '0') END || 'Z'`,
];

export async function installTextSql(c: DuckDBConnection): Promise<void> {
  for (const m of MACROS) await c.run(m);
}
