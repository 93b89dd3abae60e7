import type { Obfuscation } from '../../shared/job-protocol.ts';
import type { Db } from '../index/schema.ts';

/** How counts are protected before they leave the node; defaults follow Samply Focus. */
export interface PrivacySettings {
  enabled: boolean;
  epsilon: number;
  sensitivity: number;
  roundingStep: number;
  /** Counts 1..threshold-1 are reported as the threshold; stratified groups under it are not shown. */
  smallCountThreshold: number;
}

/** Width of the age bins reported bounds are widened to when obfuscating. */
export const AGE_BIN_YEARS = 5;

export const DEFAULT_PRIVACY: PrivacySettings = { enabled: true, epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 };

/** Laplace(0, scale) from a cryptographic source: a predictable generator would let noise be subtracted. */
export function laplace(scale: number): number {
  const buf = new Uint32Array(2);
  crypto.getRandomValues(buf);
  // 53 random bits → u uniform in (-0.5, 0.5), never exactly ±0.5 so the log stays finite.
  const u = (((buf[0] as number) >>> 5) * 67108864 + ((buf[1] as number) >>> 6) + 0.5) / 9007199254740992 - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/**
 * Perturbs counts. The noise drawn for (sensitivity, true count, stratum) is stored in the index
 * database and reused, so asking the same question again — even after a restart — gives the same
 * answer and averaging many answers reveals nothing more than one.
 */
export class Obfuscator {
  constructor(
    private readonly settings: PrivacySettings,
    private readonly db?: Db,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Groups smaller than this are not revealed in stratified values (1 when counts are exact). */
  get groupThreshold(): number {
    return this.settings.enabled ? this.settings.smallCountThreshold : 1;
  }

  /**
   * The age range as it may leave the node: with obfuscation on, each bound widened to its 5-year
   * bin (43..67 becomes 40..69), so the answer never states the exact age of the youngest or the
   * oldest subject of a cohort.
   */
  ageRange(min: number, max: number): { min: number; max: number } {
    if (!this.settings.enabled) return { min, max };
    return {
      min: Math.floor(min / AGE_BIN_YEARS) * AGE_BIN_YEARS,
      max: Math.floor(max / AGE_BIN_YEARS) * AGE_BIN_YEARS + AGE_BIN_YEARS - 1,
    };
  }

  count(trueCount: number, stratum: string): number {
    const s = this.settings;
    if (!s.enabled || trueCount === 0) return trueCount;
    const noisy = trueCount + this.noise(trueCount, stratum);
    const rounded = Math.round(noisy / s.roundingStep) * s.roundingStep;
    return Math.max(rounded, s.smallCountThreshold);
  }

  notes(): Obfuscation {
    const s = this.settings;
    if (!s.enabled) return { applied: false };
    return {
      applied: true,
      method: 'laplace',
      epsilon: s.epsilon,
      sensitivity: s.sensitivity,
      roundingStep: s.roundingStep,
      smallCountThreshold: s.smallCountThreshold,
    };
  }

  private readonly memory = new Map<string, number>();

  private noise(trueCount: number, stratum: string): number {
    const { sensitivity, epsilon } = this.settings;
    const key = `${sensitivity}\u0000${trueCount}\u0000${stratum}`;
    const cached = this.memory.get(key);
    if (cached !== undefined) return cached;
    const row = this.db
      ?.prepare('SELECT noise FROM noise WHERE sensitivity = ? AND true_count = ? AND stratum = ?')
      .get(sensitivity, trueCount, stratum) as { noise: number } | undefined;
    const value = row?.noise ?? laplace(sensitivity / epsilon);
    if (!row)
      this.db
        ?.prepare('INSERT OR IGNORE INTO noise (sensitivity, true_count, stratum, noise) VALUES (?, ?, ?, ?)')
        .run(sensitivity, trueCount, stratum, value);
    this.memory.set(key, value);
    return value;
  }
}
