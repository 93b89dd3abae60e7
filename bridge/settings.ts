import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.ts';

/**
 * Where the bridge's settings come from: a settings file (`--config`, or `BRIDGE_CONFIG`) and the
 * environment, the environment winning setting by setting. The file has the environment's names, one
 * `NAME=value` a line (`#` comments, optional quotes, no expansion): the format of Compose's
 * `env_file`, systemd's `EnvironmentFile` and a Kubernetes ConfigMap made `--from-env-file`, so one
 * file serves every way of running the bridge.
 *
 * Every secret can come from a file: `<NAME>_FILE` holds the path (a Compose or Kubernetes secret),
 * and the value read from it takes the place of `<NAME>`. The node's key is a file anyway (KEY_FILE).
 */
export const SECRET_SETTINGS = ['MEDIATOR_SECRET', 'MEDIATOR_ENDPOINT_SECRET', 'HTTPS_PROXY', 'HTTP_PROXY'] as const;

/** The lower-case spellings many tools use for the proxy variables; the upper-case ones win. */
const LOWER_CASE_ALIASES: Record<string, string> = { https_proxy: 'HTTPS_PROXY', http_proxy: 'HTTP_PROXY', no_proxy: 'NO_PROXY' };

export interface SettingsSource {
  /** Merged settings, ready for loadBridgeConfig. */
  values: Record<string, string>;
  /** The settings file read, if any. */
  file?: string;
  /** Where each setting came from, for `doctor`. */
  origin: Record<string, 'file' | 'environment' | 'secret file'>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a settings file; `known` lists the names a bridge reads (anything else is a typo, named with its line). */
export function parseSettingsFile(text: string, file: string, known: ReadonlySet<string>): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = (eq > 0 ? line.slice(0, eq) : line).replace(/^export\s+/, '').trim();
    if (eq <= 0 || !NAME.test(name)) {
      problems.push(`${file} line ${i + 1}: expected NAME=value`);
      return;
    }
    if (!known.has(name)) {
      problems.push(`${file} line ${i + 1}: ${name} is not a bridge setting`);
      return;
    }
    values[name] = unquote(line.slice(eq + 1).trim());
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return values;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
    return value.slice(1, -1).replace(/\\(["\\$`]|n)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return value;
}

/** Writes settings in the file format above (what `init` saves); values are single-quoted when they need it. */
export function formatSettingsFile(header: string[], entries: [name: string, value: string, comment?: string][]): string {
  const lines = header.map((h) => `# ${h}`);
  for (const [name, value, comment] of entries) {
    if (comment) lines.push('', `# ${comment}`);
    const quoted = /^[A-Za-z0-9_./:@%+,=-]*$/.test(value) ? value : `'${value}'`;
    if (value.includes("'")) throw new Error(`${name}: a value with a single quote cannot be written`);
    lines.push(`${name}=${quoted}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reads the settings file (when one is named) under the environment, then resolves `<NAME>_FILE`
 * secrets. Every problem (unreadable file, unknown name, a secret set twice or unreadable) is a
 * ConfigError naming the setting; nothing is written.
 */
export function readSettings(env: Record<string, string | undefined>, known: ReadonlySet<string>, configFile?: string): SettingsSource {
  const fromEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    // An empty variable is how shells and compose files say "unset".
    if (v === undefined || v.trim() === '') continue;
    const name = LOWER_CASE_ALIASES[k] ?? k;
    if (name !== k && env[name]) continue;
    fromEnv[name] = v;
  }
  const file = configFile ?? fromEnv.BRIDGE_CONFIG;
  let fromFile: Record<string, string> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const setting = configFile ? '--config' : 'BRIDGE_CONFIG';
      throw new ConfigError([`${setting} ${file}: cannot read the settings file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
    fromFile = parseSettingsFile(text, file, known);
  }
  const origin: SettingsSource['origin'] = {};
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(fromFile)) {
    // A secret set in the environment either way replaces both of the file's ways of setting it.
    const base = k.endsWith('_FILE') ? k.slice(0, -5) : k;
    if ((SECRET_SETTINGS as readonly string[]).includes(base) && (fromEnv[base] || fromEnv[`${base}_FILE`])) continue;
    values[k] = v;
    origin[k] = 'file';
  }
  for (const [k, v] of Object.entries(fromEnv)) {
    values[k] = v;
    origin[k] = 'environment';
  }
  const problems: string[] = [];
  for (const name of SECRET_SETTINGS) {
    const path = values[`${name}_FILE`];
    if (path === undefined) continue;
    if (values[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set; keep one (the file)`);
      continue;
    }
    try {
      values[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      origin[name] = 'secret file';
    } catch (err) {
      problems.push(`${name}_FILE ${path}: cannot read the secret (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { values, file, origin };
}
