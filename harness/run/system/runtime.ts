/**
 * The runtimes a run's operator and simulator execute in (scenario `operator.runtime`,
 * `mesh.runtime`). For "container" everything that can fail is checked before the cluster
 * starts: a Docker engine answers, the image exists and holds this checkout's code, the CPU limit
 * fits the machine; containers left by a killed harness are removed. The record and gauges of
 * what the containers ran under go into results.json (see containerRecord).
 */
import os from "node:os";
import { HarnessError } from "../../errors.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";

export interface ContainerChoice {
  image: string;
  imageId: string;
  sourceDigest: string;
  /** undefined: no limit (the simulator's default). */
  limits: { cpu: string; memory: string } | undefined;
  /**
   * "project": the project image, started with the reference operator's flags; "definition": the
   * operator's own image, started from its definition's `start` and `image`.
   */
  launch: "project" | "definition";
}

export interface Runtimes {
  operator: ContainerChoice | undefined;
  mesh: ContainerChoice | undefined;
  engineVersion: string | undefined;
}

export const NO_CONTAINERS: Runtimes = { operator: undefined, mesh: undefined, engineVersion: undefined };

/** The operator's limits: the scenario's, or a production pod's (the generated Deployment's). */
export function operatorLimits(def: ScenarioDefinition): { cpu: string; memory: string } {
  return def.operator.resources ?? { cpu: "500m", memory: "256Mi" };
}

export async function prepareRuntimes(
  def: ScenarioDefinition,
  loaded: LoadedOperator,
  log: (line: string) => void,
): Promise<Runtimes> {
  const wantOperator = def.operator.runtime === "container";
  const wantMesh = def.mesh.runtime === "container";
  if (def.operator.runtime === "cluster") await prepareChart(loaded, log);
  if (!wantOperator && !wantMesh) return NO_CONTAINERS;
  const { parseQuantity } = await import("../../deploy/quantity.ts");
  const cores = os.availableParallelism();
  const limited: Array<[string, { cpu: string } | undefined]> = [
    ["operator", wantOperator ? operatorLimits(def) : undefined],
    ["mesh", wantMesh ? def.mesh.resources : undefined],
  ];
  for (const [what, limits] of limited) {
    if (limits && parseQuantity(limits.cpu) > cores) {
      throw new HarnessError(
        `${what}.resources.cpu ${limits.cpu} is more than the ${cores} CPU(s) of this machine (Docker refuses it)`,
        { fix: `set ${what}.resources.cpu to at most ${cores}` },
      );
    }
  }
  const { requireDockerEngine } = await import("../../container/docker-engine.ts");
  const { requireCurrentImage } = await import("../../container/image/current.ts");
  const { removeLeftoverContainers } = await import("../../container/operator-container.ts");
  const engineVersion = await requireDockerEngine();
  const removed = await removeLeftoverContainers();
  if (removed.length > 0)
    log(`removed ${removed.length} container(s) left by an earlier harness that was killed`);
  const choose = async (image: string, limits: ContainerChoice["limits"]): Promise<ContainerChoice> => {
    const found = await requireCurrentImage(image);
    return { image, imageId: found.id, sourceDigest: found.sourceDigest, limits, launch: "project" };
  };
  const chooseOperator = async (): Promise<ContainerChoice> => {
    const { ensureOperatorImage, usesProjectImage } = await import("../../container/image/operator-image.ts");
    if (usesProjectImage(loaded)) return choose(def.operator.image, operatorLimits(def));
    const found = await ensureOperatorImage(loaded, log);
    return {
      image: found.reference,
      imageId: found.id,
      sourceDigest: found.sourceDigest,
      limits: operatorLimits(def),
      launch: "definition",
    };
  };
  const operator = wantOperator ? await chooseOperator() : undefined;
  const mesh = wantMesh ? await choose(def.mesh.image, def.mesh.resources) : undefined;
  log(
    `container runtime: Docker ${engineVersion}` +
      (operator
        ? `, operator ${operator.image} limited to ${operator.limits?.cpu} CPU / ${operator.limits?.memory}`
        : "") +
      (mesh
        ? `, mesh simulator ${mesh.image}${mesh.limits ? ` limited to ${mesh.limits.cpu} CPU / ${mesh.limits.memory}` : ""}`
        : ""),
  );
  return { operator, mesh, engineVersion };
}

/**
 * An operator installed with its own chart: helm is found and its image built before the cluster
 * starts, so a missing tool or a failing build costs seconds.
 */
async function prepareChart(loaded: LoadedOperator, log: (line: string) => void): Promise<void> {
  const { ensureOperatorImage, usesProjectImage } = await import("../../container/image/operator-image.ts");
  if (usesProjectImage(loaded)) return;
  const { findHelm } = await import("../../deploy/helm.ts");
  const { requireDockerEngine } = await import("../../container/docker-engine.ts");
  await findHelm();
  await requireDockerEngine();
  await ensureOperatorImage(loaded, log);
}
