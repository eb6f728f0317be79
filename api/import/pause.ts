/**
 * Fault-injection points for the crash tests (test/proof/faults.test.ts): with
 * `SHAFAF_TEST_PAUSE_AT=<point>` in the environment, the import stops at that point, says so on
 * stderr, and waits until it is killed. The test waits for that line — not for a time window — and
 * then kills the process, so "killed while reading" and "killed before the commit" happen at exactly
 * those points on any machine. Without the variable this is a no-op.
 */
export type PausePoint = 'reading' | 'before-commit';

export async function pausePoint(point: PausePoint): Promise<void> {
  if (process.env.SHAFAF_TEST_PAUSE_AT !== point) return;
  process.stderr.write(`[test] import paused at ${point}\n`);
  // an interval keeps the event loop alive; the process only ends by a signal
  await new Promise<never>(() => setInterval(() => {}, 60_000));
}
