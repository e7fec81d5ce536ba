/** results.json (schemaVersion 1): schema, reading, writing and histogram helpers. See README.md. */
export {
  type Bucket,
  decodeHistogram,
  distributionFromValues,
  encodeHistogram,
  histogramBuckets,
  mergeDistributions,
  newHistogram,
  recordValues,
  summarizeHistogram,
  valueAtPercentile,
} from "./histogram.ts";
export { loadRepeats, loadResults, parseResults, RESULTS_FILE } from "./load.ts";
export {
  type Better,
  baseMetricName,
  betterDirection,
  METRIC_CATALOG,
  METRIC_NAMES,
  metricLabels,
  metricTitle,
  quantileSeriesName,
} from "./metric-catalog.ts";
export { mergeRepeats } from "./repeats.ts";
export * from "./schema.ts";
export { writeFileAtomic, writeResults } from "./write.ts";
