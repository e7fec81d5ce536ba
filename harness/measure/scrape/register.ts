import { registerMeasurement } from "../registry.ts";
import { ApiserverMetricsMeasurement } from "./apiserver-metrics.ts";
import { MeshMetricsMeasurement } from "./mesh-metrics.ts";
import { OperatorMetricsMeasurement } from "./operator-metrics.ts";
import { PatronusApiCallersMeasurement } from "./patronus-api-callers.ts";

registerMeasurement({
  name: "operator-metrics",
  create: ({ operator }) => new OperatorMetricsMeasurement(operator.metrics),
});
registerMeasurement({ name: "mesh-metrics", create: () => new MeshMetricsMeasurement() });
registerMeasurement({ name: "apiserver-metrics", create: () => new ApiserverMetricsMeasurement() });
registerMeasurement({ name: "patronus-api-callers", create: () => new PatronusApiCallersMeasurement() });
