export type LogFields = Record<string, unknown>;
export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

/** Structured JSON logs. Never pass secrets or tokens as fields. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** One JSON object per line; lines below `minLevel` are dropped. */
export function jsonLogger(
  base: LogFields = {},
  write: (line: string) => void = (l) => console.log(l),
  minLevel: LogLevel = 'info',
): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (rank[level] < rank[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }));
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => jsonLogger({ ...base, ...fields }, write, minLevel),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, child: () => silentLogger };
