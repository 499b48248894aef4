import type { HttpTransport } from './http.js';
import type { DeploymentResult } from './types/common.js';
import type { Deployment } from './types/deployment.js';

/** Marathon's /v2/deployments. */
export class DeploymentsApi {
  constructor(private readonly http: HttpTransport) {}

  list(): Promise<Deployment[]> {
    return this.http.json<Deployment[]>({ path: 'v2/deployments' });
  }

  async get(id: string): Promise<Deployment | undefined> {
    return (await this.list()).find((deployment) => deployment.id === id);
  }

  /**
   * Rolls the deployment back: a new deployment returns its apps to their definitions before
   * it. With `force` the deployment just stops where it is and nothing is returned.
   */
  async cancel(
    id: string,
    options: { readonly force?: boolean } = {},
  ): Promise<DeploymentResult | undefined> {
    const body = await this.http.json<DeploymentResult | undefined>({
      method: 'DELETE',
      path: `v2/deployments/${encodeURIComponent(id)}`,
      query: { force: options.force },
    });
    return body ?? undefined;
  }
}
