/** A health check as the agent runs it (normalised from Marathon's JSON; times in ms). */
export interface HealthCheckSpec {
  readonly protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND';
  /** HTTP(S) path, e.g. "/health". */
  readonly path: string;
  /** Resolved port to probe (from portIndex or port); undefined for COMMAND. */
  readonly port: number | undefined;
  /** Shell command for COMMAND checks; exit 0 is healthy. */
  readonly command: string | undefined;
  readonly gracePeriodMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Failures in a row (after the grace period) that make the task unhealthy; 0 = never. */
  readonly maxConsecutiveFailures: number;
  /** Wait before the first check. */
  readonly delayMs: number;
  /** Treat HTTP 1xx as healthy rather than ignoring. */
  readonly ignoreHttp1xx: boolean;
}

/** Marathon's per-check health result, as it appears in task JSON. */
export interface HealthCheckResult {
  readonly alive: boolean;
  readonly consecutiveFailures: number;
  readonly firstSuccess: string | null;
  readonly lastFailure: string | null;
  readonly lastSuccess: string | null;
  readonly lastFailureCause: string | null;
}
