/** One upstream target and what the gateway knows about its health right now. */
export interface Target {
  readonly url: string;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** host[:port] as sent in the Host header (RFC 9110 §7.2). */
  readonly authority: string;
  readonly weight: number;
  /** Requests in flight (least-connections balancing). */
  inflight: number;
  /** Smooth weighted round-robin state (nginx's algorithm). */
  currentWeight: number;
  /** Passive health: consecutive failures, and the monotonic ms until which it is ejected. */
  consecutiveFailures: number;
  ejectedUntilMs: number;
  /** Active health: false after `unhealthyThreshold` failed probes until `healthyThreshold` pass. */
  activeHealthy: boolean;
  activeStreak: number;
}

export function createTarget(url: string, weight: number): Target {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  const port = parsed.port ? Number(parsed.port) : protocol === 'https:' ? 443 : 80;
  return {
    url,
    protocol,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    authority: parsed.host,
    weight,
    inflight: 0,
    currentWeight: 0,
    consecutiveFailures: 0,
    ejectedUntilMs: 0,
    activeHealthy: true,
    activeStreak: 0,
  };
}

export function isAvailable(target: Target, nowMs: number): boolean {
  return target.weight > 0 && target.activeHealthy && nowMs >= target.ejectedUntilMs;
}
