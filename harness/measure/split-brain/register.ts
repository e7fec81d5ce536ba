import { registerMeasurement } from "../registry.ts";
import { SplitBrainMeasurement } from "./split-brain.ts";

/** Where the replicas' requests are known by caller (their own links), of an operator that elects a leader. */
registerMeasurement({
  name: "split-brain",
  create: (setup) =>
    setup.callers && setup.operator.capabilities.leaderElection
      ? new SplitBrainMeasurement(setup.callers)
      : undefined,
});
