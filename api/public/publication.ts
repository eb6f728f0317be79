/**
 * Whether the public scorecards are published (table `publication`, one row): off by default, turned on
 * and off by an admin (the Data page or `npm run publish`), every change written to the audit log.
 * The server reads the state on every public request — from memory while nothing has been written
 * through its database handle, so switching off takes effect on the very next request.
 */
import { audit } from '../audit/log.ts';
import type { Db } from '../db.ts';
import { normalizeText } from '../lib/text.ts';

export interface Publication {
  published: boolean;
  licence: string | null;
  /** ISO time it was last turned on (kept after turning off, for the record). */
  published_at: string | null;
  changed_at: string | null;
  changed_by: string | null;
}

export const MAX_LICENCE_CHARS = 300;

/** A change that cannot be made (no licence line, a bad one): the message is for the admin. */
export class PublicationError extends Error {}

const NEVER: Publication = {
  published: false,
  licence: null,
  published_at: null,
  changed_at: null,
  changed_by: null,
};

const ISO = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

async function read(db: Db): Promise<Publication> {
  const row = await db.one<Publication>(
    `SELECT published, licence, ${ISO('published_at')} AS published_at, ${ISO('changed_at')} AS changed_at,
       changed_by FROM publication WHERE id = 1`,
  );
  return row ? { ...row, published: Boolean(row.published) } : { ...NEVER };
}

const known = new WeakMap<Db, { generation: number; p: Promise<Publication> }>();

/** The state now. Cached per write generation of the handle (see Db.generation): no query per request. */
export function currentPublication(db: Db): Promise<Publication> {
  const k = known.get(db);
  if (k && k.generation === db.generation) return k.p;
  const generation = db.generation;
  const p = read(db);
  known.set(db, { generation, p });
  p.catch(() => {
    if (known.get(db)?.p === p) known.delete(db);
  });
  return p;
}

/** Trims and folds the licence line; refuses an empty, overlong or control-character one. */
export function checkLicence(raw: string): string {
  const s = normalizeText(raw);
  if (s === '') throw new PublicationError('The licence line is empty: give one, e.g. "CC BY 4.0".');
  if (s.length > MAX_LICENCE_CHARS)
    throw new PublicationError(`The licence line is too long (at most ${MAX_LICENCE_CHARS} characters).`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new PublicationError('The licence line has control characters.');
  return s;
}

export interface PublicationChange {
  published: boolean;
  /** Required to publish unless a licence line is already set; ignored when turning off. */
  licence?: string | null;
  username: string | null;
  ip?: string | null;
  via: 'web' | 'cli';
}

export interface PublicationResult {
  state: Publication;
  /** false when the request asked for what already was (nothing written, nothing audited). */
  changed: boolean;
}

/**
 * Turns publishing on or off (or changes the licence line while on) and records it in the audit log.
 * Asking for the state that already holds changes nothing and is not logged.
 */
export async function setPublication(db: Db, change: PublicationChange): Promise<PublicationResult> {
  const before = await read(db);
  const licence =
    change.licence === undefined || change.licence === null ? before.licence : checkLicence(change.licence);
  if (change.published && !licence)
    throw new PublicationError(
      'A licence line is needed to publish: say under which terms the open data may be reused (e.g. "CC BY 4.0").',
    );
  const same = change.published === before.published && (!change.published || licence === before.licence);
  if (same) return { state: before, changed: false };
  await db.run(
    `INSERT OR REPLACE INTO publication (id, published, licence, published_at, changed_at, changed_by)
     VALUES (1, $published, $licence,
       CASE WHEN $published THEN now() ELSE $published_at::TIMESTAMPTZ END, now(), $by)`,
    {
      published: change.published,
      licence,
      published_at: before.published_at,
      by: change.username,
    },
  );
  const state = await read(db);
  await audit(db, {
    action: change.published ? 'publish' : 'unpublish',
    username: change.username,
    ip: change.ip ?? null,
    detail: {
      via: change.via,
      licence: state.licence,
      ...(change.published && before.published ? { previous_licence: before.licence } : {}),
    },
  });
  return { state, changed: true };
}
