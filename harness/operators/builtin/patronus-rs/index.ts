/**
 * The upstream Patronus operator (Rust, kube-rs), built from a checkout given by
 * --operator-source and described from its own code: environment from src/main.rs, objects and
 * status from src/crd/ and src/controllers/, metric names from src/metrics.rs, health endpoints
 * from src/health.rs. It serves Sites and Policies only, elects no leader, and puts no finalizer
 * on anything (a deletion it does not see in time never reaches the Patronus API).
 */
import { defineOperator } from "../../definition.ts";
import {
  GROUP,
  policyFailed,
  policyReady,
  policyTemplate,
  siteFailed,
  siteReady,
  siteTemplate,
  siteUpdateObserved,
  VERSION,
} from "./objects.ts";

export default defineOperator({
  name: "patronus-rs",
  description: "the upstream Patronus operator (Rust, kube-rs), built with cargo from --operator-source",
  version: "0.1.0",
  build: {
    command: ["cargo", "build", "--release", "--bin", "patronus-operator", "--bin", "crdgen"],
    inputs: ["Cargo.toml", "Cargo.lock", "src/**", "crds/**"],
    artifact: "{cacheDir}/cargo-target/release/patronus-operator",
    extraArtifacts: ["{cacheDir}/cargo-target/release/crdgen"],
    requires: [
      {
        command: "cargo",
        install:
          "install a Rust toolchain: curl https://sh.rustup.rs -sSf | sh (rustup), or apt-get install -y cargo",
      },
    ],
    // One target directory for every source digest: the ~250 dependencies compile once, and a
    // changed operator source recompiles only the operator's own crate.
    env: { CARGO_TARGET_DIR: "{cacheDir}/cargo-target" },
    sourceHint:
      "the operator/ folder of a checkout of the Patronus project (github.com/CanuteTheGreat/patronus), " +
      "e.g. --operator-source ../shared/upstream/patronus-operator",
  },
  start: {
    command: ["{binary}"],
    // It reads its configuration from the environment only (src/main.rs) and takes no flags.
    args: [],
    env: {
      PATRONUS_API_URL: "{patronusUrl}",
      METRICS_PORT: "{metricsPort}",
      HEALTH_PORT: "{healthPort}",
      KUBECONFIG: "{kubeconfig}",
    },
    // tracing's default formatter: "<time>  INFO <span>: <message>" lines.
    log: "text",
  },
  // For --runtime container and cluster: the built binary on the project's offline base image
  // (no registry), rebuilt when the source digest changes. In a container it reads the same
  // environment as a process; on a cluster it is installed with its own Helm chart.
  image: {
    name: "patronus-bench/patronus-rs:local",
    build: ["ci/container/build-binary-image.sh", "{binary}"],
    helmChart: "{sourceDir}/helm/patronus-operator",
    // The chart's own value names (helm/patronus-operator/values.yaml). Its leaderElection values
    // become environment variables the operator never reads; they are left as they are.
    helmValues: ({ release, image, replicas, resources, patronusUrl, metricsPort, healthPort }) => ({
      fullnameOverride: release,
      replicaCount: replicas,
      image,
      resources,
      patronus: { apiUrl: patronusUrl },
      metrics: { enabled: true, port: metricsPort },
      health: { enabled: true, port: healthPort },
      // Its pod security context sets no seccomp profile, which the restricted Pod Security
      // Standard of the harness's namespace requires; the rest of it (non-root, uid 1000, no
      // privilege escalation, every capability dropped, read-only root) stands.
      podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    }),
  },
  /**
   * From the built `crdgen`, not the shipped files: crds/ holds two versions of each CRD —
   * crds.yaml (crdgen's output, snake_case like the types) and the hand-written site-crd.yaml /
   * policy-crd.yaml in camelCase (publicKey, listenPort, peerWith, dstPortRange). The Rust types
   * (serde, no rename_all) read public_key and listen_port, so an object valid for the camelCase
   * CRDs never deserializes in the operator, and `kubectl apply -f crds/` (its README's way)
   * applies the camelCase ones last. crdgen prints the CRDs of the types this build reads.
   */
  crds: { command: ["{artifactDir}/crdgen"] },
  rbac: {
    // What its code calls: two cluster-wide watchers (Api::all → list, watch) and a merge patch of
    // each kind's status subresource. No create/delete, no events, no Lease, no finalizers.
    rules: [
      { apiGroups: [GROUP], resources: ["sites", "policies"], verbs: ["get", "list", "watch"] },
      { apiGroups: [GROUP], resources: ["sites/status", "policies/status"], verbs: ["patch"] },
    ],
  },
  kinds: {
    Site: {
      group: GROUP,
      version: VERSION,
      plural: "sites",
      kind: "Site",
      template: siteTemplate,
      ready: siteReady,
      failed: siteFailed,
      updateObserved: siteUpdateObserved,
    },
    Policy: {
      group: GROUP,
      version: VERSION,
      plural: "policies",
      kind: "Policy",
      template: policyTemplate,
      ready: policyReady,
      failed: policyFailed,
      // Its status (active, matched_flows, bytes_routed) carries no generation and no time: an
      // update is judged only by what reached the Patronus API.
    },
  },
  patronusApi: { dialect: "patronus-rs", token: false },
  capabilities: { leaderElection: null, finalizers: false },
  metrics: {
    reconcileDuration: "patronus_operator_reconcile_duration_seconds",
    reconcileErrors: "patronus_operator_reconcile_errors_total",
    reconcileTotal: "patronus_operator_reconcile_total",
    others: ["patronus_operator_active_resources"],
  },
  health: { path: "/readyz", port: "health" },
});
