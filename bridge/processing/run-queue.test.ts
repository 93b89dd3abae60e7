import { describe, expect, it } from 'vitest';
import { RunQueue } from './run-queue.ts';

describe('the queue of runs waiting for a slot', () => {
  it('starts nothing while the limit is reached, then the oldest first', () => {
    const q = new RunQueue<string>(1);
    expect(q.push('run-a', 'A')).toBe(true);
    expect(q.push('run-b', 'B')).toBe(true);
    expect(q.next(1)).toBeUndefined();
    expect(q.ids()).toEqual(['run-a', 'run-b']);
    expect(q.next(0)).toBe('A');
    expect(q.next(1)).toBeUndefined();
    expect(q.next(0)).toBe('B');
    expect(q.next(0)).toBeUndefined();
  });

  it('fills every slot of a larger limit', () => {
    const q = new RunQueue<string>(3);
    for (const id of ['a', 'b', 'c', 'd']) q.push(id, id);
    const started: string[] = [];
    for (let running = 0, next = q.next(running); next; next = q.next(++running)) started.push(next);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(q.ids()).toEqual(['d']);
  });

  it('holds a run once, and takes a cancelled one out', () => {
    const q = new RunQueue<string>(1);
    q.push('run-a', 'A');
    expect(q.push('run-a', 'A again')).toBe(false);
    q.push('run-b', 'B');
    expect(q.remove('run-a')).toBe(true);
    expect(q.remove('run-a')).toBe(false);
    expect(q.has('run-b')).toBe(true);
    expect(q.next(0)).toBe('B');
  });

  it('refuses a limit below one', () => {
    expect(() => new RunQueue(0)).toThrow('at least 1');
    expect(() => new RunQueue(1.5)).toThrow('at least 1');
  });
});
