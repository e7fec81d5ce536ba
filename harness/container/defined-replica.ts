/**
 * The `container` runtime for an operator with an image of its own (its definition's `image`,
 * e.g. patronus-rs's binary on the project's offline base): the image's entry point (or
 * `image.command`) given the definition's `start` arguments, and the environment of `start` and
 * `image.env`, every placeholder filled as for a process — except that the kubeconfig and token
 * file are copied into the container and named by their paths there. Host networking: the
 * operator reaches the loopback apiserver and simulator as a process does, and the harness waits
 * for its health endpoint on the host, as for a process.
 */
import { freePort } from "../cluster/embedded/ports.ts";
import { fillPlaceholders } from "../operators/placeholders.ts";
import { type ReplicaStart, readinessUrl, replicaValues } from "../run/system/defined-replica.ts";
import type { ContainerLimits } from "./limits.ts";
import { POD_LIKE_LIMITS } from "./limits.ts";
import { runOperatorContainer } from "./operator-container.ts";
import { containerReplica, type OperatorContainerHandle } from "./operator-replica.ts";

const KUBECONFIG = "/etc/patronus/kubeconfig.yaml";
const TOKEN_FILE = "/etc/patronus/token";

export async function startDefinedContainerReplica(
  r: ReplicaStart,
  o: { image: string; limits?: ContainerLimits | undefined },
): Promise<OperatorContainerHandle> {
  const def = r.operator.definition;
  const image = def.image;
  const limits = o.limits ?? POD_LIKE_LIMITS;
  const ports = { metricsPort: await freePort(), healthPort: await freePort() };
  const values = replicaValues(r, ports, { kubeconfig: KUBECONFIG, tokenFile: TOKEN_FILE });
  const fill = (s: string) => fillPlaceholders(s, values);
  const args = typeof def.start.args === "function" ? def.start.args(r.settings) : def.start.args;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...def.start.env, ...image?.env })) env[k] = fill(v);
  const c = await runOperatorContainer({
    image: o.image,
    identity: r.identity,
    files: [
      { source: r.kubeconfig, target: KUBECONFIG },
      { source: r.tokenFile, target: TOKEN_FILE },
    ],
    env,
    entrypoint: image?.command?.map(fill),
    command: args.map(fill),
    metricsPort: ports.metricsPort,
    ready: { url: readinessUrl(def, ports) },
    limits,
    logDir: r.runDir,
    startTimeoutMs: r.timeoutMs,
  });
  return containerReplica(c, o.image, limits);
}
