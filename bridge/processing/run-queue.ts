/**
 * The runs a bridge has taken but not started, in arrival order, at most once each, and the limit of
 * runs at once (PROCESSING_MAX_RUNS). Pure: the durable copy is each run's state file
 * (RunStateStore.enqueue), from which a restart rebuilds it.
 */
export class RunQueue<T> {
  private readonly items: { id: string; item: T }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('the run limit must be a whole number of at least 1');
  }

  /** False when the id is queued already (a second delivery of the same run). */
  push(id: string, item: T): boolean {
    if (this.has(id)) return false;
    this.items.push({ id, item });
    return true;
  }

  /** The next run to start when `running` runs are in hand, or undefined (none queued, or no free slot). */
  next(running: number): T | undefined {
    return running < this.limit ? this.items.shift()?.item : undefined;
  }

  /** Takes a run out (a cancellation); false when it was not queued. */
  remove(id: string): boolean {
    const i = this.items.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  has(id: string): boolean {
    return this.items.some((e) => e.id === id);
  }

  ids(): string[] {
    return this.items.map((e) => e.id);
  }
}
