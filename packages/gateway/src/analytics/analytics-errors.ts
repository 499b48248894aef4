import { defineErrors } from '@exosphere/common';

/** Codes of the analytics admin API, documented in docs/errors.md under "gateway/analytics". */
export const AnalyticsErrors = defineErrors({
  EXO_GATEWAY_ANALYTICS_QUERY_INVALID: {
    status: 400,
    description:
      'An analytics query parameter is invalid (from/to, by, window, or too many windows); the message names it.',
  },
});
