export {
  startAggregator,
  DEFAULT_SQL_PORT,
  type AggregatorOptions,
  type RunningAggregator,
} from './aggregator.js';
