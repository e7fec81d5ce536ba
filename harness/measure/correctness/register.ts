import type { KindSpec, KubeObject, OperatorDefinition } from "../../operators/definition.ts";
import type { PathStatusMeasurement } from "../path-status/path-status.ts";
import { registerMeasurement } from "../registry.ts";
import { type JudgedKind, type JudgedKinds, LostUpdatesMeasurement } from "./lost-updates.ts";

/** The operator's kinds as lost_updates judges them: its resources, Ready and update-observed rules. */
function judgedKinds(kinds: OperatorDefinition["kinds"]): JudgedKinds {
  const judged = (k: KindSpec): JudgedKind => ({
    kind: k.kind,
    apiVersion: `${k.group}/${k.version}`,
    ready: (obj) => k.ready(obj as KubeObject),
    updateObserved: (obj, sent) => k.updateObserved?.(obj as KubeObject, sent) ?? true,
  });
  return {
    site: judged(kinds.Site),
    ...(kinds.Policy ? { policy: judged(kinds.Policy) } : {}),
    ...(kinds.Path
      ? { path: { kind: kinds.Path.kind, apiVersion: `${kinds.Path.group}/${kinds.Path.version}` } }
      : {}),
  };
}

registerMeasurement({
  name: "lost-updates",
  create: (setup) => {
    const paths = setup.watchesPaths ? setup.use<PathStatusMeasurement>("path-status") : undefined;
    return new LostUpdatesMeasurement({
      ...(paths ? { tunnels: { mesh: setup.meshName, expected: () => paths.expectedTunnels() } } : {}),
      kinds: judgedKinds(setup.operator.kinds),
    });
  },
});
