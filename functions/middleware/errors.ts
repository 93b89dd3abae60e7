import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorBody, type ErrorCode } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';

const fromHttpStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  406: 'not_acceptable',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

export function errorResponse(c: Context<HubEnv>, err: AppError) {
  const body: ErrorBody = {
    error: { code: err.code, message: err.message, requestId: c.get('requestId') ?? 'unknown', details: err.details },
  };
  return c.json(body, err.status);
}

/** The one error renderer: known errors keep their message; anything else is a bare 500. */
export function onError(err: Error, c: Context<HubEnv>) {
  if (err instanceof AppError) {
    if (err.status >= 500) c.get('log')?.error('request failed', { code: err.code, message: err.message });
    return errorResponse(c, err);
  }
  if (err instanceof HTTPException && fromHttpStatus[err.status]) {
    return errorResponse(c, new AppError(fromHttpStatus[err.status] as ErrorCode, err.message || 'request refused'));
  }
  // Never echo internal error text to the caller; the log line carries it with the request id.
  c.get('log')?.error('unhandled error', { error: err.message, stack: err.stack?.split('\n').slice(0, 5).join(' | ') });
  return errorResponse(c, new AppError('internal', 'internal error'));
}

export function notFound(c: Context<HubEnv>) {
  return errorResponse(c, new AppError('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
}
