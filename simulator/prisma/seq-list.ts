// Records in creation order, appended with rising `seq`: a page from a cursor and a removal are
// binary searches, so lists of a large fleet cost the page, not the fleet.

export class SeqList<T extends { seq: number }> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** `item.seq` must be above every seq held. */
  append(item: T): void {
    this.items.push(item);
  }

  remove(item: T): void {
    const at = this.firstFrom(item.seq);
    if (this.items[at] === item) this.items.splice(at, 1);
  }

  /** Up to `count` items, from the first whose seq is at least `fromSeq`. */
  from(fromSeq: number, count: number): T[] {
    const at = this.firstFrom(fromSeq);
    return this.items.slice(at, at + count);
  }

  clear(): void {
    this.items.length = 0;
  }

  private firstFrom(seq: number): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.items[mid].seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
