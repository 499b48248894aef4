/**
 * Marathon app definitions in the forms users wrote them: shapes gathered from Marathon's
 * documentation and examples, DC/OS service examples, marathon-lb and Terraform usage,
 * rewritten as this project's own fixtures. Each says what Marathon answers: 201 with the
 * fields a GET then shows (`shows`, a partial match), or 422 with the JSON paths it names.
 */
export interface AppFixture {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly status: 201 | 422;
  /** For 422: every path the error body must name. */
  readonly paths?: readonly string[];
  /** For 201: fields of GET /v2/apps/{id} (partial, deep). */
  readonly shows?: Record<string, unknown>;
  /** For 201: a `Warning` header is expected (a field is accepted but has no effect). */
  readonly warns?: boolean;
}

const http = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  protocol: 'HTTP',
  path: '/health',
  portIndex: 0,
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  ...extra,
});

export const appFixtures: readonly AppFixture[] = [
  {
    name: 'minimal sleeper with Marathon defaults',
    body: { id: 'compat-sleep', cmd: 'sleep 3600' },
    status: 201,
    shows: {
      id: '/compat-sleep',
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      gpus: 0,
      executor: '',
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      killSelection: 'YOUNGEST_FIRST',
      requirePorts: false,
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 600 },
      constraints: [],
      dependencies: [],
      healthChecks: [],
      readinessChecks: [],
      labels: {},
      env: {},
      fetch: [],
      container: null,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
    },
  },
  {
    name: 'python web server with two dynamic ports',
    body: {
      id: '/compat/web/python',
      cmd: 'python3 -m http.server $PORT0',
      cpus: 0.1,
      mem: 64,
      instances: 1,
      ports: [0, 0],
    },
    status: 201,
    shows: { portDefinitions: [{ protocol: 'tcp', labels: {} }, { protocol: 'tcp' }] },
  },
  {
    name: 'args instead of cmd',
    body: { id: '/compat/args-echo', args: ['/bin/sh', '-c', 'sleep 600'], cpus: 0.1, mem: 32 },
    status: 201,
    shows: { args: ['/bin/sh', '-c', 'sleep 600'], cmd: null },
  },
  {
    name: 'portDefinitions with names, protocols and labels (marathon-lb VIP labels)',
    body: {
      id: '/compat/lb/api',
      cmd: 'sleep 3600',
      cpus: 0.25,
      mem: 128,
      portDefinitions: [
        { port: 0, protocol: 'tcp', name: 'http', labels: { VIP_0: '/api:80' } },
        { port: 0, protocol: 'udp', name: 'stats' },
        { port: 0, protocol: 'udp,tcp', name: 'dns' },
      ],
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'api.example.com' },
    },
    status: 201,
    shows: {
      portDefinitions: [
        { protocol: 'tcp', name: 'http', labels: { VIP_0: '/api:80' } },
        { protocol: 'udp', name: 'stats', labels: {} },
        { protocol: 'udp,tcp', name: 'dns' },
      ],
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'api.example.com' },
    },
  },
  {
    name: 'fixed ports with requirePorts (marathon-lb style host ports)',
    body: {
      id: '/compat/lb/edge',
      cmd: 'sleep 3600',
      cpus: 0.5,
      mem: 256,
      ports: [18080, 18443, 19090],
      requirePorts: true,
      constraints: [['hostname', 'UNIQUE']],
    },
    status: 201,
    shows: {
      requirePorts: true,
      ports: [18080, 18443, 19090],
      constraints: [['hostname', 'UNIQUE']],
    },
  },
  {
    name: 'requirePorts with a dynamic port is refused',
    body: { id: '/compat/bad/require', cmd: 'sleep 1', ports: [0], requirePorts: true },
    status: 422,
    paths: ['/requirePorts'],
  },
  {
    name: 'HTTP health check with Marathon defaults filled in',
    body: {
      id: '/compat/checks/http',
      cmd: 'python3 -m http.server $PORT0',
      cpus: 0.1,
      mem: 64,
      healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0 }],
    },
    status: 201,
    shows: {
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 300,
          intervalSeconds: 60,
          timeoutSeconds: 20,
          maxConsecutiveFailures: 3,
          delaySeconds: 15,
          ignoreHttp1xx: false,
          ipProtocol: 'IPv4',
        },
      ],
    },
  },
  {
    name: 'HTTPS health check with ignoreHttp1xx',
    body: {
      id: '/compat/checks/https',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      healthChecks: [http({ protocol: 'HTTPS', ignoreHttp1xx: true })],
    },
    status: 201,
    shows: { healthChecks: [{ protocol: 'HTTPS', ignoreHttp1xx: true, path: '/health' }] },
  },
  {
    name: 'TCP health check that never kills (maxConsecutiveFailures 0)',
    body: {
      id: '/compat/checks/tcp',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      healthChecks: [
        {
          portIndex: 0,
          protocol: 'TCP',
          gracePeriodSeconds: 300,
          intervalSeconds: 60,
          timeoutSeconds: 20,
          maxConsecutiveFailures: 0,
        },
      ],
    },
    status: 201,
    shows: { healthChecks: [{ protocol: 'TCP', portIndex: 0, maxConsecutiveFailures: 0 }] },
  },
  {
    name: 'COMMAND health check with command.value',
    body: {
      id: '/compat/checks/command',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: { value: 'curl -f -X GET http://$HOST:$PORT0/health' },
          gracePeriodSeconds: 300,
          intervalSeconds: 60,
          timeoutSeconds: 20,
          maxConsecutiveFailures: 3,
        },
      ],
    },
    status: 201,
    shows: {
      healthChecks: [
        { protocol: 'COMMAND', command: { value: 'curl -f -X GET http://$HOST:$PORT0/health' } },
      ],
    },
  },
  {
    name: 'MESOS_HTTP and MESOS_TCP checks with delaySeconds',
    body: {
      id: '/compat/checks/mesos',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      portDefinitions: [{ port: 0, name: 'http' }, { port: 0 }],
      healthChecks: [
        http({ protocol: 'MESOS_HTTP', delaySeconds: 5 }),
        { protocol: 'MESOS_TCP', portIndex: 1, gracePeriodSeconds: 60 },
      ],
    },
    status: 201,
    shows: {
      healthChecks: [
        { protocol: 'MESOS_HTTP', delaySeconds: 5, path: '/health' },
        { protocol: 'MESOS_TCP', portIndex: 1, delaySeconds: 15, gracePeriodSeconds: 60 },
      ],
    },
  },
  {
    name: 'health check on a fixed port instead of portIndex',
    body: {
      id: '/compat/checks/fixed-port',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      healthChecks: [{ protocol: 'TCP', port: 8123 }],
    },
    status: 201,
    shows: { healthChecks: [{ protocol: 'TCP', port: 8123 }] },
  },
  {
    name: 'health check portIndex outside the ports array',
    body: {
      id: '/compat/bad/port-index',
      cmd: 'sleep 1',
      portDefinitions: [],
      healthChecks: [{ protocol: 'HTTP', portIndex: 0 }],
    },
    status: 422,
    paths: ['/healthChecks/0/portIndex'],
  },
  {
    name: 'COMMAND check without a command',
    body: { id: '/compat/bad/command', cmd: 'sleep 1', healthChecks: [{ protocol: 'COMMAND' }] },
    status: 422,
    paths: ['/healthChecks/0/command'],
  },
  {
    name: 'readiness check naming a port definition',
    body: {
      id: '/compat/ready/service',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 64,
      portDefinitions: [{ port: 0, name: 'http-api' }],
      readinessChecks: [
        {
          name: 'readiness',
          protocol: 'HTTP',
          path: '/ready',
          portName: 'http-api',
          intervalSeconds: 10,
          timeoutSeconds: 5,
          httpStatusCodesForReady: [200, 204],
          preserveLastResponse: true,
        },
      ],
    },
    status: 201,
    warns: true,
    shows: {
      readinessChecks: [
        {
          name: 'readiness',
          path: '/ready',
          portName: 'http-api',
          httpStatusCodesForReady: [200, 204],
          preserveLastResponse: true,
        },
      ],
    },
  },
  {
    name: 'readiness check naming a port that does not exist',
    body: {
      id: '/compat/bad/ready',
      cmd: 'sleep 1',
      portDefinitions: [{ port: 0, name: 'web' }],
      readinessChecks: [{ path: '/ready', portName: 'admin' }],
    },
    status: 422,
    paths: ['/readinessChecks/0/portName'],
  },
  {
    name: 'upgradeStrategy for a rolling replace one at a time',
    body: {
      id: '/compat/upgrade/rolling',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      instances: 2,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    },
    status: 201,
    shows: { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } },
  },
  {
    name: 'upgradeStrategy capacity above 1',
    body: {
      id: '/compat/bad/upgrade',
      cmd: 'sleep 1',
      upgradeStrategy: { minimumHealthCapacity: 1.5 },
    },
    status: 422,
    paths: ['/upgradeStrategy/minimumHealthCapacity'],
  },
  {
    name: 'unreachableStrategy as an object and killSelection OLDEST_FIRST',
    body: {
      id: '/compat/unreachable/object',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 120 },
      killSelection: 'OLDEST_FIRST',
    },
    status: 201,
    shows: {
      unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 120 },
      killSelection: 'OLDEST_FIRST',
    },
  },
  {
    name: 'unreachableStrategy "disabled" stays the string',
    body: {
      id: '/compat/unreachable/disabled',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      unreachableStrategy: 'disabled',
    },
    status: 201,
    shows: { unreachableStrategy: 'disabled' },
  },
  {
    name: 'constraints of every operator in array form',
    body: {
      id: '/compat/placement/arrays',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      instances: 0,
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack_id', 'CLUSTER', 'rack-1'],
        ['rack_id', 'GROUP_BY', '3'],
        ['hostname', 'LIKE', 'srv[0-9]+.*'],
        ['hostname', 'UNLIKE', 'db.*'],
        ['zone', 'MAX_PER', '2'],
        ['os', 'IS', 'linux'],
      ],
    },
    status: 201,
    shows: {
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack_id', 'CLUSTER', 'rack-1'],
        ['rack_id', 'GROUP_BY', '3'],
        ['hostname', 'LIKE', 'srv[0-9]+.*'],
        ['hostname', 'UNLIKE', 'db.*'],
        ['zone', 'MAX_PER', '2'],
        ['os', 'IS', 'linux'],
      ],
    },
  },
  {
    name: 'constraints in the Marathon 1.x string form and @hostname',
    body: {
      id: '/compat/placement/strings',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      instances: 0,
      constraints: ['hostname:UNIQUE', 'rack:GROUP_BY:2', '@hostname:LIKE:127.*'],
    },
    status: 201,
    shows: {
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'GROUP_BY', '2'],
        ['@hostname', 'LIKE', '127.*'],
      ],
    },
  },
  {
    name: 'constraint with an unknown operator',
    body: { id: '/compat/bad/constraint', cmd: 'sleep 1', constraints: [['hostname', 'SPREAD']] },
    status: 422,
    paths: ['/constraints/0'],
  },
  {
    name: 'acceptedResourceRoles ["*"], networks host, executor "", gpus 0',
    body: {
      id: '/compat/ignored/defaults',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      acceptedResourceRoles: ['*'],
      networks: [{ mode: 'host' }],
      executor: '',
      gpus: 0,
    },
    status: 201,
    shows: { acceptedResourceRoles: ['*'], networks: [{ mode: 'host' }], executor: '', gpus: 0 },
  },
  {
    name: 'public-agent role (DC/OS slave_public) is accepted with a warning',
    body: {
      id: '/compat/ignored/public',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      acceptedResourceRoles: ['slave_public'],
    },
    status: 201,
    warns: true,
    shows: { acceptedResourceRoles: ['slave_public'] },
  },
  {
    name: 'labels, env and the command executor',
    body: {
      id: '/compat/env/plain',
      cmd: 'env && sleep 3600',
      cpus: 0.1,
      mem: 32,
      executor: '//cmd',
      env: { JAVA_OPTS: '-Xmx256m', LOG_LEVEL: 'info' },
      labels: { owner: 'platform', tier: 'backend' },
    },
    status: 201,
    shows: {
      env: { JAVA_OPTS: '-Xmx256m', LOG_LEVEL: 'info' },
      labels: { owner: 'platform', tier: 'backend' },
    },
  },
  {
    name: 'env with a secret reference needs secrets',
    body: {
      id: '/compat/bad/secret-env',
      cmd: 'sleep 1',
      env: { PLAIN: 'x', DB_PASSWORD: { secret: 'dbpass' } },
      secrets: { dbpass: { source: '/prod/db/password' } },
    },
    status: 422,
    paths: ['/env/DB_PASSWORD', '/secrets'],
  },
  {
    name: 'fetch artifacts, and user',
    body: {
      id: '/compat/fetch/artifacts',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      user: 'nobody',
      fetch: [
        { uri: 'https://downloads.example.com/tool.tgz' },
        { uri: 'https://downloads.example.com/run.sh', executable: true, extract: false },
      ],
    },
    status: 201,
    warns: false,
    shows: {
      user: 'nobody',
      fetch: [
        { uri: 'https://downloads.example.com/tool.tgz', extract: true, executable: false },
        { uri: 'https://downloads.example.com/run.sh', executable: true, extract: false },
      ],
    },
  },
  {
    name: 'deprecated uris become fetch',
    body: {
      id: '/compat/fetch/uris',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      uris: ['https://downloads.example.com/app.tar.gz', 'https://downloads.example.com/conf.json'],
    },
    status: 201,
    shows: {
      fetch: [
        { uri: 'https://downloads.example.com/app.tar.gz', extract: true, executable: false },
        { uri: 'https://downloads.example.com/conf.json', extract: false },
      ],
    },
  },
  {
    name: 'uris and fetch together',
    body: {
      id: '/compat/bad/uris-fetch',
      cmd: 'sleep 1',
      uris: ['https://a.example.com/x.zip'],
      fetch: [{ uri: 'https://a.example.com/y.zip' }],
    },
    status: 422,
    paths: ['/uris'],
  },
  {
    name: 'docker container needs containers',
    body: {
      id: '/compat/bad/docker',
      cmd: 'nginx -g "daemon off;"',
      cpus: 0.5,
      mem: 128,
      container: {
        type: 'DOCKER',
        docker: { image: 'nginx:1.25', network: 'BRIDGE', forcePullImage: false },
        portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
      },
    },
    status: 422,
    paths: ['/container'],
  },
  {
    name: 'an empty MESOS container (a plain command) is accepted',
    body: {
      id: '/compat/mesos-container',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      container: { type: 'MESOS', volumes: [] },
    },
    status: 201,
    warns: true,
    shows: { container: null },
  },
  {
    name: 'a MESOS container with a docker image needs containers',
    body: {
      id: '/compat/bad/ucr-image',
      cmd: 'sleep 1',
      container: { type: 'MESOS', docker: { image: 'alpine:3.19' } },
    },
    status: 422,
    paths: ['/container'],
  },
  {
    name: 'bridge networking needs containers',
    body: {
      id: '/compat/bad/bridge',
      cmd: 'sleep 1',
      networks: [{ mode: 'container/bridge' }],
    },
    status: 422,
    paths: ['/networks/0/mode'],
  },
  {
    name: 'resident task (residency) needs persistent volumes',
    body: {
      id: '/compat/bad/resident',
      cmd: 'sleep 1',
      residency: { relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER' },
    },
    status: 422,
    paths: ['/residency'],
  },
  {
    name: 'GPUs are not available',
    body: { id: '/compat/bad/gpu', cmd: 'sleep 1', gpus: 1 },
    status: 422,
    paths: ['/gpus'],
  },
  {
    name: 'custom executor',
    body: { id: '/compat/bad/executor', cmd: 'sleep 1', executor: '/opt/executors/custom' },
    status: 422,
    paths: ['/executor'],
  },
  {
    name: 'neither cmd nor args',
    body: { id: '/compat/bad/nothing', cpus: 0.1 },
    status: 422,
    paths: ['/cmd'],
  },
  {
    name: 'both cmd and args',
    body: { id: '/compat/bad/both', cmd: 'sleep 1', args: ['sleep', '1'] },
    status: 422,
    paths: ['/cmd'],
  },
  {
    name: 'invalid id and negative instances, reported together',
    body: { id: '/compat/Bad_Name', cmd: 'sleep 1', instances: -1 },
    status: 422,
    paths: ['/id', '/instances'],
  },
  {
    name: 'dependencies, backoff and kill grace period',
    body: {
      id: '/compat/deps/worker',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      dependencies: ['/compat/deps/db'],
      backoffSeconds: 5,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 3600,
      taskKillGracePeriodSeconds: 30,
    },
    status: 201,
    shows: {
      dependencies: ['/compat/deps/db'],
      backoffSeconds: 5,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 3600,
      taskKillGracePeriodSeconds: 30,
    },
  },
  {
    name: 'a GET result posted as a new app (read-only fields ignored)',
    body: {
      id: '/compat/copied/from-get',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      instances: 1,
      version: '2015-09-28T19:47:37.681Z',
      versionInfo: {
        lastScalingAt: '2015-09-28T19:47:37.681Z',
        lastConfigChangeAt: '2015-09-28T19:47:37.681Z',
      },
      tasksStaged: 0,
      tasksRunning: 3,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
      deployments: [{ id: '5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43' }],
      tasks: [],
      lastTaskFailure: {
        appId: '/compat/copied/from-get',
        host: 'agent-1',
        message: 'Command exited with status 1',
        state: 'TASK_FAILED',
        taskId: 'compat_copied_from-get.1',
        timestamp: '2015-09-28T19:47:37.681Z',
        version: '2015-09-28T19:47:37.681Z',
      },
      storeUrls: [],
      container: null,
      secrets: {},
      role: '*',
    },
    status: 201,
    shows: { id: '/compat/copied/from-get', instances: 1 },
  },
];
