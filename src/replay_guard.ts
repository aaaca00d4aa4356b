/**
 * Memory of recently accepted signatures, to refuse an identical signed request sent again while
 * its timestamp is still inside the clock window. Used by the simulator (as the service does) and
 * by the gateway (which re-signs upstream, so the service could not catch a replay for it).
 *
 * @module
 */

/** Options of {@link createReplayGuard}. */
export interface ReplayGuardOptions {
  /** How long a signature is remembered past its timestamp, in seconds (the clock window). */
  windowSeconds: number;
  /** Current time in Unix milliseconds. */
  now: () => number;
  /** Most signatures remembered at once (default 100 000); the oldest are dropped first. */
  capacity?: number;
}

/**
 * Creates the memory. The returned function records a signature and answers `true` when it is
 * fresh, `false` when it was already seen inside the window.
 *
 * @param options Window, clock and capacity.
 * @returns `accept(accessKey, signature, timestampSeconds)`.
 */
export function createReplayGuard(
  options: ReplayGuardOptions,
): (accessKey: string, signature: string, timestampSeconds: number) => boolean {
  const seen = new Map<string, number>();
  const capacity = options.capacity ?? 100_000;
  return (accessKey, signature, timestampSeconds) => {
    const now = options.now();
    for (const [id, expires] of seen) {
      if (expires > now && seen.size < capacity) break;
      seen.delete(id);
    }
    const id = `${accessKey}:${signature}`;
    if (seen.has(id)) return false;
    seen.set(id, (timestampSeconds + options.windowSeconds) * 1000);
    return true;
  };
}
