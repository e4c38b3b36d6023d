/**
 * "Most used" on the start page: views of a dataset's page plus its file downloads, counted in
 * this process since it started (GET answers with status 200; the map preview's own GeoJSON
 * fetch is not counted). Deliberately no table: the count is a hint for the start page, not a
 * statistic — it needs no migration, stores nothing about visitors, and behind a load balancer
 * each process ranks by what it saw. A persistent count (a daily table fed by these increments)
 * can replace this class behind the same two methods.
 */
export class UsageCounter {
  private readonly counts = new Map<string, number>();

  /** One use of a dataset, by name or id (downloads name either). */
  count(dataset: string): void {
    if (this.counts.size > 100_000 && !this.counts.has(dataset)) return;
    this.counts.set(dataset, (this.counts.get(dataset) ?? 0) + 1);
  }

  /** The most used references (names or ids) with their counts, most used first. */
  top(n: number): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  }

  /** Uses of a dataset under any of its references. */
  of(...references: string[]): number {
    return references.reduce((sum, r) => sum + (this.counts.get(r) ?? 0), 0);
  }
}
