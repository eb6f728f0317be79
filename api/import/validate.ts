/**
 * Row rules that need only the row itself: required values, dates, vocabularies, closed-after-submitted and the
 * status/closed_at agreement. A row collects every problem it has, so one pass of fixes clears it.
 * Rules across rows (duplicates, references, flat conflicts) are set-based SQL in merge.ts.
 */
import {
  endOfTehranDayMs,
  MS_PER_DAY,
  type ParseOptions,
  parseTimestamp,
  tehranFields,
} from '../lib/dates.ts';
import { toLatinDigits } from '../lib/digits.ts';
import { normalizeId, normalizeText } from '../lib/text.ts';
import { CASE_STATUSES, CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_SOURCES } from '../lib/vocab.ts';
import type { Kind } from './contract.ts';
import type { ResolvedHeader } from './header.ts';
import { type Mapping, wordKey, wordMap } from './mapping.ts';
import type { ReasonCode } from './reasons.ts';
import type { StageValue } from './stage.ts';

export interface Issue {
  column: string | null;
  raw: string | null;
  reason: ReasonCode;
  detail: string;
}

export type RowResult = { ok: true; values: StageValue[] } | { ok: false; issues: Issue[] };

export interface RuleContext {
  tehran: boolean;
  dates: ParseOptions;
  nulls: Set<string>;
  /** Longest null word: longer cells skip the (costly) word normalisation. */
  nullMaxLength: number;
  status: Map<string, string>;
  channel: Map<string, string>;
  category: Map<string, string>;
  source: Map<string, string>;
}

export function ruleContext(mapping: Mapping, tehran: boolean): RuleContext {
  return {
    tehran,
    dates: { order: mapping.date_order, timeZone: mapping.timezone },
    nulls: new Set((mapping.null_values ?? []).map(wordKey)),
    nullMaxLength: Math.max(0, ...(mapping.null_values ?? []).map((v) => v.length + 8)),
    status: wordMap(CASE_STATUSES, mapping.status_values),
    channel: wordMap(CHANNELS, mapping.channel_values),
    category: wordMap(COMPLAINT_CATEGORIES, mapping.category_values),
    source: wordMap(COMPLAINT_SOURCES, mapping.source_values),
  };
}

const TRUE_WORDS = new Set(['true', 't', '1', 'yes', 'y', 'بله', 'درست', 'صحیح']);
const FALSE_WORDS = new Set(['false', 'f', '0', 'no', 'n', 'خیر', 'نادرست']);
const DISTRICT_WORD = /^(?:منطقه|ناحیه|district|region)\s*(\d{1,3})$/i;
const INTEGER = /^\d+(?:\.0+)?$/;
/** A longer id or name is a broken export, and would be sent with every list of names the dashboard loads. */
const MAX_ID_LENGTH = 200;
const MAX_TEXT_LENGTH = 1000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Reads one row's cells by contract column and records problems as it goes. One instance serves a whole file
 * (`load` per row): millions of rows must not mean millions of short-lived objects for the garbage collector.
 */
class RowReader {
  issues: Issue[] = [];
  private values: (string | null)[] = [];
  private readonly index: Map<string, number[]>;

  constructor(
    header: ResolvedHeader,
    private readonly ctx: RuleContext,
  ) {
    this.index = header.columns;
  }

  load(values: (string | null)[]): this {
    this.values = values;
    if (this.issues.length > 0) this.issues = [];
    return this;
  }

  private cell(i: number): string | null {
    const v = this.values[i];
    if (v === null || v === undefined || v === '') return null;
    // trim only when an end is whitespace (the common cell is clean)
    const t = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
    if (t === '' || (t.length <= this.ctx.nullMaxLength && this.ctx.nulls.has(wordKey(t)))) return null;
    return t;
  }

  raw(col: string): string | null {
    const idx = this.index.get(col);
    if (!idx) return null;
    if (idx.length === 1) return this.cell(idx[0]);
    let out: string | null = null;
    for (const i of idx) {
      const t = this.cell(i);
      if (t !== null) out = out === null ? t : `${out} / ${t}`;
    }
    return out;
  }

  add(column: string | null, raw: string | null, reason: ReasonCode, detail: string): void {
    this.issues.push({ column, raw, reason, detail });
  }

  required(col: string, v: string | null): v is string {
    if (v === null || v === '') {
      this.add(col, null, 'missing_required', `${col} is empty`);
      return false;
    }
    return true;
  }

  id(col: string, required: boolean): string | null {
    const r = this.raw(col);
    const v = r === null ? null : normalizeId(r);
    if (this.tooLong(col, r, v, MAX_ID_LENGTH)) return null;
    if (required) this.required(col, v);
    return v || null;
  }

  text(col: string, required: boolean): string | null {
    const r = this.raw(col);
    const v = r === null ? null : normalizeText(r);
    if (this.tooLong(col, r, v, MAX_TEXT_LENGTH)) return null;
    if (required) this.required(col, v);
    return v || null;
  }

  private tooLong(col: string, raw: string | null, v: string | null, max: number): boolean {
    if (v === null || v.length <= max) return false;
    this.add(
      col,
      raw,
      'bad_value',
      `${col} is ${v.length.toLocaleString('en-US')} characters long; at most ${max}`,
    );
    return true;
  }

  time(col: string, required: boolean): number | null {
    const r = this.raw(col);
    if (r === null) {
      if (required) this.required(col, null);
      return null;
    }
    const p = parseTimestamp(r, this.ctx.dates);
    if (p.ok) return p.ms;
    this.add(col, r, 'bad_date', p.message);
    return null;
  }

  /** A deadline given as a bare date means "by the end of that day", not its first minute. */
  deadline(col: string): number | null {
    const r = this.raw(col);
    if (r === null) return null;
    const p = parseTimestamp(r, this.ctx.dates);
    if (!p.ok) {
      this.add(col, r, 'bad_date', p.message);
      return null;
    }
    if (p.hasTime) return p.ms;
    const zone = this.ctx.dates.timeZone;
    // other zones: 24 h later, an hour off only on a DST-change day
    return zone && zone !== 'Asia/Tehran' ? p.ms + MS_PER_DAY - 1 : endOfTehranDayMs(p.ms);
  }

  /** A calendar date kept as YYYY-MM-DD of the Tehran day it names. */
  day(col: string): string | null {
    const ms = this.time(col, false);
    if (ms === null) return null;
    const f = tehranFields(ms);
    return `${f.y}-${String(f.mo).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`;
  }

  word(col: string, map: Map<string, string>, required: boolean, reason: ReasonCode): string | null {
    const r = this.raw(col);
    if (r === null) {
      if (required) this.required(col, null);
      return null;
    }
    const exact = map.get(r);
    if (exact) return exact;
    const v = map.get(wordKey(r));
    if (v) {
      // remember the spelling as written: the next million rows skip the normalisation (same answer)
      map.set(r, v);
      return v;
    }
    const allowed = [...new Set(map.values())].join(', ');
    this.add(
      col,
      r,
      reason,
      `"${r}" is not one of ${allowed}${reason === 'unknown_status' ? ' (map it in status_values)' : ''}`,
    );
    return null;
  }

  count(col: string): number | null {
    const r = this.raw(col);
    if (r === null) return null;
    const t = toLatinDigits(r).trim();
    if (INTEGER.test(t) && Number(t) <= 100_000) return Math.round(Number(t));
    this.add(col, r, 'bad_value', `${col} must be a whole number of days ≥ 0`);
    return null;
  }

  bool(col: string): boolean | null {
    const r = this.raw(col);
    if (r === null) return null;
    const k = wordKey(toLatinDigits(r));
    if (TRUE_WORDS.has(k)) return true;
    if (FALSE_WORDS.has(k)) return false;
    this.add(col, r, 'bad_value', `${col} must be true or false`);
    return null;
  }

  /** Tehran: a number 1–22 written as 7, «منطقه ۷» or "District 7" → "7". Elsewhere: the text is the label. */
  district(col: string): string | null {
    const r = this.raw(col);
    if (r === null) {
      this.required(col, null);
      return null;
    }
    const t = normalizeText(r);
    if (!this.ctx.tehran) return t;
    const latin = toLatinDigits(t);
    const m = INTEGER.test(latin) ? latin : DISTRICT_WORD.exec(latin)?.[1];
    const n = m === undefined ? Number.NaN : Math.round(Number(m));
    if (Number.isInteger(n) && n >= 1 && n <= 22) return String(n);
    this.add(col, r, 'bad_value', `district "${r}" is not a Tehran district (1–22, «منطقه ۷» or District 7)`);
    return null;
  }

  /** closed/resolved must not precede submitted/received; both instants are shown. */
  order(startCol: string, start: number | null, endCol: string, end: number | null): void {
    if (start !== null && end !== null && end < start) {
      this.add(
        endCol,
        this.raw(endCol),
        'closed_before_submitted',
        `${endCol} ${this.raw(endCol)} (${iso(end)}) is before ${startCol} ${this.raw(startCol)} (${iso(start)})`,
      );
    }
  }

  result(values: StageValue[]): RowResult {
    return this.issues.length === 0 ? { ok: true, values } : { ok: false, issues: this.issues };
  }
}

function statusAgreement(
  r: RowReader,
  status: string | null,
  closed: number | null,
  closedRaw: string | null,
): void {
  if (status === 'open' && closed !== null) {
    r.add('closed_at', closedRaw, 'status_closed_mismatch', `status is open but closed_at is ${closedRaw}`);
  } else if ((status === 'completed' || status === 'rejected') && closedRaw === null) {
    r.add('closed_at', null, 'status_closed_mismatch', `status is ${status} but closed_at is empty`);
  }
}

type Validator = (values: (string | null)[]) => RowResult;

export function validator(kind: Kind, header: ResolvedHeader, ctx: RuleContext): Validator {
  const reader = new RowReader(header, ctx);
  switch (kind) {
    case 'offices':
      return (values) => {
        const r = reader.load(values);
        const out = [
          r.id('office_id', true),
          r.text('name', true),
          r.district('district'),
          r.day('opened_on'),
          r.text('status', false),
        ];
        return r.result(out);
      };
    case 'services':
      return (values) => {
        const r = reader.load(values);
        const out = [
          r.id('service_code', true),
          r.text('name', true),
          r.text('name_en', false),
          r.text('category', false),
          r.count('sla_days'),
        ];
        return r.result(out);
      };
    case 'cases':
      return (values) => {
        const r = reader.load(values);
        const id = r.id('case_id', true);
        const office = r.id('office_id', true);
        const service = r.id('service_code', true);
        const submitted = r.time('submitted_at', true);
        const closed = r.time('closed_at', false);
        const status = r.word('status', ctx.status, true, 'unknown_status');
        const channel = r.word('channel', ctx.channel, false, 'bad_value');
        const due = r.deadline('due_at');
        r.order('submitted_at', submitted, 'closed_at', closed);
        statusAgreement(r, status, closed, r.raw('closed_at'));
        return r.result([id, office, service, submitted, closed, status, channel, due]);
      };
    case 'complaints':
      return (values) => {
        const r = reader.load(values);
        const received = r.time('received_at', true);
        const out: StageValue[] = [
          r.id('complaint_id', true),
          r.id('office_id', true),
          r.id('case_id', false),
          received,
          r.word('category', ctx.category, true, 'bad_value'),
          r.word('source', ctx.source, false, 'bad_value'),
          null,
          r.bool('substantiated'),
        ];
        out[6] = r.time('resolved_at', false);
        r.order('received_at', received, 'resolved_at', out[6] as number | null);
        return r.result(out);
      };
    case 'flat':
      return (values) => {
        const r = reader.load(values);
        const id = r.id('case_id', true);
        const officeId = r.id('office_id', false);
        const officeName = r.text('office_name', false);
        if (!officeId && !officeName)
          r.add('office_id', null, 'missing_required', 'office id and office name are both empty');
        const district = r.district('district');
        const code = r.id('service_code', false);
        const serviceName = r.text('service_name', false);
        const category = r.text('category', false);
        if (!code && !serviceName) {
          r.add('service_code', null, 'missing_required', 'service code and service name are both empty');
        }
        const sla = r.count('sla_days');
        const submitted = r.time('submitted_at', true);
        const closed = r.time('closed_at', false);
        const status = r.word('status', ctx.status, true, 'unknown_status');
        const channel = r.word('channel', ctx.channel, false, 'bad_value');
        const due = r.deadline('due_at');
        r.order('submitted_at', submitted, 'closed_at', closed);
        statusAgreement(r, status, closed, r.raw('closed_at'));
        // the derived identity: office id or else its name; service code or else name + category
        const officeKey = officeId ?? officeName;
        const serviceKey = code ?? (serviceName && category ? `${serviceName} / ${category}` : serviceName);
        return r.result([
          id,
          officeKey,
          officeName ?? officeId,
          district,
          serviceKey,
          serviceName ?? code,
          category,
          sla,
          submitted,
          closed,
          status,
          channel,
          due,
        ]);
      };
  }
}
