/**
 * What each scenario field means, for users — the prose of docs/scenarios.md's reference. Types,
 * defaults and constraints come from the zod schema itself (scenario-reference.ts); examples come
 * from the built-in scenarios, or from `example` here where no built-in sets the field.
 * Keys are `<section>.<path>`; `*.<path>` applies to every section without its own text.
 * A field with no text here fails the reference test, so a new field cannot go undocumented.
 */

export interface FieldText {
  text: string;
  /** A value to show when no built-in scenario sets the field (TypeScript/JSON syntax). */
  example?: string;
}

export const SECTION_TEXT: Record<string, string> = {
  Scenario: "The top level of a scenario file: `export default defineScenario({ … })`.",
  Cluster: "Where the run's Kubernetes control plane comes from ([docs/clusters.md](clusters.md)).",
  "Embedded cluster knobs":
    "`cluster.knobs` when `cluster.provider` is `embedded`: scale knobs of the control plane the harness starts. Every knob is recorded in `results.json` (`run.cluster.knobs`).",
  Mesh: "The simulated SD-WAN: the world the mesh simulator serves through the Patronus API.",
  Operator: "How the operator under test runs: replicas, its client and workqueue limits, where it runs.",
  "Leader election": "The operator's leader-election timings (as client-go's).",
  "Container resources":
    "Limits of a container or pod, in Kubernetes quantities, as `resources.limits` of a pod spec. Only with `runtime` `container` or `cluster`.",
  "Threshold with options":
    "A threshold written as an object instead of a string, to end the run as soon as it fails.",
  "Phase: create": "Creates `count` objects, as a burst or at a steady rate.",
  "Phase: churn":
    "kube-burner's churn: in each cycle, touches `percent` of the live objects with the operation mix, at `rate` per second.",
  "Phase: load":
    "An open-model load (k6's arrival-rate executors): operations start on schedule whether or not earlier ones finished.",
  "Phase: wait-for":
    "Waits until a condition holds for every object of a kind; a timeout is counted in `wait_timeouts`.",
  "Phase: inject": "Injects one fault or action and waits for its effect to be measured.",
  "Phase: sleep": "Does nothing for a while (lets telemetry flow, a rate settle).",
  "Phase: http-load":
    "Drives the simulated Patronus API directly over HTTP (autocannon), without the operator.",
  "Object template": "What the objects a phase creates look like.",
  "Operation mix": "Relative weights of the operations a load or churn phase makes.",
  "Executor: constant-arrival-rate": "A fixed number of arrivals per time unit for a duration.",
  "Executor: ramping-arrival-rate": "An arrival rate that moves linearly between stage targets.",
  Stage: "One stage of a ramping executor.",
  "Timed injection": "An injection scheduled inside a running load or churn phase.",
  "Operator: kill-leader, kill, restart":
    "Kills (SIGKILL or SIGTERM) or restarts an operator replica; `kill-leader` finds the Lease holder.",
  "Operator: pause-leader, pause":
    "Freezes an operator replica (SIGSTOP) and resumes it (SIGCONT) `duration` later, as a long GC pause or a frozen VM would.",
  "Operator: partition-leader, partition":
    "Cuts one replica off from the apiserver or from the Patronus API for `duration`, through a proxy of the harness that drops its traffic; the other replicas and the harness still reach both.",
  "Control plane: restart": "Stops and starts a control-plane component (embedded and kind clusters).",
  "Control plane: pause": "Freezes a control-plane component (SIGSTOP) and resumes it `duration` later.",
  "Mesh fault: pause": "Freezes the mesh simulator process (SIGSTOP) and resumes it `duration` later.",
  "Mesh fault: fail": "The target's links go down (until restored, or for `request.durationMs`).",
  "Mesh fault: restore": "Clears every fail, degrade and flap fault on exactly this target.",
  "Mesh fault: degrade": "Adds latency, jitter or loss to each of the target's links.",
  "Mesh fault: flap": "The target goes down for half of `periodMs` and up for the other half, `count` times.",
  "Mesh fault: api": "A fault of the Patronus API itself.",
  "Fault target: link": "One WAN link of one site.",
  "Fault target: site": "Every link of one site.",
  "Fault target: hub":
    "A hub site (refused when the site is not a hub, so a scenario cannot fail the wrong thing).",
  "Fault target: region": "Every site of a region.",
  "API fault: unavailable": "Every Patronus API call answers 503 with Retry-After for the window.",
  "API fault: latency": "Every Patronus API response is delayed for the window.",
  "API fault: reset":
    "Patronus API connections are reset (TCP RST) for the window, or for the next `count` requests.",
  "API fault: drop-stream": "Open telemetry streams are cut now; new ones are refused for `refuseMs`.",
  "API fault: partition":
    "One caller (an operator replica) cut off from the Patronus API for `durationMs`; every other caller is served as before.",
};

export const FIELD_TEXT: Record<string, FieldText> = {
  "Scenario.name": { text: "The scenario's name; it names the output directory (`reports/<name>-<time>/`)." },
  "Scenario.description": { text: "One line saying what the scenario shows; `list` prints it." },
  "Scenario.namespace": {
    text: "The namespace the run creates its objects in (and the operator watches).",
    example: '"bench-a"',
  },
  "Scenario.cluster": { text: "Which cluster provider and its knobs." },
  "Scenario.mesh": { text: "The simulated mesh." },
  "Scenario.operator": { text: "How the operator under test runs." },
  "Scenario.steadyState": {
    text: "The quiet end of the run: after the phases, a window in which the harness changes nothing and counts what the operator still does (steady_state_patronus_calls_per_object_per_minute, steady_state_apiserver_writes_per_object_per_minute).",
    example: '{ window: "15s" }',
  },
  "Scenario.steadyState.window": {
    text: "How long the quiet window lasts; `0` leaves it out.",
    example: '"15s"',
  },
  "Scenario.requires": {
    text: "What the scenario cannot run without. On an operator lacking any of it the run is refused before anything starts, in one line naming what is missing (exit 1); phases and thresholds that use anything else are left out there and reported not applicable.",
  },
  "Scenario.requires.kinds": {
    text: "Kinds of the operator under test the scenario needs: `Site`, `Policy`, `Path`, `Mesh`.",
    example: '["Site", "Policy", "Path"]',
  },
  "Scenario.requires.capabilities": {
    text: "Capabilities it needs: `leaderElection` (a Lease, one replica working at a time), `finalizers`.",
    example: '["leaderElection"]',
  },
  "Scenario.phases": { text: "What the run does, in order. A phase's `kind` selects its fields." },
  "Scenario.thresholds": {
    example: '{ lost_updates: ["count==0"] }',
    text: 'Metric name → k6-style expressions (`p(99)<=1000`, `max<=30000`, `count==0`, `avg>=49`, `value<=30`). A failed threshold makes the run exit 99. Metric names: [docs/metrics.md](metrics.md); labelled ones are written `site_ready_latency{phase="churn"}`. Every run also checks `coverage_ratio value==1` and `wait_timeouts count==0`.',
  },
  "Scenario.checkpoints": {
    text: "Numbers of Ready objects at which the cost curve is sampled (operator CPU and RSS, queue depth, latency so far).",
  },
  "Scenario.repeats": {
    text: "How many times the whole scenario runs; results are merged (`--repeat N` overrides it).",
    example: "3",
  },
  "Scenario.sampleInterval": {
    text: "How often process CPU/RSS and the operator's and apiserver's /metrics are sampled.",
    example: '"500ms"',
  },
  "Scenario.disableMeasurements": {
    text: "Measurements to leave out, by name (e.g. `path-status` for an operator without Paths).",
    example: '["path-status"]',
  },

  "Cluster.provider": {
    text: "`embedded`: etcd, kube-apiserver and kube-controller-manager started by the harness on this machine. `kind`: the cluster of `kind-config.yaml`, created or reused. `kubeconfig`: an existing cluster (`--kubeconfig`).",
    example: '"kind"',
  },
  "Cluster.kubeconfig": {
    text: "Path of the kubeconfig for the `kubeconfig` provider.",
    example: '"~/.kube/config"',
  },
  "Cluster.knobs": {
    text: "Provider knobs. For `embedded`, see [Embedded cluster knobs](#embedded-cluster-knobs); a wrong knob is refused when the scenario loads.",
    example: "{ maxMutatingRequestsInflight: 400 }",
  },

  "Embedded cluster knobs.maxRequestsInflight": {
    text: "kube-apiserver `--max-requests-inflight` (non-mutating requests in flight).",
    example: "800",
  },
  "Embedded cluster knobs.maxMutatingRequestsInflight": {
    text: "kube-apiserver `--max-mutating-requests-inflight`.",
    example: "400",
  },
  "Embedded cluster knobs.apiPriorityAndFairness": {
    text: "API Priority and Fairness; when off, the two in-flight limits apply directly.",
    example: "false",
  },
  "Embedded cluster knobs.etcdQuotaBytes": { text: "etcd `--quota-backend-bytes`.", example: "4294967296" },
  "Embedded cluster knobs.etcdUnsafeNoFsync": {
    text: "etcd `--unsafe-no-fsync`: faster on a laptop or CI disk; recorded in the results.",
    example: "false",
  },
  "Embedded cluster knobs.controlPlaneGoGC": {
    text: "GOGC of kube-apiserver and etcd. 200 keeps garbage collection off the burst's critical path without making each cycle a burst of its own under churn; 100 is Go's default.",
    example: "100",
  },
  "Embedded cluster knobs.apiserverFeatureGates": {
    text: "kube-apiserver `--feature-gates`, as that flag takes them. None by default.",
    example: '"CBORServingAndStorage=true"',
  },
  "Embedded cluster knobs.etcdOnTmpfs": {
    text: "Put etcd's data directory on tmpfs (`/dev/shm`) when it exists.",
    example: "false",
  },
  "Embedded cluster knobs.startTimeoutSeconds": {
    text: "Seconds to wait for each component to become healthy.",
    example: "120",
  },
  "Embedded cluster knobs.apiserverPort": {
    text: "A fixed kube-apiserver port; 0 picks a free one.",
    example: "6443",
  },
  "Embedded cluster knobs.etcdPort": {
    text: "A fixed etcd client port; 0 picks a free one.",
    example: "2379",
  },

  "Mesh.sites": {
    text: "Sites in the mesh; `--sites N` resizes it (and the phases and checkpoints that follow it).",
  },
  "Mesh.regions": { text: "Regions the sites are spread over." },
  "Mesh.hubsPerRegion": { text: "Hub sites per region." },
  "Mesh.topology": { text: "How sites connect: which tunnels (and so Paths) exist." },
  "Mesh.topology.type": {
    text: "`hub-spoke`: every spoke to its region's hubs, hubs in a full mesh. `regional`: full mesh within a region, hubs across. `partial`: each site to `k` others. `full`: every pair.",
  },
  "Mesh.topology.k": {
    text: "Tunnels per site for `partial` (required there, refused elsewhere).",
    example: "3",
  },
  "Mesh.seed": {
    text: "Seed of the generated world (site names, links, telemetry); the same seed gives the same mesh.",
  },
  "Mesh.telemetryTick": { text: "How often the simulator emits tunnel telemetry." },
  "Mesh.linkEventProbability": {
    text: "Chance per link per 60 ticks of a congestion event; 0 is a calm world with only injected faults.",
    example: "0",
  },
  "Mesh.apiRate": {
    text: "Requests per second per token the simulated Patronus API allows; beyond it, 429.",
    example: "200",
  },
  "Mesh.shards": {
    text: "Simulator replicas behind a shard router, each owning a range of sites; 1 is a single simulator.",
    example: "3",
  },
  "Mesh.runtime": {
    text: "Where the simulator runs: `process` on this machine, `container` (the project image, its CPU apart from the operator's), `cluster` (a Deployment; kind or kubeconfig clusters).",
    example: '"container"',
  },
  "Mesh.resources": {
    text: "The simulator container's limits; unlimited when left out.",
    example: '{ cpu: "1", memory: "512Mi" }',
  },
  "Mesh.image": {
    text: "Image for the `container` and `cluster` runtimes, built by `ci/container/build-image.sh`.",
    example: '"patronus-bench:dev"',
  },

  "Operator.replicas": { text: "Operator replicas; more than one elect a leader through a Lease." },
  "Operator.concurrency": { text: "Workers per controller (the operator's `--concurrency`)." },
  "Operator.pathConcurrency": { text: "Workers of the Path controller; `concurrency` when left out." },
  "Operator.qps": { text: "Client-side rate limit of the operator's apiserver calls (`--qps`)." },
  "Operator.burst": { text: "Burst of that limiter (`--burst`)." },
  "Operator.workqueueQps": {
    text: "The workqueues' overall token bucket rate (`--workqueue-qps`; controller-runtime's default is 10).",
  },
  "Operator.workqueueBurst": {
    text: "Its burst (`--workqueue-burst`; controller-runtime's default is 100).",
  },
  "Operator.leaderElection": { text: "Lease timings." },
  "Operator.extraArgs": {
    text: "More command-line arguments for the operator, appended as given.",
    example: '["--reconcile-delay-ms", "150"]',
  },
  "Operator.runtime": {
    text: "`process` on this machine; `container`: the project image under pod-like limits (needs Docker); `cluster`: pods of the generated Deployment (kind or kubeconfig clusters).",
    example: '"container"',
  },
  "Operator.resources": {
    text: "The container's or pod's limits (500m / 256Mi when left out, as the generated Deployment); `container` and `cluster` runtimes only.",
    example: '{ cpu: "250m", memory: "256Mi" }',
  },
  "Operator.image": {
    text: "Image for the `container` and `cluster` runtimes (kind: also `kind load`ed).",
    example: '"patronus-bench:dev"',
  },

  "Leader election.leaseDuration": { text: "How long a Lease is valid without renewal." },
  "Leader election.renewDeadline": {
    text: "How long the leader keeps trying to renew before it gives up leading.",
  },
  "Leader election.retryPeriod": { text: "How often candidates try to acquire or renew." },

  "Container resources.cpu": { text: "CPU limit, e.g. `500m` or `2`.", example: '"500m"' },
  "Container resources.memory": { text: "Memory limit, e.g. `256Mi` or `1Gi`.", example: '"256Mi"' },

  "Threshold with options.threshold": {
    text: "The expression, as in the string form.",
    example: '"count==0"',
  },
  "Threshold with options.abortOnFail": {
    text: "End the run as soon as the threshold fails (checked while it runs where the metric allows).",
    example: "true",
  },

  "*.optional": {
    text: "Whether the run may leave this out on an operator that lacks what it uses (a kind, leader election): `true` leaves it out (reported not applicable), `false` refuses the run on such an operator; unset, it is optional unless `requires` names what it uses.",
    example: "false",
  },
  "*.kind": { text: "Selects this variant (the one this section's title names)." },
  "*.name": {
    text: 'Names the phase in the progress line, the report and labels such as `{phase="…"}` and `{wait="…"}`.',
    example: '"burst"',
  },
  "*.object": {
    text: "The kind of object: `site` or `policy` (`path` for wait-for; Paths belong to the operator).",
    example: '"site"',
  },
  "*.template": { text: "What created objects look like.", example: "{ links: 2 }" },
  "*.maxInFlight": {
    text: "Requests allowed in flight; beyond it an arrival is dropped and counted in `dropped_iterations`.",
    example: "50",
  },
  "*.mix": {
    text: "Relative weights of create, update and delete.",
    example: "{ create: 1, update: 3, delete: 1 }",
  },
  "*.during": {
    text: "Injections scheduled inside the phase.",
    example: '[{ after: "20s", inject: { target: "operator", action: "kill-leader" } }]',
  },
  "*.rate": { text: "Operations per second.", example: "20" },
  "Phase: create.count": { text: "Objects to create." },
  "Phase: create.rate": {
    text: "Creations per second; left out, as fast as `maxInFlight` allows (a burst).",
    example: "50",
  },
  "Phase: churn.percent": { text: "Share of the live objects touched per cycle, in percent.", example: "10" },
  "Phase: churn.cycles": { text: "Number of cycles.", example: "5" },
  "Phase: churn.delay": { text: "Pause between cycles.", example: '"10s"' },
  "Phase: churn.rate": { text: "Operations per second within a cycle.", example: "20" },
  "Phase: load.executor": { text: "The arrival schedule." },
  "Phase: load.arrivals": {
    text: "`uniform`: evenly spaced arrivals; `poisson`: exponential gaps with the same mean rate.",
    example: '"poisson"',
  },
  "Phase: wait-for.condition": {
    text: "`ready`: every live object of the kind is Ready with its status caught up; `gone`: deleted ones are gone; `paths`: every Path of the mesh exists and reports state.",
  },
  "Phase: wait-for.object": { text: "Which kind the condition is about." },
  "Phase: wait-for.timeout": {
    text: "Give up after this long; counted in `wait_timeouts`, which fails the run.",
    example: '"90s"',
  },
  "Phase: inject.inject": { text: "What to inject." },
  "Phase: inject.settle": {
    text: "Wait up to this long for the effect to be measured (e.g. failover convergence).",
  },
  "Phase: sleep.duration": { text: "How long." },
  "Phase: http-load.path": { text: "The Patronus API path requested.", example: '"/api/v1/sites?limit=50"' },
  "Phase: http-load.method": { text: "HTTP method.", example: '"GET"' },
  "Phase: http-load.connections": { text: "Concurrent connections.", example: "10" },
  "Phase: http-load.duration": { text: "How long.", example: '"30s"' },
  "Phase: http-load.rate": {
    text: "Requests per second over all connections; left out, as fast as the connections allow.",
    example: "200",
  },

  "Object template.links": {
    text: "Sites: WAN links per site; left out, as the mesh model assigns.",
    example: "2",
  },
  "Object template.labels": { text: "Labels put on each object.", example: '{ tier: "gold" }' },
  "Object template.class": { text: "Policies: the traffic class.", example: '"voice"' },
  "Object template.sla": {
    text: "Policies: the service level that triggers a reroute when violated.",
    example: "{ maxLatencyMs: 150, maxJitterMs: 30, maxLossPercent: 1 }",
  },
  "Object template.sla.maxLatencyMs": { text: "Maximum latency in ms.", example: "150" },
  "Object template.sla.maxJitterMs": { text: "Maximum jitter in ms.", example: "30" },
  "Object template.sla.maxLossPercent": { text: "Maximum packet loss in percent.", example: "1" },
  "Object template.preferredLinks": { text: "Policies: link types in order of preference." },

  "Operation mix.create": { text: "Weight of creates." },
  "Operation mix.update": { text: "Weight of spec updates." },
  "Operation mix.delete": { text: "Weight of deletes." },

  "*.type": { text: "Selects this executor." },
  "*.timeUnit": { text: "The unit `rate` counts in.", example: '"1m"' },
  "Executor: constant-arrival-rate.rate": { text: "Arrivals per `timeUnit`." },
  "Executor: constant-arrival-rate.duration": { text: "How long." },
  "Executor: ramping-arrival-rate.startRate": {
    text: "The rate at the start, per `timeUnit`.",
    example: "0",
  },
  "Executor: ramping-arrival-rate.stages": {
    text: "Stages in order; the rate moves linearly to each `target`.",
    example: '[{ target: 50, duration: "1m" }, { target: 50, duration: "5m" }]',
  },
  "Stage.target": { text: "The rate to reach by the end of the stage, per `timeUnit`.", example: "50" },
  "Stage.duration": { text: "How long the stage lasts.", example: '"1m"' },

  "Timed injection.after": { text: "How long after the phase starts." },
  "Timed injection.inject": { text: "What to inject." },

  "*.target": { text: "Selects what the injection acts on (this section's title names it)." },
  "*.request.target": { text: "What the fault acts on.", example: '{ kind: "site", site: "site-00007" }' },
  "*.action": { text: "What to do." },
  "*.request": { text: "The simulator's fault request, with its own fields." },
  "Mesh fault: restore.request": {
    text: "The simulator's fault request.",
    example: '{ target: { kind: "hub", site: "site-00000" } }',
  },
  "Mesh fault: degrade.request": {
    text: "The simulator's fault request: the target and what to add.",
    example: '{ target: { kind: "region", region: "region-0" }, addLatencyMs: 80 }',
  },
  "Mesh fault: flap.request": {
    text: "The simulator's fault request: the target, the period and how many.",
    example: '{ target: { kind: "link", site: "site-00003", link: "mpls-0" }, periodMs: 2000, count: 5 }',
  },
  "*.restoreAfter": {
    text: "Restore the target after this long (fail, degrade); left out, the fault stays.",
    example: '"20s"',
  },
  "*.signal": { text: "The signal for `kill` and `kill-leader`.", example: '"SIGTERM"' },
  "*.replica": {
    text: "Which replica (0-based); the `-leader` actions find the Lease holder instead.",
    example: "1",
  },
  "*.component": { text: "The control-plane component." },
  "*.duration": { text: "How long.", example: '"20s"' },
  "Operator: pause-leader, pause.action": {
    text: "`pause-leader` freezes the Lease holder; `pause` the replica `replica`.",
    example: '"pause-leader"',
  },
  "Operator: partition-leader, partition.action": {
    text: "`partition-leader` cuts off the Lease holder; `partition` the replica `replica`.",
    example: '"partition-leader"',
  },
  "Control plane: pause.component": { text: "The control-plane component to freeze.", example: '"etcd"' },
  "*.from": { text: "What the replica is cut off from.", example: '"apiserver"' },

  "*.durationMs": { text: "How long, in milliseconds.", example: "30000" },
  "Mesh fault: degrade.request.addLatencyMs": { text: "Latency added, in ms.", example: "80" },
  "Mesh fault: degrade.request.addJitterMs": { text: "Jitter added, in ms.", example: "10" },
  "Mesh fault: degrade.request.addLossPercent": {
    text: "Loss added, in percent (at least one of the three above 0).",
    example: "5",
  },
  "Mesh fault: flap.request.periodMs": { text: "One down-and-up period, in ms.", example: "2000" },
  "Mesh fault: flap.request.count": { text: "How many periods.", example: "5" },
  "*.site": { text: "The site's name.", example: '"site-00000"' },
  "*.link": { text: "The link's name.", example: '"mpls-0"' },
  "*.region": { text: "The region's name.", example: '"region-0"' },
  "API fault: latency.latencyMs": { text: "Delay added to every response, in ms.", example: "500" },
  "API fault: reset.count": { text: "Reset the next this many requests.", example: "10" },
  "API fault: partition.caller": {
    text: "The caller to cut off: the name in its `/c/<caller>` URL prefix (or its X-Patronus-Caller header).",
    example: '"operator-0"',
  },
  "API fault: partition.mode": {
    text: "`blackhole`: requests get no answer until the client gives up or the partition heals (then they are served, late); `reset`: the connection is reset at once.",
    example: '"reset"',
  },
  "API fault: drop-stream.refuseMs": { text: "Refuse new streams for this long, in ms.", example: "5000" },
};
