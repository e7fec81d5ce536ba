/**
 * Checks a definition against a real apiserver (the embedded control plane) without starting the
 * operator: its CRDs install and become Established, its RBAC is accepted, and an object of every
 * kind it templates is created and updated with its spec kept whole — a field the CRD's schema
 * does not know would be pruned, and the operator would never see it.
 */
import { isDeepStrictEqual } from "node:util";
import type { KubernetesObject } from "@kubernetes/client-node";
import { HarnessError } from "../errors.ts";
import { generateWorld } from "../mesh/model/world.ts";
import { operatorCrds } from "./crds.ts";
import { KindName, type LoadedOperator } from "./definition.ts";
import { rbacObjects } from "./rbac.ts";

const NAMESPACE = "operator-check";

/** Fields of `written` missing or different in `read` (the apiserver may add defaults, not drop). */
export function droppedFields(written: unknown, read: unknown, path = "spec"): string[] {
  if (written === null || typeof written !== "object" || Array.isArray(written))
    return isDeepStrictEqual(written, read) ? [] : [path];
  if (read === null || typeof read !== "object") return [path];
  return Object.entries(written).flatMap(([k, v]) =>
    v === undefined ? [] : droppedFields(v, (read as Record<string, unknown>)[k], `${path}.${k}`),
  );
}

export async function checkOperator(loaded: LoadedOperator, log: (line: string) => void): Promise<string[]> {
  const def = loaded.definition;
  const crds = await operatorCrds(loaded);
  const [{ startCluster }, { applyObjects, waitCrdsEstablished }, k8s] = await Promise.all([
    import("../cluster/index.ts"),
    import("../cluster/manifests.ts"),
    import("@kubernetes/client-node"),
  ]);
  const lines: string[] = [];
  const cluster = await startCluster({ provider: "embedded", log });
  try {
    const kc = cluster.kubeConfig();
    await applyObjects(kc, crds);
    await waitCrdsEstablished(
      kc,
      crds.map((c) => c.metadata?.name as string),
    );
    lines.push(`CRDs Established: ${crds.map((c) => c.metadata?.name).join(", ")}`);

    const namespaces = new Set([NAMESPACE, ...def.rbac.namespaced.map((n) => n.namespace)]);
    await applyObjects(
      kc,
      [...namespaces].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
    );
    await applyObjects(kc, rbacObjects(def, { namespace: NAMESPACE, name: "operator" }));
    lines.push(
      `RBAC accepted: ${def.rbac.rules.length} cluster rule(s), ${def.rbac.namespaced.length} namespaced Role(s)`,
    );

    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const site = generateWorld({ sites: 4, regions: 1, hubsPerRegion: 1, seed: 1 }).sites[1];
    for (const kind of KindName.options) {
      const spec = def.kinds[kind];
      if (!spec?.template) continue;
      const ref = { group: spec.group, version: spec.version, namespace: NAMESPACE, plural: spec.plural };
      const name = `check-${kind.toLowerCase()}`;
      const object = (variant: number): KubernetesObject & { spec: unknown } => ({
        apiVersion: `${spec.group}/${spec.version}`,
        kind: spec.kind,
        metadata: { name, namespace: NAMESPACE },
        spec: spec.template?.({ index: 1, seed: 1, variant, ...(site ? { site } : {}), settings: {} }).spec,
      });
      // Scenarios update Sites and Policies (churn); the Mesh is created once.
      const updated = kind === "Site" || kind === "Policy";
      for (const variant of updated ? [0, 1] : [0]) {
        const written = object(variant);
        await applyObjects(kc, [written]);
        const read = (await api.getNamespacedCustomObject({ ...ref, name })) as {
          spec?: unknown;
          metadata?: { generation?: number };
        };
        const dropped = droppedFields(written.spec, read.spec);
        if (dropped.length > 0)
          throw new HarnessError(
            `${kind} ${name}: the apiserver did not keep ${dropped.slice(0, 5).join(", ")} of the template's spec ` +
              "(the CRD's schema does not know them, or knows them by another name)",
            { fix: `make kinds.${kind}.template write the fields the operator's CRD declares` },
          );
        if (variant === 1 && read.metadata?.generation !== 2)
          throw new HarnessError(
            `${kind} ${name}: the update (variant 1) did not change the spec (generation ${read.metadata?.generation})`,
            { fix: `make kinds.${kind}.template return a different spec for variant > 0` },
          );
      }
      lines.push(
        `${kind}: ${updated ? "created and updated" : "created"} from the template, spec kept whole`,
      );
    }
    return lines;
  } finally {
    await cluster.stop();
  }
}
