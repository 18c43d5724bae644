/** Append-only typed buffers for probe recordings: capacity doubles, so appends are amortized O(1). */
export class GrowableFloat64 {
  private data = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = x;
  }

  /** Reserve n more slots and return the offset where they start. */
  reserve(n: number): number {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    const at = this.length;
    this.length += n;
    return at;
  }

  get buffer(): Float64Array {
    return this.data;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableInt32 {
  private data = new Int32Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
