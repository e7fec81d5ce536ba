import type { PathStatusMeasurement } from "../path-status/path-status.ts";
import { registerMeasurement } from "../registry.ts";
import { judgedKindsOf, LostUpdatesMeasurement } from "./lost-updates.ts";

registerMeasurement({
  name: "lost-updates",
  create: (setup) => {
    const paths = setup.watchesPaths ? setup.use<PathStatusMeasurement>("path-status") : undefined;
    return new LostUpdatesMeasurement({
      ...(paths ? { tunnels: { mesh: setup.meshName, expected: () => paths.expectedTunnels() } } : {}),
      // The operator's own kinds, Ready and update-observed rules, from its definition.
      kinds: judgedKindsOf(setup.operator),
    });
  },
});
