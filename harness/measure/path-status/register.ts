import { registerMeasurement } from "../registry.ts";
import { PathStatusMeasurement } from "./path-status.ts";

/** Wherever the run watches Paths: wait-for paths and the Mesh's tunnels depend on it. */
registerMeasurement({
  name: "path-status",
  required: true,
  kinds: ["Path"],
  create: (setup) =>
    setup.watchesPaths
      ? new PathStatusMeasurement({
          topology: () => setup.topology(),
          liveSites: () => setup.liveSites(),
          liveVersion: () => setup.ledger.liveVersion("site"),
        })
      : undefined,
});
