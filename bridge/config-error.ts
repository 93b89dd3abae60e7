/** A setting is missing or wrong: the CLI prints each problem (naming the setting) and exits with code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid bridge configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}
