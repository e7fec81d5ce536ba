/**
 * Loopback port-forwards to in-cluster pods (client-node's PortForward over the apiserver, as
 * `kubectl port-forward`): one per operator replica, so each replica's /metrics is scraped on its
 * own (a Service would mix leader and follower), and one to the simulator for the harness's
 * Patronus, fault and event-log calls.
 */
import { createServer, type Server, type Socket } from "node:net";
import { CoreV1Api, type KubeConfig, PortForward } from "@kubernetes/client-node";
import { HarnessError } from "../errors.ts";
import { MESH_NAME, OPERATOR_NAME } from "./objects.ts";

export interface Forward {
  pod: string;
  url: string;
  close(): Promise<void>;
}

export async function forwardPod(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  port: number,
): Promise<Forward> {
  const pf = new PortForward(kc);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A forward breaks when its pod goes or the apiserver restarts (control-plane failover): the
    // local connection is reset, so the caller's request fails and is retried like any other
    // failed scrape. An 'error' event with no listener would end the harness instead.
    socket.on("error", () => {});
    pf.portForward(namespace, pod, [port], socket, null, socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new HarnessError("port-forward: no local port");
  return {
    pod,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface WorkloadForwards {
  operators: Forward[];
  mesh: Forward | undefined;
  close(): Promise<void>;
}

async function readyPods(kc: KubeConfig, namespace: string, app: string): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${app}` });
  return pods.items
    .filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .map((p) => p.metadata?.name ?? "")
    .filter(Boolean)
    .sort();
}

export async function forwardWorkloads(
  kc: KubeConfig,
  namespace: string,
  ports: { operatorMetrics: number; mesh: number },
): Promise<WorkloadForwards> {
  const operators: Forward[] = [];
  let mesh: Forward | undefined;
  const close = async () => {
    for (const f of [...operators, ...(mesh ? [mesh] : [])]) await f.close();
  };
  try {
    for (const pod of await readyPods(kc, namespace, OPERATOR_NAME)) {
      operators.push(await forwardPod(kc, namespace, pod, ports.operatorMetrics));
    }
    if (operators.length === 0) throw new HarnessError(`no Ready ${OPERATOR_NAME} pod in ${namespace}`);
    const [meshPod] = await readyPods(kc, namespace, MESH_NAME);
    if (meshPod) mesh = await forwardPod(kc, namespace, meshPod, ports.mesh);
  } catch (err) {
    await close();
    throw err;
  }
  return { operators, mesh, close };
}
