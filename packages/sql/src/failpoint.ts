/**
 * Crash tests stop a process at an exact point (two-phase commit, partition moves):
 * EXO_SQL_FAILPOINT names the point, and the process kills itself there as `kill -9` would.
 */
export function failpoint(name: string): void {
  if (process.env['EXO_SQL_FAILPOINT'] === name) process.kill(process.pid, 'SIGKILL');
}
