/**
 * What measurements need to see of the system under test, independent of how the run started
 * it: the operator replicas (pids, /metrics URLs, the leader Lease) and the mesh simulator (its
 * process, event log and registered sites). The orchestrator adapts the real handles to these.
 */
export interface OperatorReplicaView {
  index: number;
  /** Identity it uses in the leader-election Lease. */
  identity: string;
  pid: number | undefined;
  metricsUrl: string;
  running: boolean;
}

export interface OperatorView {
  replicas(): OperatorReplicaView[];
  /** Lease namespace/name of leader election; null for an operator that elects no leader. */
  lease: { namespace: string; name: string } | null;
}

export interface MeshEventView {
  seq: number;
  atMs: number;
  kind: string;
  detail: Record<string, unknown>;
}

export interface MeshSiteView {
  name: string;
  spec: Record<string, unknown>;
}

/** A policy as the Patronus API holds it (class, sites, sla, preferredLinks). */
export interface MeshPolicyView {
  name: string;
  spec: Record<string, unknown>;
}

/** One Patronus API request of a client under test, as the simulator logged it. */
export interface CallerRequestView {
  seq: number;
  /** Arrival, ms since the Unix epoch. */
  atMs: number;
  /** The replica that sent it (its `/c/<caller>` URL prefix), "anonymous" when unnamed. */
  caller: string;
  method: string;
  /** Route template, e.g. /api/v1/sites/:name. */
  route: string;
  name: string | null;
  /** Status decided (sent, or not delivered when aborted); 0 when none was. */
  status: number;
  durationMs: number;
  outcome: "answered" | "aborted" | "reset";
  heldMs?: number;
}

export interface MeshView {
  /**
   * The Patronus API dialect the simulator speaks, so what `sites()` and `policy()` hold is read
   * right: the reference API's specs, or the bodies the patronus-rs operator sent.
   */
  dialect?: "reference" | "patronus-rs";
  /** Patronus API requests of clients under test after `since` (a seq), by caller. */
  requests?(
    since: number,
  ): Promise<{ requests: CallerRequestView[]; lastSeq: number; firstSeq: number; dropped: number }>;
  /** Where the operator reaches the Patronus API (the simulator), to tell its connections apart. */
  apiUrl?: string;
  /** The simulator's pid when it runs as its own process (for mesh_cpu_cores / mesh_rss_bytes). */
  pid(): number | undefined;
  /** Every process of a sharded mesh (router and replicas); their usage adds up. */
  pids?(): number[];
  /**
   * The simulator's /metrics (prom-client's process_* among them): where it is no process of
   * this host, its CPU and RSS come from there (mesh-metrics).
   */
  metricsUrl?: string;
  /** Mesh events after `since` (a sequence number), oldest first. */
  events(since: number): Promise<MeshEventView[]>;
  /** Every site the Patronus API holds, by name. */
  sites(): Promise<Map<string, MeshSiteView>>;
  /** Ids of the tunnels programmed for this mesh (empty when none are). */
  tunnels?(mesh: string): Promise<Set<string>>;
  /** Every policy the Patronus API holds, by name, where the view can list them (patronus-rs). */
  policies?(): Promise<Map<string, MeshPolicyView>>;
  /** The policy the Patronus API holds under this name, or undefined when it holds none. */
  policy?(name: string): Promise<MeshPolicyView | undefined>;
  /**
   * The simulator's per-caller counters (clients under test only): requests by caller, 429s of
   * the per-caller rate limit by caller, and requests whose client hung up before the answer.
   */
  callerCounts?(): Promise<
    { requests: Record<string, number>; rateLimited: Record<string, number>; aborted: number } | undefined
  >;
  /** Patronus API requests served so far (for storm detection), when the simulator counts them. */
  requestCount?(): Promise<number | undefined>;
}
