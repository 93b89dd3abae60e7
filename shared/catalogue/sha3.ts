// SHA3-256 (FIPS 202) in plain TypeScript: the tracer's CREATE_DATASET entries carry SHA3-256 hashes,
// and Web Crypto (the only hashing every runtime and the browser share) has no SHA3. Written from the
// standard's description with BigInt lanes: metadata records are small, so clarity beats speed here.
const MASK = (1n << 64n) - 1n;
const rot = (v: bigint, n: number) => (n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK);

/** Rotation offsets of the rho step, derived as the standard defines them (index x + 5y). */
const OFFSETS = (() => {
  const r = new Array<number>(25).fill(0);
  let [x, y] = [1, 0];
  for (let t = 0; t < 24; t++) {
    r[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return r;
})();

/** Round constants of the iota step from the standard's linear feedback shift register. */
const ROUND_CONSTANTS = (() => {
  const rcBit = (t: number) => {
    if (t % 255 === 0) return 1;
    let r = 1;
    for (let i = 0; i < t % 255; i++) {
      r <<= 1;
      if (r & 0x100) r ^= 0x171;
    }
    return r & 1;
  };
  return Array.from({ length: 24 }, (_, round) => {
    let rc = 0n;
    for (let j = 0; j <= 6; j++) if (rcBit(j + 7 * round)) rc |= 1n << BigInt(2 ** j - 1);
    return rc;
  });
})();

function keccakF(a: bigint[]): void {
  const c = new Array<bigint>(5);
  const b = new Array<bigint>(25);
  for (const rc of ROUND_CONSTANTS) {
    for (let x = 0; x < 5; x++)
      c[x] = (a[x] as bigint) ^ (a[x + 5] as bigint) ^ (a[x + 10] as bigint) ^ (a[x + 15] as bigint) ^ (a[x + 20] as bigint);
    for (let x = 0; x < 5; x++) {
      const d = (c[(x + 4) % 5] as bigint) ^ rot(c[(x + 1) % 5] as bigint, 1);
      for (let y = 0; y < 25; y += 5) a[x + y] = (a[x + y] as bigint) ^ d;
    }
    for (let x = 0; x < 5; x++)
      for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rot(a[x + 5 * y] as bigint, OFFSETS[x + 5 * y] as number);
    for (let y = 0; y < 25; y += 5)
      for (let x = 0; x < 5; x++)
        a[x + y] = (b[x + y] as bigint) ^ (~(b[((x + 1) % 5) + y] as bigint) & MASK & (b[((x + 2) % 5) + y] as bigint));
    a[0] = (a[0] as bigint) ^ rc;
  }
}

/** SHA3-256 of bytes or UTF-8 text, as lowercase hex. */
export function sha3_256(input: Uint8Array | string): string {
  const data = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const rate = 136;
  const padded = new Uint8Array((Math.floor(data.length / rate) + 1) * rate);
  padded.set(data);
  padded[data.length] = (padded[data.length] as number) ^ 0x06;
  padded[padded.length - 1] = (padded[padded.length - 1] as number) ^ 0x80;
  const state = new Array<bigint>(25).fill(0n);
  const view = new DataView(padded.buffer);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) state[i] = (state[i] as bigint) ^ view.getBigUint64(off + i * 8, true);
    keccakF(state);
  }
  const out = new DataView(new ArrayBuffer(32));
  for (let i = 0; i < 4; i++) out.setBigUint64(i * 8, state[i] as bigint, true);
  return [...new Uint8Array(out.buffer)].map((v) => v.toString(16).padStart(2, '0')).join('');
}
