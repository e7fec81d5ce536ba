/**
 * Command lines of the three control-plane processes. Flags follow envtest and kwok's binary
 * runtime, with the scale-test knobs applied.
 */
import type { EmbeddedKnobs } from "./knobs.ts";
import type { PkiFiles } from "./pki.ts";

export interface Layout {
  etcdData: string;
  etcdPort: number;
  etcdPeerPort: number;
  etcdMetricsPort: number;
  apiserverPort: number;
  certDir: string;
  adminKubeconfig: string;
  logDir: string;
}

export function etcdArgs(l: Layout, k: EmbeddedKnobs): string[] {
  const client = `http://127.0.0.1:${l.etcdPort}`;
  const peer = `http://127.0.0.1:${l.etcdPeerPort}`;
  return [
    "--name=patronus-bench",
    `--data-dir=${l.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=patronus-bench=${peer}`,
    `--listen-metrics-urls=http://127.0.0.1:${l.etcdMetricsPort}`,
    `--quota-backend-bytes=${k.etcdQuotaBytes}`,
    // kube-apiserver's consistent reads from cache rely on progress notifications (kubeadm sets 5s).
    "--watch-progress-notify-interval=5s",
    `--unsafe-no-fsync=${k.etcdUnsafeNoFsync}`,
    "--log-level=warn",
  ];
}

export function apiserverArgs(l: Layout, k: EmbeddedKnobs, pki: PkiFiles): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${l.etcdPort}`,
    `--cert-dir=${l.certDir}`,
    `--secure-port=${l.apiserverPort}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    // The endpoint reconciler refuses loopback addresses; nothing here routes to the service VIP.
    "--endpoint-reconciler-type=none",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--allow-privileged=true",
    "--authorization-mode=RBAC",
    `--client-ca-file=${pki.caCert}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--max-requests-inflight=${k.maxRequestsInflight}`,
    `--max-mutating-requests-inflight=${k.maxMutatingRequestsInflight}`,
    `--enable-priority-and-fairness=${k.apiPriorityAndFairness}`,
    "--event-ttl=30m",
    // By default a stopping apiserver leaves watches open and its HTTP server waits for them up
    // to the request timeout, so every restart ended in SIGKILL after the stop grace (5 s lost).
    // Closing watches within 2 s lets it exit cleanly; clients see the close and re-watch.
    "--shutdown-watch-termination-grace-period=2s",
    ...(k.apiserverFeatureGates ? [`--feature-gates=${k.apiserverFeatureGates}`] : []),
    "--v=1",
  ];
}

/** Only the controllers the operator relies on: GC of owned objects, namespaces, service accounts. */
export const KCM_CONTROLLERS = [
  "garbagecollector",
  "namespace",
  "serviceaccount",
  "serviceaccount-token",
  "root-ca-cert-publisher",
];

export function controllerManagerArgs(l: Layout, pki: PkiFiles): string[] {
  return [
    `--kubeconfig=${l.adminKubeconfig}`,
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.caCert}`,
    "--use-service-account-credentials",
    "--leader-elect=false",
    "--secure-port=0",
    `--controllers=${KCM_CONTROLLERS.join(",")}`,
    "--concurrent-gc-syncs=20",
    "--kube-api-qps=200",
    "--kube-api-burst=400",
    "--v=1",
  ];
}
