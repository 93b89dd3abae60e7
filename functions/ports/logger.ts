// The hub's logger port is the shared JSON logger: hub and bridge log in one format.
export { type LogFields, type Logger, jsonLogger, silentLogger } from '../../shared/logger.ts';
