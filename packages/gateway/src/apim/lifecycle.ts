import type { ApiState } from './model.js';

/**
 * The API lifecycle (WSO2 API Manager's default lifecycle, without prototypes):
 *
 *   CREATED --publish--> PUBLISHED --deprecate--> DEPRECATED --retire--> RETIRED
 *   PUBLISHED | DEPRECATED --block--> BLOCKED --unblock--> the state it was blocked from
 *
 * RETIRED is final. Pure: the catalog applies the result.
 */
export const lifecycleActions = ['publish', 'deprecate', 'retire', 'block', 'unblock'] as const;
export type LifecycleAction = (typeof lifecycleActions)[number];

const transitions: Readonly<Record<ApiState, Partial<Record<LifecycleAction, ApiState>>>> = {
  CREATED: { publish: 'PUBLISHED' },
  PUBLISHED: { deprecate: 'DEPRECATED', block: 'BLOCKED' },
  DEPRECATED: { retire: 'RETIRED', block: 'BLOCKED' },
  BLOCKED: {},
  RETIRED: {},
};

export type TransitionResult =
  | {
      readonly ok: true;
      readonly state: ApiState;
      readonly blockedFrom: 'PUBLISHED' | 'DEPRECATED' | undefined;
    }
  | { readonly ok: false; readonly allowedActions: readonly LifecycleAction[] };

/** The actions allowed in `state`, in lifecycle order. */
export function allowedActions(state: ApiState): LifecycleAction[] {
  if (state === 'BLOCKED') return ['unblock'];
  return lifecycleActions.filter((action) => transitions[state][action] !== undefined);
}

export function applyLifecycleAction(options: {
  readonly state: ApiState;
  readonly blockedFrom: 'PUBLISHED' | 'DEPRECATED' | undefined;
  readonly action: LifecycleAction;
}): TransitionResult {
  const { state, action } = options;
  if (state === 'BLOCKED' && action === 'unblock')
    return { ok: true, state: options.blockedFrom ?? 'PUBLISHED', blockedFrom: undefined };
  const next = transitions[state][action];
  if (next === undefined) return { ok: false, allowedActions: allowedActions(state) };
  const blockedFrom = next === 'BLOCKED' && state !== 'CREATED' ? state : undefined;
  return {
    ok: true,
    state: next,
    blockedFrom:
      blockedFrom === 'PUBLISHED' || blockedFrom === 'DEPRECATED' ? blockedFrom : undefined,
  };
}
