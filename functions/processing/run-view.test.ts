import { describe, expect, it } from 'vitest';
import { overallState } from './run-view.ts';

describe('the overall state of a run', () => {
  it.each([
    [['pending', 'dispatched'], false, 'pending'],
    [['running', 'dispatched'], false, 'running'],
    // A part its node queued behind its own runs is still to come, not over.
    [['queued', 'completed'], false, 'pending'],
    [['queued', 'running'], false, 'running'],
    [['queued'], true, 'cancelling'],
    [['running', 'completed'], true, 'cancelling'],
    [['completed', 'completed'], false, 'completed'],
    [['completed', 'failed'], false, 'partial'],
    [['failed', 'timed_out', 'not_allowed'], false, 'failed'],
    [['cancelled', 'cancelled'], true, 'cancelled'],
    [['cancelled', 'failed'], true, 'failed'],
  ] as const)('%j (cancel asked: %s) is %s', (states, cancel, expected) => {
    expect(overallState([...states], cancel)).toBe(expected);
  });
});
