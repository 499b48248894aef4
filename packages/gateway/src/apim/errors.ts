import { defineErrors } from '@exosphere/common';

/**
 * Codes of API management: the admin API's answers about APIs, applications and subscriptions,
 * and the data plane's refusals of calls to managed APIs. Each one is documented in
 * docs/errors.md under "gateway/apim".
 */
export const ApimErrors = defineErrors({
  EXO_GATEWAY_APIM_INVALID: {
    status: 422,
    description: 'The API, application or subscription is invalid; `details` gives each path.',
  },
  EXO_GATEWAY_OPENAPI_INVALID: {
    status: 422,
    description: 'The OpenAPI document is invalid; `details` gives the JSON path of each error.',
  },
  EXO_GATEWAY_API_NOT_FOUND: { status: 404, description: 'No API has this id.' },
  EXO_GATEWAY_API_EXISTS: {
    status: 409,
    description: 'Another API already has this context and version, or this name and version.',
  },
  EXO_GATEWAY_API_IN_USE: {
    status: 409,
    description: 'Only a CREATED or RETIRED API can be deleted; retire it first.',
  },
  EXO_GATEWAY_LIFECYCLE_CONFLICT: {
    status: 409,
    description:
      'The lifecycle action is not allowed in the API’s current state; the body gives `state` and `allowedActions`.',
  },
  EXO_GATEWAY_APPLICATION_NOT_FOUND: { status: 404, description: 'No application has this id.' },
  EXO_GATEWAY_APPLICATION_EXISTS: {
    status: 409,
    description: 'The owner already has an application with this name.',
  },
  EXO_GATEWAY_API_KEY_NOT_FOUND: {
    status: 404,
    description: 'The application has no API key with this id.',
  },
  EXO_GATEWAY_SUBSCRIPTION_NOT_FOUND: { status: 404, description: 'No subscription has this id.' },
  EXO_GATEWAY_SUBSCRIPTION_EXISTS: {
    status: 409,
    description: 'The application is already subscribed to this API.',
  },
  EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED: {
    status: 409,
    description:
      'The API takes no new subscriptions (it is not PUBLISHED) or does not offer the tier asked for.',
  },
  EXO_GATEWAY_API_BLOCKED: {
    status: 403,
    description: 'The API is blocked by its publisher; calls are refused until it is unblocked.',
  },
  EXO_GATEWAY_API_RETIRED: {
    status: 404,
    description: 'The API version is retired and no longer served; move to a newer version.',
  },
  EXO_GATEWAY_SUBSCRIPTION_REQUIRED: {
    status: 403,
    description: 'The application is not subscribed to this API.',
  },
  EXO_GATEWAY_SUBSCRIPTION_INACTIVE: {
    status: 403,
    description: 'The application’s subscription to this API is BLOCKED or ON_HOLD.',
  },
  EXO_GATEWAY_OPERATION_NOT_FOUND: {
    status: 404,
    description: 'The API has no operation at this path.',
  },
  EXO_GATEWAY_OPERATION_METHOD_NOT_ALLOWED: {
    status: 405,
    description: 'The API has an operation at this path but not with this method; see `Allow`.',
  },
});

export type ApimErrorCode = Exclude<keyof typeof ApimErrors, 'create'>;
