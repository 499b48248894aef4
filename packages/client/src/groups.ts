import type { HttpTransport } from './http.js';
import { idPath } from './query.js';
import type { AppEmbed } from './types/app.js';
import type { DeploymentResult, ForceOptions } from './types/common.js';
import type { Group, GroupDefinition } from './types/group.js';

/** Marathon's /v2/groups. The root group is "/". */
export class GroupsApi {
  constructor(private readonly http: HttpTransport) {}

  get(id = '/', options: { readonly embed?: readonly AppEmbed[] } = {}): Promise<Group> {
    return this.http.json<Group>({ path: groupPath(id), query: { embed: options.embed } });
  }

  create(group: GroupDefinition, options: ForceOptions = {}): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'POST',
      path: 'v2/groups',
      query: { force: options.force },
      body: group,
    });
  }

  /** Replaces the group's definition: apps and subgroups it no longer lists are removed. */
  update(
    id: string,
    group: GroupDefinition,
    options: ForceOptions = {},
  ): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'PUT',
      path: groupPath(id),
      query: { force: options.force },
      body: group,
    });
  }

  /** Removes the group and every app in it. */
  remove(id: string, options: ForceOptions = {}): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'DELETE',
      path: groupPath(id),
      query: { force: options.force },
    });
  }
}

function groupPath(id: string): string {
  const path = idPath(id);
  return path === '' ? 'v2/groups' : `v2/groups/${path}`;
}
