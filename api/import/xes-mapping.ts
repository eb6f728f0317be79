/**
 * The `xes` section of a mapping file (issue 11): where the case columns of an XES log's traces come from, and the
 * event columns beyond the standard's own keys. The trace's `concept:name` is always the case id and an event's
 * `concept:name` and `time:timestamp` are always its stage and time (DESIGN "Data contract"); everything else is
 * declared here, so that a whole log can be one office, one district, one service:
 *
 *   "xes": {
 *     "case": {
 *       "office_id":    {"attribute": "org:office"} | {"value": "BPIC"},
 *       "status":       {"outcome": {"A_APPROVED": "completed", "A_DECLINED": "rejected"}, "otherwise": "open"},
 *       "submitted_at": {"first_event": true},                       (the default)
 *       "closed_at":    {"last_event": true, "when_status": ["completed", "rejected"]}
 *     },
 *     "event": { "actor": {"by_stage": {"W_*": "office", "*": "other"}}, "stage_name": {"by_stage": {…}} }
 *   }
 *
 * Sources: `attribute` (a trace attribute for case columns, an event attribute for event columns; nested
 * attributes are not addressable), `value` (a constant), `first_event` / `last_event` (the time of the trace's
 * earliest / latest event; `when_status` limits it to cases of those statuses), `outcome` (status only: the latest
 * event whose concept:name is a key decides; `otherwise` when none is), `by_stage` (event columns only: by the
 * event's concept:name, `*` a wildcard, the first matching key wins).
 * Checked here with messages that name the key; nothing in this file reads a log.
 */
import { CONTRACT } from './contract.ts';

export type XesSource =
  | { kind: 'attribute'; key: string }
  | { kind: 'value'; value: string }
  | { kind: 'first_event' | 'last_event'; when_status: string[] | null }
  | { kind: 'outcome'; outcome: Map<string, string>; otherwise: string | null }
  | { kind: 'by_stage'; rules: [RegExp, string][] };

export interface XesPlan {
  /** The traces part's kind: `flat` derives offices and services from the case columns, as a flat export does. */
  caseKind: 'cases' | 'flat';
  /** Case column → source, in the order of the contract (case_id, the trace's concept:name, not included). */
  caseColumns: [string, XesSource][];
  /** Event column (actor, resource, stage_name, lifecycle) → source. */
  eventColumns: Map<string, XesSource>;
}

export class XesMappingError extends Error {}

const CASE_COLUMNS = CONTRACT.flat.columns.filter((c) => c !== 'case_id');
const TIME_COLUMNS = ['submitted_at', 'closed_at', 'due_at'];
const EVENT_COLUMNS = ['actor', 'resource', 'stage_name', 'lifecycle'];
const DEFAULT_EVENT: Record<string, XesSource> = {
  resource: { kind: 'attribute', key: 'org:resource' },
  lifecycle: { kind: 'attribute', key: 'lifecycle:transition' },
};

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const stringRecord = (x: unknown): x is Record<string, string> =>
  isRecord(x) && Object.values(x).every((v) => typeof v === 'string');

/**
 * `statusOf` turns a status word into a contract status (the contract's words and the mapping's status_values), or
 * undefined. Throws XesMappingError naming the key at fault.
 */
export function parseXesSection(
  xes: { case?: Record<string, unknown>; event?: Record<string, unknown> },
  statusOf: (word: string) => string | undefined,
): XesPlan {
  const source = (where: string, col: string, raw: unknown, forCase: boolean): XesSource => {
    const at = `xes.${where}.${col}`;
    const forms = forCase
      ? `{"attribute": "<trace attribute>"} or {"value": "<constant>"}${TIME_COLUMNS.includes(col) ? ', {"first_event": true} or {"last_event": true}' : ''}${col === 'status' ? ', {"outcome": {"<last event>": "<status>"}, "otherwise": "<status>"}' : ''}`
      : '{"attribute": "<event attribute>"}, {"value": "<constant>"} or {"by_stage": {"<stage or glob>": "<value>"}}';
    if (!isRecord(raw)) throw new XesMappingError(`${at}: give ${forms}`);
    const keys = Object.keys(raw).sort().join(',');
    if (keys === 'attribute' && typeof raw.attribute === 'string' && raw.attribute !== '')
      return { kind: 'attribute', key: raw.attribute };
    if (keys === 'value' && typeof raw.value === 'string') return { kind: 'value', value: raw.value };
    if (forCase && (keys.startsWith('first_event') || keys.startsWith('last_event'))) {
      const which = keys.startsWith('first_event') ? 'first_event' : 'last_event';
      if (!TIME_COLUMNS.includes(col))
        throw new XesMappingError(`${at}: ${which} gives a time; ${col} is not a time column`);
      if (raw[which] !== true) throw new XesMappingError(`${at}: write {"${which}": true}`);
      const rest = Object.keys(raw).filter((k) => k !== which);
      if (rest.some((k) => k !== 'when_status'))
        throw new XesMappingError(
          `${at}: unknown key(s) ${rest.join(', ')} (only when_status may go with ${which})`,
        );
      let when: string[] | null = null;
      if (raw.when_status !== undefined) {
        const list = raw.when_status;
        if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string'))
          throw new XesMappingError(`${at}.when_status: give a list of statuses`);
        when = list.map((s) => {
          const st = statusOf(s);
          if (!st) throw new XesMappingError(`${at}.when_status: "${s}" is not a case status`);
          return st;
        });
      }
      return { kind: which, when_status: when };
    }
    if (forCase && col === 'status' && 'outcome' in raw) {
      if (Object.keys(raw).some((k) => k !== 'outcome' && k !== 'otherwise'))
        throw new XesMappingError(`${at}: only "outcome" and "otherwise" go together`);
      if (!stringRecord(raw.outcome) || Object.keys(raw.outcome).length === 0)
        throw new XesMappingError(`${at}.outcome: give {"<event concept:name>": "<status>", …}`);
      const outcome = new Map<string, string>();
      for (const [ev, word] of Object.entries(raw.outcome)) {
        const st = statusOf(word);
        if (!st)
          throw new XesMappingError(
            `${at}.outcome: "${ev}" maps to "${word}", which is not a case status (open, completed, rejected, withdrawn) nor a word of status_values`,
          );
        outcome.set(ev, st);
      }
      let otherwise: string | null = null;
      if (raw.otherwise !== undefined) {
        const st = typeof raw.otherwise === 'string' ? statusOf(raw.otherwise) : undefined;
        if (!st)
          throw new XesMappingError(`${at}.otherwise: "${String(raw.otherwise)}" is not a case status`);
        otherwise = st;
      }
      return { kind: 'outcome', outcome, otherwise };
    }
    if (!forCase && keys === 'by_stage') {
      if (!stringRecord(raw.by_stage) || Object.keys(raw.by_stage).length === 0)
        throw new XesMappingError(`${at}.by_stage: give {"<stage or glob with *>": "<value>", …}`);
      return {
        kind: 'by_stage',
        rules: Object.entries(raw.by_stage).map(([g, v]) => [globToRegExp(g), v] as [RegExp, string]),
      };
    }
    throw new XesMappingError(`${at}: ${JSON.stringify(raw).slice(0, 120)} is not a source; give ${forms}`);
  };

  const caseSpec = xes.case ?? {};
  if (!isRecord(caseSpec)) throw new XesMappingError('xes.case: give an object of case column → source');
  const given = new Map<string, XesSource>();
  for (const [col, raw] of Object.entries(caseSpec)) {
    if (col === '$comment') continue;
    if (col === 'case_id')
      throw new XesMappingError(
        "xes.case.case_id: a case's id is always its trace's concept:name; remove this key",
      );
    if (!CASE_COLUMNS.includes(col))
      throw new XesMappingError(`xes.case: "${col}" is not a case column (${CASE_COLUMNS.join(', ')})`);
    given.set(col, source('case', col, raw, true));
  }
  if (!given.has('submitted_at')) given.set('submitted_at', { kind: 'first_event', when_status: null });
  if (!given.has('status'))
    throw new XesMappingError(
      'xes.case.status: say where a case\'s status comes from: {"outcome": {"<event>": "<status>"}, "otherwise": "open"}, {"attribute": …} or {"value": …}',
    );
  const derives = given.has('district') || given.has('office_name') || given.has('service_name');
  if (derives && !given.has('district'))
    throw new XesMappingError(
      'xes.case.district: office_name and service_name derive offices and services as a flat export does, which needs the district ({"attribute": …} or {"value": …})',
    );
  const need: [string, string][] = derives
    ? [
        ['office_id', 'office_name'],
        ['service_code', 'service_name'],
      ]
    : [
        ['office_id', 'office_id'],
        ['service_code', 'service_code'],
      ];
  for (const [a, b] of need) {
    if (!given.has(a) && !given.has(b))
      throw new XesMappingError(
        `xes.case.${a}: every case needs ${a === b ? `its ${a} (an office or service already in the database, or give district, office_name and service_name to derive them)` : `${a} or ${b}`}; give {"attribute": …} or {"value": …}`,
      );
  }

  const eventSpec = xes.event ?? {};
  if (!isRecord(eventSpec)) throw new XesMappingError('xes.event: give an object of event column → source');
  const eventColumns = new Map<string, XesSource>(Object.entries(DEFAULT_EVENT));
  for (const [col, raw] of Object.entries(eventSpec)) {
    if (col === '$comment') continue;
    if (!EVENT_COLUMNS.includes(col))
      throw new XesMappingError(
        `xes.event: "${col}" is not an event column the mapping can set (${EVENT_COLUMNS.join(', ')}; the stage is concept:name and the time time:timestamp)`,
      );
    eventColumns.set(col, source('event', col, raw, false));
  }
  return {
    caseKind: derives ? 'flat' : 'cases',
    caseColumns: CASE_COLUMNS.filter((c) => given.has(c)).map((c) => [c, given.get(c) as XesSource]),
    eventColumns,
  };
}

/** A source in the log's own words, for the reject report's headers (the trace's concept:name, an attribute key, …). */
function sourceWords(s: XesSource): string {
  switch (s.kind) {
    case 'attribute':
      return s.key;
    case 'value':
      return `«${s.value}»`;
    case 'first_event':
      return 'time:timestamp (first event)';
    case 'last_event':
      return 'time:timestamp (last event)';
    case 'outcome':
      return 'concept:name (last outcome event)';
    case 'by_stage':
      return 'concept:name (by_stage)';
  }
}

/** Contract column → where an XES part's column comes from in the log (FileReport.headers). */
export function xesHeaders(plan: XesPlan, part: 'traces' | 'events'): Record<string, string> {
  const out: Record<string, string> = { case_id: 'trace concept:name' };
  if (part === 'traces') {
    for (const [col, s] of plan.caseColumns) out[col] = sourceWords(s);
    return out;
  }
  out.stage = 'concept:name';
  out.at = 'time:timestamp';
  for (const [col, s] of plan.eventColumns) out[col] = sourceWords(s);
  return out;
}
