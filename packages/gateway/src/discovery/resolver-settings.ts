/** Timing and limits of the link to one master. */
export interface ResolverSettings {
  /** The first reconnect delay; it doubles after each failed attempt up to `reconnectMaxMs`. */
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /**
   * A stream silent for this long is taken as dead and reopened. The master writes a keep-alive
   * comment every 15 s, so the default of 45 s misses three of them.
   */
  readonly idleTimeoutMs: number;
  /** Bounds each GET and the wait for the event stream's head. */
  readonly requestTimeoutMs: number;
  readonly responseBytesMax: number;
  readonly eventCharsMax: number;
  /** Events held while a sync is in flight; more drops the connection (and resyncs). */
  readonly bufferedEventsMax: number;
  /** Apps fetched at the same time during a sync. */
  readonly fetchConcurrency: number;
}

export const defaultResolverSettings: ResolverSettings = {
  reconnectInitialMs: 100,
  reconnectMaxMs: 5000,
  idleTimeoutMs: 45_000,
  requestTimeoutMs: 10_000,
  responseBytesMax: 64 * 1024 * 1024,
  eventCharsMax: 16 * 1024 * 1024,
  bufferedEventsMax: 10_000,
  fetchConcurrency: 8,
};
