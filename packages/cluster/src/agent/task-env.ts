import type { TaskLaunchSpec } from '../core/protocol.js';

export interface TaskEnvironmentOptions {
  readonly spec: TaskLaunchSpec;
  readonly hostname: string;
  readonly sandboxDir: string;
  /** The agent's own PATH, which tasks inherit. */
  readonly path: string | undefined;
}

/**
 * The environment of a task: its own variables, then the Exosphere variables, then the
 * Marathon/Mesos names (PORT0, HOST, MESOS_TASK_ID, ...) so that existing apps run unchanged.
 * Platform variables win over the spec's env, as in Marathon, so a task cannot be lied to
 * about its own ports.
 */
export function buildTaskEnvironment(options: TaskEnvironmentOptions): Record<string, string> {
  const { spec, hostname, sandboxDir } = options;
  const environment: Record<string, string> = {};
  if (options.path !== undefined) environment.PATH = options.path;
  Object.assign(environment, spec.env);
  const ports = spec.ports.map(String);
  Object.assign(environment, {
    EXO_TASK_ID: spec.taskId,
    EXO_APP_ID: spec.appId,
    EXO_APP_VERSION: spec.version,
    EXO_HOST: hostname,
    EXO_SANDBOX: sandboxDir,
    EXO_PORTS: ports.join(','),
    HOST: hostname,
    PORTS: ports.join(','),
    MESOS_TASK_ID: spec.taskId,
    MESOS_SANDBOX: sandboxDir,
    MARATHON_APP_ID: spec.appId,
    MARATHON_APP_VERSION: spec.version,
  });
  if (ports[0] !== undefined) environment.PORT = ports[0];
  ports.forEach((port, index) => {
    environment[`EXO_PORT${index}`] = port;
    environment[`PORT${index}`] = port;
    const name = spec.portNames[index];
    // JSON carries a missing name as null (from the wire or the checkpoint).
    if (name != null && name !== '') {
      const variable = portVariableName(name);
      environment[`EXO_PORT_${variable}`] = port;
      environment[`PORT_${variable}`] = port;
    }
  });
  return environment;
}

/** Marathon upper-cases port names and replaces anything outside [A-Z0-9_] with "_". */
export function portVariableName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
