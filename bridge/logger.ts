import { type Logger, jsonLogger as sharedJsonLogger } from '../shared/logger.ts';

export { type LogFields, type Logger, silentLogger } from '../shared/logger.ts';

/** JSON lines on stderr, so stdout stays free for command output. Never log keys or tokens. */
export const jsonLogger = (base: Record<string, unknown> = {}, write: (line: string) => void = (l) => console.error(l)): Logger =>
  sharedJsonLogger(base, write);

/** One line for a thrown value, without a stack: safe to log and, for our own errors, to show. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const first = err.message.split('\n')[0] ?? err.name;
    // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is in its cause.
    const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
    const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
    return why ? `${first} (${why})` : first;
  }
  if (typeof err === 'object' && err !== null && 'exception' in err) return describeError((err as { exception: unknown }).exception);
  return String(err).split('\n')[0] ?? 'unknown error';
}
