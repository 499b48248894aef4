/**
 * Metronome jobs and schedules in the forms users wrote them (shapes from Metronome's API
 * documentation and examples and DC/OS job examples, rewritten as this project's own
 * fixtures), with what Metronome answers: 201 and the fields a GET shows, or 422 and the paths.
 */
export interface JobFixture {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly status: 201 | 422;
  readonly paths?: readonly string[];
  /** For 201: fields of GET /v1/jobs/{id}?embed=schedules (partial, deep). */
  readonly shows?: Record<string, unknown>;
}

export const jobFixtures: readonly JobFixture[] = [
  {
    name: 'minimal job with Metronome defaults',
    body: { id: 'compat-minimal', run: { cmd: 'echo hello', cpus: 0.1, mem: 32, disk: 0 } },
    status: 201,
    shows: {
      id: 'compat-minimal',
      description: '',
      labels: {},
      dependencies: [],
      run: {
        cmd: 'echo hello',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        gpus: 0,
        env: {},
        artifacts: [],
        placement: { constraints: [] },
        maxLaunchDelay: 3600,
        restart: { policy: 'NEVER' },
        volumes: [],
      },
      schedules: [],
    },
  },
  {
    name: 'every field of a process job',
    body: {
      id: 'compat.reports.nightly',
      description: 'Nightly report export',
      labels: { owner: 'analytics', location: 'olympus' },
      run: {
        cmd: 'export-report --since yesterday',
        cpus: 0.5,
        mem: 256,
        disk: 128,
        gpus: 0,
        env: { MODE: 'full', RETRIES: '3' },
        artifacts: [
          {
            uri: 'https://files.example.com/report-tool.zip',
            extract: true,
            executable: false,
            cache: false,
          },
        ],
        placement: { constraints: [{ attribute: 'rack', operator: 'EQ', value: 'rack-2' }] },
        maxLaunchDelay: 600,
        restart: { policy: 'ON_FAILURE', activeDeadlineSeconds: 120 },
        taskKillGracePeriodSeconds: 10,
        user: 'nobody',
        volumes: [],
        secrets: {},
        networks: [{ mode: 'host' }],
      },
    },
    status: 201,
    shows: {
      description: 'Nightly report export',
      labels: { owner: 'analytics', location: 'olympus' },
      run: {
        env: { MODE: 'full', RETRIES: '3' },
        artifacts: [{ uri: 'https://files.example.com/report-tool.zip', extract: true }],
        placement: { constraints: [{ attribute: 'rack', operator: 'EQ', value: 'rack-2' }] },
        maxLaunchDelay: 600,
        restart: { policy: 'ON_FAILURE', activeDeadlineSeconds: 120 },
        taskKillGracePeriodSeconds: 10,
        user: 'nobody',
      },
    },
  },
  {
    name: 'run.args instead of cmd',
    body: {
      id: 'compat-args',
      run: { args: ['/bin/sh', '-c', 'date; exit 0'], cpus: 0.05, mem: 32, disk: 0 },
    },
    status: 201,
    shows: { run: { args: ['/bin/sh', '-c', 'date; exit 0'] } },
  },
  {
    name: 'placement with IS, LIKE and UNLIKE',
    body: {
      id: 'compat-placement',
      run: {
        cmd: 'true',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        placement: {
          constraints: [
            { attribute: 'hostname', operator: 'IS', value: '127.0.0.1' },
            { attribute: 'hostname', operator: 'LIKE', value: '127\\..*' },
            { attribute: 'rack', operator: 'UNLIKE', value: 'rack-9' },
          ],
        },
      },
    },
    status: 201,
  },
  {
    name: 'job with schedules embedded in the POST (cron with a time zone)',
    body: {
      id: 'compat-scheduled',
      run: { cmd: 'backup-db', cpus: 0.2, mem: 64, disk: 0 },
      schedules: [
        {
          id: 'nightly',
          cron: '0 2 * * *',
          timezone: 'America/Chicago',
          startingDeadlineSeconds: 60,
          concurrencyPolicy: 'FORBID',
          enabled: true,
        },
      ],
    },
    status: 201,
    shows: {
      schedules: [
        {
          id: 'nightly',
          cron: '0 2 * * *',
          timezone: 'America/Chicago',
          startingDeadlineSeconds: 60,
          concurrencyPolicy: 'FORBID',
          enabled: true,
        },
      ],
    },
  },
  {
    name: 'docker image needs containers',
    body: {
      id: 'compat-docker',
      run: {
        cmd: 'nuke --dry',
        cpus: 1,
        mem: 32,
        disk: 0,
        docker: { image: 'example/tool:1.0', forcePullImage: true },
      },
    },
    status: 422,
    paths: ['/run/docker'],
  },
  {
    name: 'UCR image needs containers',
    body: {
      id: 'compat-ucr',
      run: { cmd: 'sleep 10', cpus: 0.2, mem: 32, disk: 0, ucr: { image: { id: 'ubuntu' } } },
    },
    status: 422,
    paths: ['/run/ucr'],
  },
  {
    name: 'host volumes need containers',
    body: {
      id: 'compat-volumes',
      run: {
        cmd: 'ls /mnt/data',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        volumes: [{ containerPath: '/mnt/data', hostPath: '/srv/data', mode: 'RO' }],
      },
    },
    status: 422,
    paths: ['/run/volumes'],
  },
  {
    name: 'container networking needs containers',
    body: {
      id: 'compat-network',
      run: {
        cmd: 'true',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        networks: [{ name: 'calico', mode: 'container' }],
      },
    },
    status: 422,
    paths: ['/run/networks/0/mode'],
  },
  {
    name: 'secret environment variable',
    body: {
      id: 'compat-secret',
      run: {
        cmd: 'true',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        env: { TOKEN: { secret: 'token' } },
        secrets: { token: { source: '/jobs/token' } },
      },
    },
    status: 422,
    paths: ['/run/env/TOKEN', '/run/secrets'],
  },
  {
    name: 'invalid id, unknown run field and bad restart policy, reported together',
    body: {
      id: 'Compat_Bad',
      run: { cmd: 'true', cpus: 0.1, mem: 32, disk: 0, cpu: 1, restart: { policy: 'ALWAYS' } },
    },
    status: 422,
    paths: ['/id', '/run/cpu', '/run/restart/policy'],
  },
  {
    name: 'unknown placement operator',
    body: {
      id: 'compat-bad-operator',
      run: {
        cmd: 'true',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        placement: { constraints: [{ attribute: 'rack', operator: 'GROUP_BY', value: '2' }] },
      },
    },
    status: 422,
    paths: ['/run/placement/constraints/0/operator'],
  },
];

export interface ScheduleFixture {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly status: 201 | 422;
  readonly paths?: readonly string[];
}

export const scheduleFixtures: readonly ScheduleFixture[] = [
  {
    name: 'every minute in Chicago',
    body: {
      id: 'everyminute',
      cron: '* * * * *',
      concurrencyPolicy: 'ALLOW',
      enabled: true,
      startingDeadlineSeconds: 60,
      timezone: 'America/Chicago',
    },
    status: 201,
  },
  { name: 'defaults only', body: { id: 'defaults', cron: '*/15 * * * *' }, status: 201 },
  { name: '@hourly macro', body: { id: 'hourly', cron: '@hourly' }, status: 201 },
  {
    name: '@daily macro in Berlin',
    body: { id: 'daily', cron: '@daily', timezone: 'Europe/Berlin' },
    status: 201,
  },
  { name: 'weekday names', body: { id: 'weekdays', cron: '30 8 * * MON-FRI' }, status: 201 },
  {
    name: 'disabled schedule',
    body: { id: 'paused', cron: '0 0 1 * *', enabled: false },
    status: 201,
  },
  { name: 'bad cron', body: { id: 'broken', cron: '61 * * * *' }, status: 422, paths: ['/cron'] },
  {
    name: 'a day that never comes (31 February)',
    body: { id: 'never', cron: '0 0 31 2 *' },
    status: 422,
    paths: ['/cron'],
  },
  {
    name: 'unknown time zone',
    body: { id: 'nozone', cron: '0 * * * *', timezone: 'Mars/Olympus_Mons' },
    status: 422,
    paths: ['/timezone'],
  },
  {
    name: 'bad concurrency policy and deadline',
    body: {
      id: 'badpolicy',
      cron: '0 * * * *',
      concurrencyPolicy: 'SOMETIMES',
      startingDeadlineSeconds: 0,
    },
    status: 422,
    paths: ['/concurrencyPolicy', '/startingDeadlineSeconds'],
  },
];
