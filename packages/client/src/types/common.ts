/** What every write that starts a deployment returns (Marathon's `{deploymentId, version}`). */
export interface DeploymentResult {
  readonly deploymentId: string;
  readonly version: string;
}

/** One invalid field of a rejected request: its JSON path (e.g. "/healthChecks/0/protocol") and why. */
export interface FieldError {
  readonly path: string;
  readonly errors: readonly string[];
}

/** The JSON body of every error the APIs return. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: readonly FieldError[];
  readonly [field: string]: unknown;
}

/** Options of writes that a deployment in progress would otherwise refuse (EXO_APP_LOCKED). */
export interface ForceOptions {
  /** Replace a deployment in progress that locks the same apps. */
  readonly force?: boolean;
}
