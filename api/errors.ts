/**
 * API errors with a stable JSON shape (ErrorSchema, also what the access layer answers). Handlers throw
 * these; `app.onError` turns them into responses, and anything else into a generic 500 (logged
 * server-side, never shown to the client).
 */
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'bad_parameter',
        'not_found',
        'not_configured',
        'unauthorized',
        'forbidden',
        'payload_too_large',
        'too_many_requests',
        'internal',
      ]),
      parameter: z.string().optional(),
      message: z.string(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.output<typeof ErrorSchema>;

export type ErrorCode = 'bad_parameter' | 'not_found' | 'not_configured' | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 500,
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }

  toJSON(): { error: { code: ErrorCode; message: string; parameter?: string } } {
    return {
      error: {
        code: this.code,
        ...(this.parameter ? { parameter: this.parameter } : {}),
        message: this.message,
      },
    };
  }
}

export function badParameter(parameter: string, message: string): ApiError {
  return new ApiError(400, 'bad_parameter', message, parameter);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, 'not_found', message);
}

/** Echoes a bad value back safely: short, and never more than a hint of what was sent. */
export function quoteValue(v: string): string {
  const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  return JSON.stringify(s);
}
