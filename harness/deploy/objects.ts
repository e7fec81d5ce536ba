/**
 * The Kubernetes objects of an in-cluster deployment, typed with @kubernetes/client-node's models
 * so a misspelt field is a compile error, and the apiserver's dry run (see the integration test)
 * judges the rest. One image, two commands: operator/main.ts and harness/mesh/main.ts.
 */
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1Secret,
  V1SecurityContext,
  V1Service,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import { OPERATOR_ENV, OPERATOR_NODE_OPTIONS, OPERATOR_SCRIPT } from "../operators/builtin/reference/cli.ts";
import { shardedMeshObjects } from "./mesh-shards.ts";
import type { DeployOptions } from "./options.ts";

export const OPERATOR_NAME = "patronus-operator";
export const MESH_NAME = "patronus-mesh";
export const TOKEN_SECRET = "patronus-api-token";
const KUBECONFIG_CONFIGMAP = "patronus-operator-kubeconfig";
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The image's user (distroless "nonroot"); the local base image uses the same id. */
export const IMAGE_UID = 65532;

export function labels(component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": component,
    "app.kubernetes.io/part-of": "patronus",
    "app.kubernetes.io/managed-by": "patronus-bench",
  };
}

/**
 * The operator reads a kubeconfig file only (--kubeconfig is required), so in a pod it gets one
 * that points at the in-cluster apiserver and authenticates with the projected ServiceAccount
 * token — client-node's `tokenFile` auth provider re-reads it as the kubelet rotates it.
 */
export function inClusterKubeconfig(
  at: { server: string; serviceAccountDir: string } = {
    server: "https://kubernetes.default.svc",
    serviceAccountDir: SA_DIR,
  },
): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "in-cluster",
        cluster: { server: at.server, "certificate-authority": `${at.serviceAccountDir}/ca.crt` },
      },
    ],
    users: [
      {
        name: "service-account",
        user: {
          "auth-provider": { name: "tokenFile", config: { tokenFile: `${at.serviceAccountDir}/token` } },
        },
      },
    ],
    contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "service-account" } }],
    "current-context": "in-cluster",
  });
}

// Restricted Pod Security Standard: what a production operator pod must pass.
const restricted: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: IMAGE_UID,
  runAsGroup: IMAGE_UID,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export function podSpec(
  o: DeployOptions,
  component: string,
  container: V1Container,
  extra: Partial<V1PodSpec>,
): V1PodSpec {
  return {
    // fsGroup: Secret volumes (the API token, 0440) belong to root otherwise, and the non-root
    // container could not read them (found on the first in-cluster run: EACCES at start).
    securityContext: { runAsNonRoot: true, fsGroup: IMAGE_UID, seccompProfile: { type: "RuntimeDefault" } },
    // Replicas on different nodes, so a node loss is a leader failover, not an outage.
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: { matchLabels: { "app.kubernetes.io/name": component } },
            },
          },
        ],
      },
    },
    containers: [
      { ...container, image: o.image, imagePullPolicy: o.imagePullPolicy, securityContext: restricted },
    ],
    // /tmp is the only writable path (read-only root filesystem); Node may spill there.
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, ...(extra.volumes ?? [])],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "volumes")),
  };
}

export function deployment(o: DeployOptions, name: string, replicas: number, spec: V1PodSpec): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: o.namespace, labels: labels(name) },
    spec: {
      replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      // Surge first: a rolling update never leaves zero ready replicas (the leader hands over).
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: labels(name) }, spec },
    },
  };
}

export function pdb(o: DeployOptions, name: string, replicas: number): V1PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: o.namespace, labels: labels(name) },
    // With one replica, minAvailable 1 would block every node drain forever; allow the eviction.
    spec: {
      ...(replicas > 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }),
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
    },
  };
}

/** A Service named `name` in front of the pods of `component` (its Deployment's name). */
export function service(
  o: DeployOptions,
  name: string,
  portName: string,
  port: number,
  component = name,
): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: o.namespace, labels: labels(component) },
    spec: {
      selector: { "app.kubernetes.io/name": component },
      ports: [{ name: portName, port, targetPort: portName, protocol: "TCP" }],
    },
  };
}

export function operatorArgs(o: DeployOptions): string[] {
  const op = o.operator;
  return [
    ...OPERATOR_NODE_OPTIONS,
    OPERATOR_SCRIPT,
    "--kubeconfig",
    "/etc/patronus/kubeconfig/kubeconfig.yaml",
    "--patronus-url",
    op.patronusUrl ?? `http://${MESH_NAME}.${o.namespace}.svc:${o.mesh.port}`,
    "--patronus-token-file",
    "/etc/patronus/token/token",
    "--namespace",
    op.watchNamespace,
    "--metrics-bind-address",
    "0.0.0.0",
    "--metrics-port",
    String(op.metricsPort),
    "--leader-elect",
    "true",
    "--leader-elect-namespace",
    o.namespace,
    "--log-level",
    op.logLevel,
    ...op.extraArgs,
  ];
}

export function meshArgs(o: DeployOptions): string[] {
  const m = o.mesh;
  return [
    "harness/mesh/main.ts",
    "--token-file",
    "/etc/patronus/token/token",
    "--sites",
    String(m.sites),
    "--topology",
    m.topology,
    "--seed",
    String(m.seed),
    "--host",
    "0.0.0.0",
    "--port",
    String(m.port),
    ...m.extraArgs,
  ];
}

export const tokenVolume = { name: "token", secret: { secretName: TOKEN_SECRET, defaultMode: 0o440 } };
export const tokenMount = { name: "token", mountPath: "/etc/patronus/token", readOnly: true };
export const tmpMount = { name: "tmp", mountPath: "/tmp" };

function operatorObjects(o: DeployOptions): object[] {
  const op = o.operator;
  const probe = (path: string, failureThreshold: number) => ({
    httpGet: { path, port: "metrics" },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold,
  });
  const container: V1Container = {
    name: "operator",
    args: operatorArgs(o),
    // The leader-election identity: unique per pod, stable across container restarts.
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      ...Object.entries(OPERATOR_ENV).map(([name, value]) => ({ name, value })),
    ],
    ports: [{ name: "metrics", containerPort: op.metricsPort, protocol: "TCP" }],
    resources: op.resources,
    // Informer caches sync before /readyz turns 200; at scale that takes a while, hence startup.
    startupProbe: { ...probe("/healthz", 30), periodSeconds: 2 },
    livenessProbe: probe("/healthz", 3),
    readinessProbe: probe("/readyz", 1),
    volumeMounts: [
      { name: "kubeconfig", mountPath: "/etc/patronus/kubeconfig", readOnly: true },
      tokenMount,
      tmpMount,
    ],
  };
  const configMap: V1ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: KUBECONFIG_CONFIGMAP, namespace: o.namespace, labels: labels(OPERATOR_NAME) },
    data: { "kubeconfig.yaml": inClusterKubeconfig() },
  };
  const spec = podSpec(o, OPERATOR_NAME, container, {
    serviceAccountName: OPERATOR_NAME,
    // Longer than the lease renew deadline so a stopping leader releases its Lease cleanly.
    terminationGracePeriodSeconds: 30,
    volumes: [{ name: "kubeconfig", configMap: { name: KUBECONFIG_CONFIGMAP } }, tokenVolume],
  });
  return [
    configMap,
    deployment(o, OPERATOR_NAME, op.replicas, spec),
    // Selects the operator's pods (found in-cluster: it once selected its own name, no endpoints).
    service(o, `${OPERATOR_NAME}-metrics`, "metrics", op.metricsPort, OPERATOR_NAME),
    pdb(o, OPERATOR_NAME, op.replicas),
  ];
}

/** The simulator's ServiceAccount: it never talks to the apiserver, so no token in its pods. */
export function meshAccount(o: DeployOptions): V1ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: MESH_NAME, namespace: o.namespace, labels: labels(MESH_NAME) },
    automountServiceAccountToken: false,
  };
}

/** One simulator workload (the simulator, a shard replica or the shard router): Deployment, Service, PDB. */
export function meshWorkload(o: DeployOptions, name: string, args: string[]): object[] {
  const m = o.mesh;
  // The simulator has /healthz only (no separate readiness): it serves as soon as it listens.
  const probe = { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, timeoutSeconds: 2 };
  const container: V1Container = {
    name: "mesh",
    args,
    ports: [{ name: "http", containerPort: m.port, protocol: "TCP" }],
    resources: m.resources,
    livenessProbe: { ...probe, failureThreshold: 3 },
    readinessProbe: { ...probe, failureThreshold: 2 },
    volumeMounts: [tokenMount, tmpMount],
  };
  const spec = podSpec(o, name, container, {
    serviceAccountName: MESH_NAME,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 10,
    volumes: [tokenVolume],
  });
  return [deployment(o, name, 1, spec), service(o, name, "http", m.port), pdb(o, name, 1)];
}

function meshObjects(o: DeployOptions): object[] {
  if (o.mesh.shards > 1) return shardedMeshObjects(o);
  return [meshAccount(o), ...meshWorkload(o, MESH_NAME, meshArgs(o))];
}

export function tokenSecret(o: DeployOptions, token: string): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: TOKEN_SECRET, namespace: o.namespace, labels: labels(OPERATOR_NAME) },
    type: "Opaque",
    stringData: { token },
  };
}

export function workloadObjects(o: DeployOptions, token: string): object[] {
  return [
    tokenSecret(o, token),
    ...(o.operator.enabled ? operatorObjects(o) : []),
    ...(o.mesh.enabled ? meshObjects(o) : []),
  ];
}
