import { describe, expect, it } from 'vitest';
import { jsonLogger } from './logger.ts';

describe('jsonLogger', () => {
  it.each([
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at level %s writes only %j', (level, expected) => {
    const lines: { level: string; msg: string; requestId?: string }[] = [];
    const log = jsonLogger({ service: 'test' }, (l) => lines.push(JSON.parse(l)), level).child({ requestId: 'r1' });
    log.info('a');
    log.warn('b');
    log.error('c');
    expect(lines.map((l) => l.level)).toEqual(expected);
    for (const l of lines) expect(l.requestId).toBe('r1');
  });
});
