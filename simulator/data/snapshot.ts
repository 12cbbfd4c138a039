// A backup's data: a gzipped dump of a PGlite data directory, kept as bytes rather than a live
// instance so backups cost memory only for their compressed size.

export class Snapshot {
  /** Bytes of the compressed dump, once it is written. */
  size?: number;

  /** `dump` was started at the point of the database's history the snapshot holds. */
  constructor(private readonly dump: Promise<Blob>) {
    // A dump that fails is reported by whoever restores from it; until then the failure is held here.
    dump.then(
      (blob) => (this.size = blob.size),
      () => {},
    );
  }

  bytes(): Promise<Blob> {
    return this.dump;
  }
}
