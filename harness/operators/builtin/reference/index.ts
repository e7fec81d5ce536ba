/**
 * The reference operator: the TypeScript operator in operator/, started as a Node process with
 * the scenario's operator settings as flags. It serves Sites, Policies, Meshes and Paths
 * (group sdwan.patronus.io), elects a leader on a Lease, holds a finalizer on every Site it
 * registered, and publishes observedGeneration with Ready-style conditions.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { GROUP, MESH, PATH, POLICY, SITE, VERSION } from "../../../../contract/reference-crds/v1alpha1.ts";
import { CRDS_DIR, RBAC_DIR } from "../../../paths.ts";
import { DEFAULT_IMAGE } from "../../../scenario/runtime.ts";
import { defineOperator } from "../../definition.ts";
import {
  DEFAULT_LEASE,
  OPERATOR_ENV,
  OPERATOR_NODE_OPTIONS,
  OPERATOR_SCRIPT,
  type OperatorTuning,
  operatorVersion,
  tuningArgs,
} from "./cli.ts";
import {
  conditionReady,
  meshFailed,
  meshTemplate,
  observedGenerationReached,
  pathReady,
  policyFailed,
  policyTemplate,
  siteFailed,
  siteTemplate,
} from "./objects.ts";

const LEASE = DEFAULT_LEASE;

/** The rules of an RBAC fixture (one source of truth with the manifests the project ships). */
function rulesOf(file: string): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  return (parse(readFileSync(join(RBAC_DIR, file), "utf8")) as { rules: never[] }).rules;
}

export default defineOperator({
  name: "reference",
  description: "the TypeScript operator in operator/ (the default; needs nothing but Node)",
  version: operatorVersion(),
  start: {
    command: ["{node}", ...OPERATOR_NODE_OPTIONS, `{repoRoot}/${OPERATOR_SCRIPT}`],
    args: (settings) => [
      "--kubeconfig",
      "{kubeconfig}",
      "--patronus-url",
      "{patronusUrl}",
      "--patronus-token-file",
      "{patronusTokenFile}",
      "--namespace",
      "{namespace}",
      "--metrics-port",
      "{metricsPort}",
      // Always elect, also with one replica: the failover scenarios and the Lease view need it.
      "--leader-elect",
      "true",
      "--leader-elect-namespace",
      LEASE.namespace,
      "--leader-elect-id",
      LEASE.name,
      "--identity",
      "{identity}",
      // The scenario's `operator` settings, every field filled by its schema's defaults.
      ...tuningArgs(settings as unknown as OperatorTuning),
    ],
    env: { ...OPERATOR_ENV },
    log: "json",
  },
  // The project image (offline, built from this checkout); the scenario's operator.image names
  // the tag, and the container and in-cluster runtimes start it with the flags above.
  image: { name: DEFAULT_IMAGE, build: ["ci/container/build-image.sh"] },
  crds: {
    files: readdirSync(CRDS_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => join(CRDS_DIR, f)),
  },
  rbac: {
    rules: rulesOf("02-cluster-role.yaml"),
    namespaced: [{ namespace: LEASE.namespace, rules: rulesOf("04-leader-election-role.yaml") }],
  },
  // API Priority and Fairness for its requests, as the project's manifests install it: its Lease
  // renewals at the leader-election level, its Path writes on a level of their own.
  manifests: [
    join(RBAC_DIR, "06-leader-election-flowschema.yaml"),
    join(RBAC_DIR, "07-paths-priority-level.yaml"),
  ],
  kinds: {
    Site: {
      group: GROUP,
      version: VERSION,
      plural: SITE.plural,
      kind: SITE.kind,
      template: siteTemplate,
      ready: conditionReady("Ready"),
      failed: siteFailed,
      updateObserved: observedGenerationReached,
    },
    Policy: {
      group: GROUP,
      version: VERSION,
      plural: POLICY.plural,
      kind: POLICY.kind,
      template: policyTemplate,
      ready: conditionReady("Applied"),
      failed: policyFailed,
      updateObserved: observedGenerationReached,
    },
    Mesh: {
      group: GROUP,
      version: VERSION,
      plural: MESH.plural,
      kind: MESH.kind,
      template: meshTemplate,
      ready: conditionReady("Ready"),
      failed: meshFailed,
      updateObserved: observedGenerationReached,
    },
    Path: {
      group: GROUP,
      version: VERSION,
      plural: PATH.plural,
      kind: PATH.kind,
      ready: pathReady,
      failed: () => undefined,
      updateObserved: observedGenerationReached,
    },
  },
  patronusApi: { dialect: "reference", token: true },
  capabilities: { leaderElection: LEASE, finalizers: true, fencing: true },
  metrics: {
    reconcileDuration: "controller_runtime_reconcile_time_seconds",
    reconcileErrors: "controller_runtime_reconcile_errors_total",
    reconcileTotal: "controller_runtime_reconcile_total",
    queueDepth: "workqueue_depth",
    leader: "leader_election_master_status",
    others: [
      "workqueue_adds_total",
      "workqueue_queue_duration_seconds",
      "workqueue_work_duration_seconds",
      "workqueue_retries_total",
      "rest_client_requests_total",
      "rest_client_request_duration_seconds",
      "rest_client_rate_limiter_duration_seconds",
      "patronus_operator_informer_lists_total",
      "patronus_operator_informer_watch_restarts_total",
      "patronus_operator_events_total",
    ],
  },
  health: { path: "/readyz", port: "metrics" },
});
