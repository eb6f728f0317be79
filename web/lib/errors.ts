/**
 * A failed request in the reader's language. The API's errors carry a stable `code` and, for a bad
 * parameter, the parameter's name (api/errors.ts); those are what the message is made of. The
 * server's own (English) text is kept only as a technical detail. Whether trying again can help
 * decides whether a retry button is offered: a 4xx other than 408/429 is the same answer next time.
 */
import { messages } from '../i18n/index.ts';
import type { Lang } from './format.ts';

export interface ErrorInfo {
  message: string;
  /** The server's own text (or the browser's), for a technical detail line. */
  detail: string | null;
  retryable: boolean;
  status: number | null;
}

interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  parameter?: string;
}

const isApiError = (e: unknown): e is ApiErrorLike =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as ApiErrorLike).status === 'number' &&
  typeof (e as ApiErrorLike).code === 'string';

export function describeError(error: unknown, lang: Lang): ErrorInfo {
  const t = messages(lang);
  const e = t.errors;
  if (!isApiError(error)) {
    const detail = error instanceof Error ? error.message : error == null ? null : String(error);
    return { message: e.unexpected, detail, retryable: true, status: null };
  }
  const { status, code, parameter } = error;
  const detail = error.message || null;
  const param = parameter
    ? (((t.filters as Record<string, unknown>)[parameter] as string | undefined) ??
      e.parameters[parameter] ??
      parameter)
    : null;
  let message: string;
  if (status === 0 || code === 'network') message = e.network;
  else if (code === 'bad_parameter' || status === 400) message = param ? e.badParameter(param) : e.badRequest;
  else if (code === 'not_found' || status === 404) message = e.notFound;
  else if (code === 'forbidden' || status === 403) message = e.forbidden;
  else if (code === 'unauthorized' || status === 401) message = e.unauthorized;
  else if (code === 'payload_too_large' || status === 413) message = e.tooLarge;
  else if (code === 'too_many_requests' || status === 429) message = e.tooMany;
  else if (code === 'not_configured') message = e.notConfigured;
  else if (status >= 500) message = e.server;
  else message = e.unexpected;
  const retryable =
    code !== 'not_configured' && (status === 0 || status >= 500 || status === 408 || status === 429);
  return { message, detail, retryable, status };
}
