import { registerMeasurement } from "../registry.ts";
import { SplitBrainMeasurement } from "./split-brain.ts";

/** Where the replicas' requests are known by caller (their own links) only. */
registerMeasurement({
  name: "split-brain",
  create: (setup) => (setup.callers ? new SplitBrainMeasurement(setup.callers) : undefined),
});
