import { z } from 'zod';

/** The closed set of error codes the platform answers with, and the HTTP status each maps to. */
export const errorStatus = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  /** No representation in the types the client accepts; `details.supported` lists those served. */
  not_acceptable: 406,
  conflict: 409,
  /** Withdrawn for good; `details` carries the tombstone (title, withdrawal date, reason). */
  gone: 410,
  payload_too_large: 413,
  /** The content is not of a type the route accepts, or is not what it claims to be. */
  unsupported_media_type: 415,
  unprocessable: 422,
  /** A bridge speaking a protocol this hub does not serve; `details.served` has the range. */
  unsupported_protocol: 426,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The one error class of the platform: anything else reaching the error handler is a 500. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }
}

/** Turns zod issues into `{ path, message }` pairs whose path reads like `ast.children[0].type`. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}
