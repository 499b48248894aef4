import type { PolicyType } from '../policies/policy.js';
import { cachePolicyType } from './policies/cache.js';
import { contentRoutePolicyType } from './policies/content-route.js';
import { enrichPolicyType } from './policies/enrich.js';
import { jsonToXmlPolicyType } from './policies/json-to-xml.js';
import { jsonataPolicyType } from './policies/jsonata.js';
import { mockPolicyType } from './policies/mock.js';
import { removeHeadersPolicyType } from './policies/remove-headers.js';
import { removeQueryPolicyType } from './policies/remove-query.js';
import { scatterGatherPolicyType } from './policies/scatter-gather.js';
import { setHeadersPolicyType } from './policies/set-headers.js';
import { setQueryPolicyType } from './policies/set-query.js';
import { xmlToJsonPolicyType } from './policies/xml-to-json.js';

/** The mediation policy types, for the registry of policy types. */
export const mediationPolicyTypes: readonly PolicyType[] = [
  setHeadersPolicyType,
  removeHeadersPolicyType,
  setQueryPolicyType,
  removeQueryPolicyType,
  jsonToXmlPolicyType,
  xmlToJsonPolicyType,
  jsonataPolicyType,
  contentRoutePolicyType,
  enrichPolicyType,
  scatterGatherPolicyType,
  cachePolicyType,
  mockPolicyType,
] as readonly PolicyType[];
