/**
 * The real BPI Challenge 2012 log in ../shared/realdata (third-party data, never copied into the repo) loads with
 * data/mappings/bpic2012.json. What it should hold is counted here a second way: the decompressed XML scanned with
 * plain regular expressions (no XML parser, no importer code), trace by trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, loadMapping } from '../../api/import/index.ts';
import { sharedPath } from '../shared-data.ts';
import { cleanup, freshDb, MAPPINGS, tempDir } from './helpers.ts';

afterEach(cleanup);

const LOG = sharedPath('realdata/bpic2012_loan_applications.xes.gz', 'the BPIC 2012 XES import test');

const OUTCOME: Record<string, string> = {
  A_APPROVED: 'completed',
  A_DECLINED: 'rejected',
  A_CANCELLED: 'withdrawn',
};

interface Expected {
  traces: number;
  events: number;
  schedule: number;
  /** Events that are not SCHEDULE, one per (case, stage, instant, lifecycle). */
  distinct: number;
  cases: Map<string, { sub: number; closed: number | null; status: string; events: number }>;
  /** Loaded events the mapping gives to the applicant, W_Completeren aanvraag events, start events. */
  citizen: number;
  completeren: number;
  starts: number;
}

const attr = (text: string, key: string) => new RegExp(`key="${key}" value="([^"]*)"`).exec(text)?.[1];

/** The log counted with regular expressions over the text. */
function scan(path: string): Expected {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const out: Expected = {
    traces: (text.match(/<trace[\s>]/g) ?? []).length,
    events: (text.match(/<event[\s>]/g) ?? []).length,
    schedule: 0,
    distinct: 0,
    cases: new Map(),
    citizen: 0,
    completeren: 0,
    starts: 0,
  };
  for (const chunk of text.split(/<trace>/).slice(1)) {
    const body = chunk.slice(0, chunk.indexOf('</trace>'));
    const parts = body.split(/<event>/);
    const id = attr(parts[0], 'concept:name') as string;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let outcome: [number, string] | null = null;
    const seen = new Set<string>();
    for (const ev of parts.slice(1).map((e) => e.slice(0, e.indexOf('</event>')))) {
      const name = attr(ev, 'concept:name') as string;
      const ms = Date.parse(attr(ev, 'time:timestamp') as string);
      const lc = (attr(ev, 'lifecycle:transition') ?? 'complete').toLowerCase();
      first = Math.min(first, ms);
      last = Math.max(last, ms);
      if (name in OUTCOME && (outcome === null || ms >= outcome[0])) outcome = [ms, OUTCOME[name]];
      const key = `${name}|${ms}|${lc}`;
      if (lc === 'schedule') out.schedule++;
      else if (!seen.has(key)) {
        seen.add(key);
        if (name === 'A_SUBMITTED' || name === 'O_SENT_BACK') out.citizen++;
        if (name === 'W_Completeren aanvraag') out.completeren++;
        if (lc === 'start') out.starts++;
      }
    }
    out.distinct += seen.size;
    const status = outcome?.[1] ?? 'open';
    out.cases.set(id, { sub: first, closed: status === 'open' ? null : last, status, events: seen.size });
  }
  return out;
}

describe.skipIf(LOG === null)('BPI Challenge 2012 (real XES log)', () => {
  it('loads with data/mappings/bpic2012.json: every trace a case, every event but SCHEDULE an event', async () => {
    const path = LOG as string;
    const want = scan(path);
    // the published figures (SOURCE.md), as a check on the scan itself
    expect([want.traces, want.events]).toEqual([13_087, 262_200]);

    const db = await freshDb(tempDir());
    const t0 = performance.now();
    const r = await importFiles(db, [path], { mapping: loadMapping(join(MAPPINGS, 'bpic2012.json')) });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.status, r.message ?? '').toBe('ok');
    console.log(
      `BPIC 2012: ${want.traces.toLocaleString('en-US')} traces, ${want.events.toLocaleString('en-US')} events in ` +
        `${seconds.toFixed(1)} s (${Math.round((want.traces + want.events) / seconds).toLocaleString('en-US')} rows/s, facts included)`,
    );
    const [traces, events] = r.files;
    expect(traces).toMatchObject({
      kind: 'flat',
      format: 'xes',
      rows_read: want.traces,
      inserted: want.traces,
    });
    expect(events).toMatchObject({
      kind: 'events',
      rows_read: want.events,
      ignored: want.schedule,
      inserted: want.distinct,
      rejected: 0,
      duplicates: want.events - want.schedule - want.distinct,
    });
    expect(traces.unknown_columns.sort()).toEqual(['AMOUNT_REQ', 'REG_DATE']);
    expect(r.derived).toEqual({ offices: 1, services: 1 });

    const stored = await db.all<{
      case_id: string;
      sub: number;
      closed: number | null;
      status: string;
      n: number;
    }>(
      `SELECT c.case_id, epoch_ms(c.submitted_at)::DOUBLE AS sub, epoch_ms(c.closed_at)::DOUBLE AS closed, c.status,
         (SELECT count(*) FROM events e WHERE e.case_id = c.case_id)::INTEGER AS n
       FROM cases c`,
    );
    expect(stored.length).toBe(want.traces);
    const wrong = stored.filter((s) => {
      const w = want.cases.get(s.case_id);
      return !w || w.sub !== s.sub || w.closed !== s.closed || w.status !== s.status || w.events !== s.n;
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    const byStatus = (rows: { status: string }[]) => {
      const out: Record<string, number> = {};
      for (const x of rows) out[x.status] = (out[x.status] ?? 0) + 1;
      return out;
    };
    expect(byStatus(stored)).toEqual(byStatus([...want.cases.values()]));
    // explorable: the stage names and actors of the mapping are on the events
    expect(
      await db.one(
        `SELECT count(*) FILTER (WHERE actor = 'citizen')::INTEGER AS citizen,
           count(*) FILTER (WHERE stage = 'W_Completeren aanvraag' AND stage_name = 'Complete the application')::INTEGER AS named,
           count(*) FILTER (WHERE lifecycle = 'start')::INTEGER AS starts
         FROM events`,
      ),
    ).toEqual({ citizen: want.citizen, named: want.completeren, starts: want.starts });
    db.close();
  }, 300_000);
});
