/**
 * JSON error answers for the access layer, in the API's error shape `{ error: { code, message } }`.
 * Returned, never thrown: the app's onError knows only its own ApiError and would turn anything
 * else into a 500.
 */
import type { Context } from 'hono';

export type AccessErrorCode = 'unauthorized' | 'forbidden' | 'too_many_requests' | 'payload_too_large';

const STATUS = { unauthorized: 401, forbidden: 403, too_many_requests: 429, payload_too_large: 413 } as const;

export function accessError(
  c: Context,
  code: AccessErrorCode,
  message: string,
  headers?: Record<string, string>,
) {
  return c.json({ error: { code, message } }, STATUS[code], headers);
}
