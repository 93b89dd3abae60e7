export type LogFields = Record<string, unknown>;

/** Structured JSON logs on stderr, so stdout stays free for command output. Never log keys or tokens. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function jsonLogger(base: LogFields = {}, write: (line: string) => void = (l) => console.error(l)): Logger {
  const emit = (level: string, msg: string, fields?: LogFields) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }));
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

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
