/**
 * Reads the Docker Engine's multiplexed log stream (8-byte frame header: stream id, three zero
 * bytes, big-endian payload length; 1 = stdout, 2 = stderr) and keeps at most `capBytes` of it in
 * arrival order. Past the cap it only counts, so a tool printing gigabytes costs no memory here.
 */
export class LogCapture {
  stdoutBytes = 0;
  stderrBytes = 0;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly capBytes: number) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const stream = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) {
        // Only the start of a long frame is needed: keep what fits, count the rest as it arrives.
        if (this.pending.length > 8 + this.room()) this.consumePartial(stream);
        return;
      }
      this.take(stream, this.pending.subarray(8, 8 + size), size);
      this.pending = this.pending.subarray(8 + size);
    }
  }

  get truncated(): boolean {
    return this.stdoutBytes + this.stderrBytes > this.keptBytes;
  }

  get size(): number {
    return this.keptBytes;
  }

  text(): Buffer {
    return Buffer.concat(this.kept);
  }

  private room(): number {
    return this.capBytes - this.keptBytes;
  }

  private take(stream: number | undefined, payload: Buffer, size: number): void {
    if (stream === 2) this.stderrBytes += size;
    else this.stdoutBytes += size;
    const fit = Math.min(this.room(), payload.length);
    if (fit > 0) {
      this.kept.push(Buffer.from(payload.subarray(0, fit)));
      this.keptBytes += fit;
    }
  }

  private consumePartial(stream: number | undefined): void {
    // Rewrite the pending frame as a shorter one: keep its bytes now, count them, shrink the header.
    const size = this.pending.readUInt32BE(4);
    const body = this.pending.subarray(8);
    this.take(stream, body, body.length);
    const header = Buffer.from(this.pending.subarray(0, 8));
    header.writeUInt32BE(size - body.length, 4);
    this.pending = header;
  }
}
