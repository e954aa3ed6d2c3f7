/**
 * Simulated disk failures, for tests: handed to the SQLite writer ({@link SqliteWriter}) through
 * `ServerConfig.storageFaults`, never read from the environment, so that a production server has
 * none. A commit chosen to fail runs its statements on the writer thread and then fails, so the
 * transaction is rolled back exactly as when the disk refuses a commit.
 */
import type { WriterOperation } from './writerOperations'

/** The message of a simulated failure. */
export const SIMULATED_FAILURE = 'disk I/O error (simulated)'

export class StorageFaults {
  private remaining = 0
  private broken = false
  private operations: ReadonlySet<WriterOperation> | null = null
  private failedCount = 0

  /**
   * Makes the next `count` commits fail; with `operations`, only commits of those operations count
   * (for example `['append']`: documents' log writes, while sign-ins and audit entries succeed).
   */
  failNext(count: number, operations?: readonly WriterOperation[]): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError('failNext: count must be a whole number')
    this.remaining = count
    this.operations = operations ? new Set(operations) : null
  }

  /** Makes every commit (of `operations`, when given) fail until {@link repair}. */
  breakDisk(operations?: readonly WriterOperation[]): void {
    this.broken = true
    this.operations = operations ? new Set(operations) : null
  }

  /** Ends {@link breakDisk} and any remaining {@link failNext} failures. */
  repair(): void {
    this.broken = false
    this.remaining = 0
    this.operations = null
  }

  /** Commits failed so far. */
  get failed(): number {
    return this.failedCount
  }

  /**
   * Called by the writer for each commit of `operation`: the failure message when this commit is to
   * fail, otherwise null.
   */
  take(operation: WriterOperation): string | null {
    if (this.operations && !this.operations.has(operation)) return null
    if (!this.broken) {
      if (this.remaining === 0) return null
      this.remaining--
    }
    this.failedCount++
    return SIMULATED_FAILURE
  }
}
