export {
  startAggregator,
  DEFAULT_SQL_PORT,
  type AggregatorOptions,
  type RunningAggregator,
} from './aggregator/index.js';
export { startLeaf, type LeafServer, type StartLeafOptions } from './leaf/index.js';
export { DEFAULT_LEAF_PORT } from './aggregator/leaves.js';
export { SqlError } from './errors.js';
