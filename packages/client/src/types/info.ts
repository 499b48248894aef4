/** GET /v2/info: Marathon's fields plus an `exosphere` section. */
export interface Info {
  readonly name: string;
  readonly version: string;
  readonly buildref: string;
  readonly elected: boolean;
  readonly leader: string;
  readonly frameworkId: string;
  readonly marathon_config: Readonly<Record<string, unknown>>;
  readonly http_config: { readonly http_port: number };
  readonly exosphere: {
    readonly startedAt: string;
    readonly heartbeatIntervalMs: number;
    readonly agentTimeoutMs: number;
    readonly placementStrategy: string;
    readonly store: string;
  };
}
