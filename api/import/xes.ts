/**
 * IEEE XES event logs (`.xes`, `.xes.gz`; issue 11) read as a stream: saxes (a maintained streaming XML parser)
 * reports each element as it goes, so a log of gigabytes never becomes a tree in memory; only the trace being read
 * is held. Each trace becomes a row of the traces part (a case: its `concept:name` and the columns the mapping's
 * `xes.case` gives) and each event a row of the events part (`concept:name` → stage, `time:timestamp` → at,
 * `lifecycle:transition`, `org:resource`, and the mapping's `xes.event`). Both parts are written as spill files and
 * loaded as raw text tables, so they pass the same SQL rules (rules.ts) and the same merge as a CSV export.
 *
 * Only the direct attributes of `<trace>` and `<event>` are read: nested attributes (meta-attributes, `<list>`,
 * `<container>`) are skipped, and so are the log's own attributes and its `<extension>`, `<global>` and
 * `<classifier>` declarations (a global's default such as "UNKNOWN" is never taken for a missing value).
 *
 * A row's `line` is the line of its element's start tag in the (decompressed) XML; `pos` is its number in the log
 * (the export's order of events). When elements of one part share a line (a log written on one line), lines do not
 * tell rows apart and the part's `line` is the element's number instead (the report's file label says so).
 *
 * Whatever is not a readable log — malformed XML, a truncated or damaged gzip stream, text that is not UTF-8, a
 * trace without concept:name, an event outside any trace, no traces at all — is a FileShapeError naming the file and
 * the line (and column) where it was found, which fails the whole import.
 */
import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SaxesParser } from 'saxes';
import { type DateOrder, parseTimestamp } from '../lib/dates.ts';
import type { RawFile } from './raw.ts';
import { FileShapeError } from './sources.ts';
import type { XesPlan, XesSource } from './xes-mapping.ts';

export const EVENT_HEADER = ['case_id', 'stage', 'at', 'lifecycle', 'actor', 'resource', 'stage_name'];

/** One part of a log, spilled: what loadXesPart needs. */
export interface XesPart {
  spill: string;
  header: string[];
  rows: number;
  /** Elements of this part share lines: `line` holds each element's number instead. */
  numbered: boolean;
  /** Attribute keys of traces (or events) that no column uses, reported like a CSV's unknown columns. */
  unused: string[];
}

export interface XesRead {
  traces: XesPart;
  events: XesPart;
}

export interface XesOptions {
  plan: XesPlan;
  order?: DateOrder;
  zone: string;
  /** A status word → contract status (the contract's words and the mapping's status_values), or undefined. */
  statusOf: (word: string) => string | undefined;
  /** Scratch folder for the spill files. */
  dir: string;
  /** Rows (traces + events) so far and the fraction of the file read. */
  onProgress?: (rows: number, fraction: number) => void;
}

const ATTRIBUTE_TYPES = new Set(['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container']);
const MAX_UNUSED = 50;

interface Element {
  line: number;
  ord: number;
  attrs: Map<string, string | null>;
}

interface Trace extends Element {
  events: Element[];
}

const NEEDS_QUOTES = /[",\n\r]/;
const field = (v: string | null | undefined) =>
  v === null || v === undefined ? '' : v === '' || NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

/** A spill file of rows `line,ord,c0,…` written in 1 MB pieces. */
class Spill {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  rows = 0;
  private lastLine = -1;
  numbered = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  add(line: number, ord: number, cells: (string | null)[]): void {
    if (line === this.lastLine) this.numbered = true;
    this.lastLine = line;
    let out = `${line},${ord}`;
    for (const v of cells) out += `,${field(v)}`;
    this.parts.push(out);
    this.size += out.length;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export async function readXes(path: string, opts: XesOptions): Promise<XesRead> {
  const size = statSync(path).size;
  if (size === 0) throw new FileShapeError(path, 'the file is empty');
  const { plan } = opts;
  const fail = (why: string) => new FileShapeError(path, why);
  const tag = `${path.length}-${Math.random().toString(36).slice(2, 8)}`;
  const traces = new Spill(join(opts.dir, `xes-traces-${tag}.csv`));
  const events = new Spill(join(opts.dir, `xes-events-${tag}.csv`));

  const usedTrace = new Set(['concept:name']);
  for (const [, s] of plan.caseColumns) if (s.kind === 'attribute') usedTrace.add(s.key);
  const usedEvent = new Set(['concept:name', 'time:timestamp']);
  for (const s of plan.eventColumns.values()) if (s.kind === 'attribute') usedEvent.add(s.key);
  const unusedTrace = new Set<string>();
  const unusedEvent = new Set<string>();

  const timeOf = (raw: string | null | undefined): number | null => {
    if (raw === null || raw === undefined) return null;
    const p = parseTimestamp(raw, { order: opts.order, timeZone: opts.zone });
    return p.ok ? p.ms : null;
  };

  const eventValue = (s: XesSource | undefined, ev: Element, stage: string | null): string | null => {
    if (!s) return null;
    if (s.kind === 'attribute') return ev.attrs.get(s.key) ?? null;
    if (s.kind === 'value') return s.value;
    if (s.kind === 'by_stage') {
      if (stage === null) return null;
      for (const [re, v] of s.rules) if (re.test(stage)) return v;
      return null;
    }
    return null;
  };

  let traceNo = 0;
  let eventNo = 0;
  const finishTrace = (t: Trace) => {
    const id = t.attrs.get('concept:name');
    if (id === undefined || id === null || id.trim() === '') {
      throw fail(
        `line ${t.line}: a trace without concept:name (every trace is a case and needs its id as <string key="concept:name" value="…"/>)`,
      );
    }
    for (const k of t.attrs.keys()) {
      if (!usedTrace.has(k) && unusedTrace.size < MAX_UNUSED) unusedTrace.add(k);
    }
    // the trace's first and last events in time, and the outcome event (latest; a tie goes to the later one)
    let earliest: [number, string] | null = null;
    let latest: [number, string] | null = null;
    const timed: (number | null)[] = [];
    for (const ev of t.events) {
      const raw = ev.attrs.get('time:timestamp') ?? null;
      const ms = timeOf(raw);
      timed.push(ms);
      if (ms === null || raw === null) continue;
      if (earliest === null || ms < earliest[0]) earliest = [ms, raw];
      if (latest === null || ms >= latest[0]) latest = [ms, raw];
    }
    const firstLast = {
      first_event: earliest as [number, string] | null,
      last_event: latest as [number, string] | null,
    };
    const cells: (string | null)[] = [id];
    let status: string | null = null;
    const caseValue = (col: string, s: XesSource): string | null => {
      switch (s.kind) {
        case 'attribute':
          return t.attrs.get(s.key) ?? null;
        case 'value':
          return s.value;
        case 'first_event':
        case 'last_event': {
          const w = firstLast[s.kind];
          if (w === null) return null;
          if (s.when_status) {
            const st = status === null ? undefined : opts.statusOf(status);
            if (st === undefined || !s.when_status.includes(st)) return null;
          }
          return w[1];
        }
        case 'outcome': {
          let best = -1;
          t.events.forEach((ev, i) => {
            const name = ev.attrs.get('concept:name');
            const ms = timed[i];
            if (name && ms !== null && s.outcome.has(name) && (best < 0 || ms >= (timed[best] as number)))
              best = i;
          });
          return best < 0
            ? s.otherwise
            : (s.outcome.get(t.events[best].attrs.get('concept:name') as string) ?? null);
        }
        default:
          throw new Error(`xes: ${col} has a source of kind ${s.kind}`);
      }
    };
    // status first: a time column may depend on it (when_status)
    const statusSource = plan.caseColumns.find(([c]) => c === 'status');
    if (statusSource) status = caseValue('status', statusSource[1]);
    for (const [col, s] of plan.caseColumns) cells.push(col === 'status' ? status : caseValue(col, s));
    traces.add(t.line, t.ord, cells);

    const cols = plan.eventColumns;
    for (const ev of t.events) {
      for (const k of ev.attrs.keys()) {
        if (!usedEvent.has(k) && unusedEvent.size < MAX_UNUSED) unusedEvent.add(k);
      }
      const stage = ev.attrs.get('concept:name') ?? null;
      events.add(ev.line, ev.ord, [
        id,
        stage,
        ev.attrs.get('time:timestamp') ?? null,
        eventValue(cols.get('lifecycle'), ev, stage),
        eventValue(cols.get('actor'), ev, stage),
        eventValue(cols.get('resource'), ev, stage),
        eventValue(cols.get('stage_name'), ev, stage),
      ]);
    }
  };

  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  let startLine = 1;
  let trace: Trace | null = null;
  let event: Element | null = null;
  let sawRoot = false;

  parser.on('xmldecl', (d) => {
    if (d.encoding && !/^utf-?8$/i.test(d.encoding)) {
      throw fail(`the XML declares encoding ${d.encoding}; save the log as UTF-8`);
    }
  });
  parser.on('opentagstart', () => {
    startLine = parser.line;
  });
  parser.on('opentag', (node) => {
    const name = local(node.name);
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (name !== 'log') throw fail(`not an XES log: the root element is <${node.name}>, not <log>`);
      sawRoot = true;
    } else if (name === 'trace' && parent === 'log') {
      trace = { line: startLine, ord: ++traceNo, attrs: new Map(), events: [] };
    } else if (name === 'event' && parent === 'trace' && trace !== null) {
      event = { line: startLine, ord: ++eventNo, attrs: new Map() };
    } else if (name === 'event' && parent === 'log') {
      throw fail(
        `line ${startLine}: an event outside any trace (every event must belong to a trace, its case)`,
      );
    } else if (ATTRIBUTE_TYPES.has(name)) {
      const attrs = node.attributes as Record<string, string>;
      const key = attrs.key;
      if (key !== undefined) {
        const value = attrs.value ?? null;
        if (parent === 'event' && event !== null) event.attrs.set(key, value);
        else if (parent === 'trace' && trace !== null) trace.attrs.set(key, value);
      }
    }
    stack.push(name);
  });
  parser.on('closetag', () => {
    const name = stack.pop();
    if (name === 'event' && event !== null && trace !== null && stack[stack.length - 1] === 'trace') {
      (trace as Trace).events.push(event);
      event = null;
    } else if (name === 'trace' && trace !== null && stack[stack.length - 1] === 'log') {
      finishTrace(trace);
      trace = null;
    }
  });

  const xmlError = (err: unknown): Error => {
    if (err instanceof FileShapeError) return err;
    const m = /^(\d+):(\d+): (.*)$/s.exec((err as Error).message);
    return m
      ? fail(`malformed XML at line ${m[1]}, column ${m[2]}: ${m[3]}`)
      : fail(`malformed XML near line ${parser.line}: ${(err as Error).message}`);
  };

  let bytes = 0;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const gz = isGzip(path);
  const input = gz ? file.pipe(createGunzip()) : file;
  if (gz) {
    // piped: the compressed bytes read so far give the fraction done
    file.on('data', (b) => {
      bytes += b.length;
    });
    file.on('error', (err) => input.destroy(err));
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let firstChunk = true;
  try {
    try {
      for await (const chunk of input) {
        if (!gz) bytes += (chunk as Buffer).length;
        let text: string;
        try {
          text = decoder.decode(chunk as Buffer, { stream: true });
        } catch {
          throw fail(`not UTF-8 text near line ${parser.line} (an XES log is UTF-8 XML)`);
        }
        if (firstChunk) {
          firstChunk = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        try {
          parser.write(text);
        } catch (err) {
          throw xmlError(err);
        }
        // the reading is reported under the log's traces part: count traces, as its later steps do
        opts.onProgress?.(traceNo, Math.min(1, bytes / size));
      }
    } catch (err) {
      if (err instanceof FileShapeError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (
        gz &&
        (e.code?.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(e.message))
      ) {
        throw fail(
          `the gzip data is truncated or damaged (${e.message}); the log was read up to line ${parser.line}`,
        );
      }
      throw fail(`cannot read the log: ${e.message}`);
    }
    try {
      decoder.decode();
    } catch {
      throw fail('not UTF-8 text at the end of the file');
    }
    try {
      parser.close();
    } catch (err) {
      throw xmlError(err);
    }
    if (!sawRoot) throw fail('not an XES log: no <log> element');
    if (traceNo === 0) throw fail('the log has no traces (every case is a <trace>)');
  } finally {
    file.destroy();
    traces.close();
    events.close();
  }
  return {
    traces: {
      spill: traces.path,
      header: ['case_id', ...plan.caseColumns.map(([c]) => c)],
      rows: traces.rows,
      numbered: traces.numbered,
      unused: [...unusedTrace],
    },
    events: {
      spill: events.path,
      header: EVENT_HEADER,
      rows: events.rows,
      numbered: events.numbered,
      unused: [...unusedEvent],
    },
  };
}

/** One part's spill as the raw text table `raw_<idx>` (line, pos, nf, malformed, c0…), as raw.ts makes for a CSV. */
export async function loadXesPart(c: DuckDBConnection, idx: number, part: XesPart): Promise<RawFile> {
  const table = `raw_${idx}`;
  const width = part.header.length;
  const cols = [
    "'line': 'INTEGER'",
    "'ord': 'BIGINT'",
    ...Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`),
  ].join(', ');
  const cs = Array.from({ length: width }, (_, i) => `c${i}`).join(', ');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT ${part.numbered ? 'ord::INTEGER' : 'line'} AS line, ord AS pos, ${width} AS nf, false AS malformed, ${cs}
     FROM read_csv($file, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
       columns = {${cols}}, allow_quoted_nulls = false, parallel = false, max_line_size = 16777216,
       buffer_size = 33554432)`,
    { file: part.spill },
  );
  return { format: 'xes', header: part.header, table, rows: part.rows, pos: 'pos' };
}
