/** One finding of `bridge doctor` (and of the start's own preflight): which setting, how it stands, what to do. */
export interface Check {
  /** Short label, e.g. "key", "data folder", "hub". */
  name: string;
  /** The setting the site admin looks at. */
  setting: string;
  status: 'ok' | 'warn' | 'fail';
  /** What was found, or what to fix. */
  detail: string;
}

export const ok = (name: string, setting: string, detail: string): Check => ({ name, setting, status: 'ok', detail });
export const warn = (name: string, setting: string, detail: string): Check => ({ name, setting, status: 'warn', detail });
export const fail = (name: string, setting: string, detail: string): Check => ({ name, setting, status: 'fail', detail });

export const GiB = 1024 ** 3;
export const formatBytes = (n: number): string => (n >= GiB ? `${(n / GiB).toFixed(1)} GiB` : `${Math.round(n / 1024 ** 2)} MiB`);
