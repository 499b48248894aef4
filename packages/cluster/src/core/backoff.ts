/**
 * Crash-loop backoff, Marathon's rule: after the n-th consecutive failure the next launch
 * waits backoffSeconds × backoffFactor^(n-1), capped at maxLaunchDelaySeconds.
 */
export function launchDelayMs(
  failures: number,
  policy: { backoffSeconds: number; backoffFactor: number; maxLaunchDelaySeconds: number },
): number {
  if (failures <= 0) return 0;
  const seconds = policy.backoffSeconds * Math.pow(policy.backoffFactor, failures - 1);
  return Math.round(Math.min(seconds, policy.maxLaunchDelaySeconds) * 1000);
}
