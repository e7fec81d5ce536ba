/**
 * Every bad input tried, as data: what the user gives, the exit code (or HTTP status) and the
 * first line they get back. bad-inputs.test.ts runs each one and docs/bad-inputs.md is rendered
 * from this list (doc.ts), so every row of that table is asserted by a test.
 *
 * In `argv`, `files` and the expectations, <tmp> is a scratch directory and <repo> this checkout.
 */

export type Area =
  | "Scenario files"
  | "Thresholds"
  | "CLI flags"
  | "--set"
  | "--out"
  | "Operator definitions"
  | "Results files"
  | "Mesh simulator API";

interface Base {
  area: Area;
  /** What is wrong, in a few words. */
  what: string;
  /** The first line the user gets (stderr for the CLI; `code: message` of the JSON error for the API). */
  first: string;
}

export interface CliCase extends Base {
  kind: "cli";
  argv: string[];
  /** Files written under <tmp> before the command runs. */
  files?: Record<string, string>;
  /** 1 for every bad input; 99 would be a failed threshold. */
  exit: 1;
  /** Paths (under <tmp>) that must not exist afterwards: nothing was created. */
  leavesNothing?: string[];
  /** Run as a separate process as the unprivileged user, for permission cases (root may write anywhere). */
  unprivileged?: boolean;
}

export interface ApiCase extends Base {
  kind: "api";
  method: "GET" | "POST" | "PUT";
  path: string;
  /** A raw body (sent as is) or a JSON value; the `site()` marker is replaced by a valid site. */
  body?: { raw: string } | { json: unknown } | { site: Record<string, unknown> };
  token?: "none" | "wrong";
  status: number;
}

export type BadInput = CliCase | ApiCase;

const scenario = (fields: string) =>
  `export default { name: "mine", description: "d", phases: [{ kind: "sleep", name: "pause", duration: "1s" }, { kind: "sleep", duration: "1s" }], ${fields} };\n`;

export const BAD_INPUTS: BadInput[] = [
  // Scenario files
  {
    kind: "cli",
    area: "Scenario files",
    what: "a scenario name that is not built in",
    argv: ["run", "nosuch"],
    exit: 1,
    first: 'error: no built-in scenario named "nosuch" — fix: use one of …',
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "a scenario file that does not exist",
    argv: ["run", "<tmp>/nosuch.ts"],
    exit: 1,
    first: "error: scenario file <tmp>/nosuch.ts does not exist",
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "a syntax error",
    files: { "syntax.ts": "export default {{{\n" },
    argv: ["run", "<tmp>/syntax.ts"],
    exit: 1,
    first:
      "error: cannot load scenario file <tmp>/syntax.ts: Unexpected token `{`. Expected identifier, string literal, numeric literal or [ for the computed key — fix: a scenario file is a TypeScript module with `export default defineScenario({...})`",
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "no default export",
    files: { "no-default.ts": "export const x = 1;\n" },
    argv: ["run", "<tmp>/no-default.ts"],
    exit: 1,
    first:
      "error: scenario file <tmp>/no-default.ts has no default export — fix: end it with `export default defineScenario({...})`",
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "a misspelt field",
    files: { "field.ts": scenario("mesh: { sitez: 3 }") },
    argv: ["run", "<tmp>/field.ts"],
    exit: 1,
    first:
      "error: invalid scenario <tmp>/field.ts: mesh.sitez: unknown field (check the spelling; allowed fields are in harness/scenario/schema.ts) — fix: docs/scenarios.md lists every field, its shape and default",
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "an unknown phase kind",
    files: {
      "kind.ts": `export default { name: "mine", description: "d", phases: [{ kind: "explode" }] };\n`,
    },
    argv: ["run", "<tmp>/kind.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/kind.ts: phases[0].kind: expected one of "create", "churn", "load", "wait-for", "inject", "sleep", "http-load", got "explode" — fix: docs/scenarios.md lists every field, its shape and default',
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "a field of the wrong type",
    files: {
      "type.ts": `export default { name: "mine", description: "d", phases: [{ kind: "create", count: "many" }] };\n`,
    },
    argv: ["run", "<tmp>/type.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/type.ts: phases[0].count: expected number, got "many" — fix: docs/scenarios.md lists every field, its shape and default',
  },
  {
    kind: "cli",
    area: "Scenario files",
    what: "a duration that is not one",
    files: {
      "duration.ts": `export default { name: "mine", description: "d", phases: [{ kind: "sleep", duration: "5 parsecs" }] };\n`,
    },
    argv: ["run", "<tmp>/duration.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/duration.ts: phases[0].duration: "5 parsecs" is not a duration (expected e.g. 500ms, 30s, 2m, 1h30m) — fix: docs/scenarios.md lists every field, its shape and default',
  },
  // Thresholds
  {
    kind: "cli",
    area: "Thresholds",
    what: "a misspelt metric",
    files: { "metric.ts": scenario(`thresholds: { site_ready_latncy: ["p(99)<1000"] }`) },
    argv: ["run", "<tmp>/metric.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/metric.ts: thresholds.site_ready_latncy: no metric named "site_ready_latncy" (did you mean "site_ready_latency"?) — fix: name a metric of docs/metrics.md, or one the operator definition declares in `metrics`',
  },
  {
    kind: "cli",
    area: "Thresholds",
    what: "a metric that does not exist",
    files: { "made-up.ts": scenario(`thresholds: { happiness: ["value>0"] }`) },
    argv: ["run", "<tmp>/made-up.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/made-up.ts: thresholds.happiness: no metric named "happiness" — fix: name a metric of docs/metrics.md, or one the operator definition declares in `metrics`',
  },
  {
    kind: "cli",
    area: "Thresholds",
    what: "a quantile series that is not recorded",
    files: { "quantile.ts": scenario(`thresholds: { 'site_ready_latency{quantile="0.95"}': ["max<1000"] }`) },
    argv: ["run", "<tmp>/quantile.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/quantile.ts: thresholds.site_ready_latency{quantile="0.95"}: quantile "0.95" is not recorded (percentile series exist for 0.5, 0.9, 0.99; for another percentile use the metric itself with p(N)) — fix: name a metric of docs/metrics.md, or one the operator definition declares in `metrics`',
  },
  {
    kind: "cli",
    area: "Thresholds",
    what: "a label the metric does not have",
    files: {
      "label.ts": scenario(`thresholds: { 'apiserver_request_latency{resourc="paths"}': ["p(99)<100"] }`),
    },
    argv: ["run", "<tmp>/label.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/label.ts: thresholds.apiserver_request_latency{resourc="paths"}: apiserver_request_latency has no label "resourc" (its labels: resource, verb) — fix: name a metric of docs/metrics.md, or one the operator definition declares in `metrics`',
  },
  {
    kind: "cli",
    area: "Thresholds",
    what: "a phase label naming no phase",
    files: { "phase.ts": scenario(`thresholds: { 'site_ready_latency{phase="burst"}': ["p(99)<1000"] }`) },
    argv: ["run", "<tmp>/phase.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/phase.ts: thresholds.site_ready_latency{phase="burst"}: the scenario has no phase "burst" (its phases: pause, 2-sleep) — fix: name a metric of docs/metrics.md, or one the operator definition declares in `metrics`',
  },
  {
    kind: "cli",
    area: "Thresholds",
    what: "an expression that is not k6's",
    files: { "expression.ts": scenario(`thresholds: { site_ready_latency: ["p99<5"] }`) },
    argv: ["run", "<tmp>/expression.ts"],
    exit: 1,
    first:
      'error: invalid scenario <tmp>/expression.ts: thresholds.site_ready_latency[0]: "p99<5": unknown aggregation "p99" (expected p(N), avg, min, max, med, count, rate, value) — fix: docs/scenarios.md lists every field, its shape and default',
  },
  // CLI flags
  {
    kind: "cli",
    area: "CLI flags",
    what: "a negative --sites",
    argv: ["run", "smoke", "--sites", "-1"],
    exit: 1,
    first:
      "error: option '--sites <n>' argument '-1' is invalid. must be a positive integer — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "--repeat 0",
    argv: ["run", "smoke", "--repeat", "0"],
    exit: 1,
    first:
      "error: option '--repeat <n>' argument '0' is invalid. must be a positive integer — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown --cluster",
    argv: ["run", "smoke", "--cluster", "nosuch"],
    exit: 1,
    first:
      "error: option '--cluster <provider>' argument 'nosuch' is invalid. Allowed choices are embedded, kind, kubeconfig. — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown --runtime",
    argv: ["run", "smoke", "--runtime", "vm"],
    exit: 1,
    first:
      "error: option '--runtime <runtime>' argument 'vm' is invalid. Allowed choices are process, container, cluster. — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown option",
    argv: ["run", "smoke", "--bogus"],
    exit: 1,
    first: "error: unknown option '--bogus' — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown command",
    argv: ["runn", "smoke"],
    exit: 1,
    first: "error: unknown command 'runn' (Did you mean run?) — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "a missing argument",
    argv: ["run"],
    exit: 1,
    first: "error: missing required argument 'scenario' — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "--keep on the embedded cluster",
    argv: ["run", "smoke", "--keep"],
    exit: 1,
    first:
      "error: --keep leaves a kind or kubeconfig cluster in place; the embedded control plane stops with the run — fix: drop --keep, or run with --cluster kind",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "a --kubeconfig that does not exist",
    argv: ["run", "smoke", "--cluster", "kubeconfig", "--kubeconfig", "<tmp>/nosuch-kubeconfig"],
    exit: 1,
    first:
      "error: --kubeconfig <tmp>/nosuch-kubeconfig does not exist — fix: pass the path of a kubeconfig file (or leave --kubeconfig out to use $KUBECONFIG)",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown simulator --topology",
    argv: ["mesh", "--token-file", "<tmp>/token", "--topology", "bogus"],
    exit: 1,
    first:
      "error: --topology bogus: must be a .json/.yaml file or one of hub-spoke, regional, full, partial:K — fix: see `patronus-bench <command> --help`",
    leavesNothing: ["<tmp>/token"],
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "spread --json with --markdown",
    argv: ["spread", "<repo>/fixtures/results/churn-aa-base", "--json", "--markdown"],
    exit: 1,
    first:
      "error: spread: --json and --markdown are exclusive — fix: pass one of them (or neither, for the terminal table)",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "an unknown compare --format",
    argv: ["compare", "<repo>/fixtures/results/churn", "<repo>/fixtures/results/churn", "--format", "xml"],
    exit: 1,
    first:
      'error: compare: invalid --format: Invalid option: expected one of "table"|"markdown"|"json" — fix: see `patronus-bench compare --help`',
  },
  // --set
  {
    kind: "cli",
    area: "--set",
    what: "an index past the end",
    files: { "two-phases.ts": scenario("") },
    argv: ["run", "<tmp>/two-phases.ts", "--set", "phases[99].rate=1"],
    exit: 1,
    first:
      'error: --set "phases[99].rate=1": phases has 2 entries: [0] sleep "pause", [1] sleep — fix: --set changes existing entries (index 0 to 1); set a whole list as JSON, e.g. --set \'phases=[…]\', or add entries in the scenario file',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a negative index",
    argv: ["run", "smoke", "--set", "phases[-1].rate=1"],
    exit: 1,
    first:
      'error: --set "phases[-1].rate=1": phases is a list, "-1" is not an index — fix: index it, e.g. --set phases[0]…',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a name where an index belongs",
    argv: ["run", "smoke", "--set", "phases.x=1"],
    exit: 1,
    first:
      'error: --set "phases.x=1": phases is a list, "x" is not an index — fix: index it, e.g. --set phases[0]…',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a misspelt key",
    argv: ["run", "smoke", "--set", "operator.qpss=80"],
    exit: 1,
    first:
      'error: --set "operator.qpss=80": operator has no field "qpss" (did you mean "qps"?) — fix: its fields: …',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a field the phase does not have",
    argv: ["run", "smoke", "--set", "phases[1].rate=5"],
    exit: 1,
    first: 'error: --set "phases[1].rate=5": phases[1] has no field "rate" — fix: its fields: …',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a value of the wrong type",
    argv: ["run", "smoke", "--set", "operator.qps=abc"],
    exit: 1,
    first:
      'error: --set "operator.qps=abc": operator.qps: expected number, got "abc" — fix: docs/scenarios.md lists every field, its shape and default',
  },
  {
    kind: "cli",
    area: "--set",
    what: "a path through a number",
    argv: ["run", "smoke", "--set", "mesh.sites.x=1"],
    exit: 1,
    first:
      'error: --set "mesh.sites.x=1": mesh.sites is 50, which has no field "x" — fix: set mesh.sites itself',
  },
  {
    kind: "cli",
    area: "--set",
    what: "no =",
    argv: ["run", "smoke", "--set", "operator"],
    exit: 1,
    first: 'error: --set "operator" is not key=value — fix: write e.g. --set mesh.sites=200',
  },
  {
    kind: "cli",
    area: "--set",
    what: "an unknown embedded-cluster knob",
    argv: ["run", "smoke", "--set", "cluster.knobs.maxInflight=10"],
    exit: 1,
    first:
      'error: --set "cluster.knobs.maxInflight=10": cluster.knobs.maxInflight: unknown knob (the embedded cluster\'s: …',
  },
  // --out
  {
    kind: "cli",
    area: "--out",
    what: "a path on /proc",
    argv: ["run", "smoke", "--out", "/proc/patronus-bench-run"],
    exit: 1,
    first:
      "error: --out /proc/patronus-bench-run: /proc is a kernel pseudo-filesystem (proc) that holds no files — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
    leavesNothing: ["/proc/patronus-bench-run"],
  },
  {
    kind: "cli",
    area: "--out",
    what: "a path on /sys",
    argv: ["run", "smoke", "--out", "/sys/patronus-bench-run"],
    exit: 1,
    first:
      "error: --out /sys/patronus-bench-run: /sys is a kernel pseudo-filesystem (sysfs) that holds no files — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
  },
  {
    kind: "cli",
    area: "--out",
    what: "an unknown sink",
    argv: ["run", "smoke", "--out", "influxdb=http://127.0.0.1:8086"],
    exit: 1,
    first:
      'error: --out influxdb=http://127.0.0.1:8086: unknown sink "influxdb" — fix: --out takes a directory or a sink: json=FILE, csv=FILE, prometheus-rw=URL',
  },
  {
    kind: "cli",
    area: "--out",
    what: "a remote-write target that is not an http URL",
    argv: ["run", "smoke", "--out", "prometheus-rw=localhost:9090"],
    exit: 1,
    first:
      "error: --out prometheus-rw=localhost:9090: expected an http:// or https:// URL — fix: e.g. --out prometheus-rw=http://127.0.0.1:9090/api/v1/write",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "a git: ref with the operator in a container",
    argv: ["ab", "smoke", "--base", "git:HEAD", "--head", "reference", "--set", "operator.runtime=container"],
    exit: 1,
    first:
      "error: base (git:HEAD): a git: ref runs the revision's reference operator as a process, not with operator.runtime=container (the image holds this checkout's operator) — fix: drop --set operator.runtime (the cluster provider can stay: kind and kubeconfig clusters work)",
  },
  {
    kind: "cli",
    area: "--out",
    what: "an unknown sink on ab",
    argv: [
      "ab",
      "smoke",
      "--base",
      "reference",
      "--head",
      "reference",
      "--out",
      "influxdb=http://127.0.0.1:8086",
    ],
    exit: 1,
    first:
      'error: --out influxdb=http://127.0.0.1:8086: unknown sink "influxdb" — fix: --out takes a directory or a sink: json=FILE, csv=FILE, prometheus-rw=URL',
  },
  {
    kind: "cli",
    area: "--out",
    what: "a sink file that is a directory, on profile",
    files: { "a-dir/.keep": "" },
    argv: ["profile", "smoke", "--out", "json=<tmp>/a-dir"],
    exit: 1,
    first:
      "error: --out json=<tmp>/a-dir: is a directory — fix: name a file, e.g. --out json=<tmp>/a-dir/stream.jsonl",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "a --dashboard port that is not a number",
    argv: ["run", "smoke", "--dashboard", "http"],
    exit: 1,
    first:
      "error: --dashboard http: not a port number — fix: give --dashboard a free TCP port (1-65535), or 0 for any free port, e.g. --dashboard 5665",
  },
  {
    kind: "cli",
    area: "--out",
    what: "an existing file",
    files: { "a-file": "" },
    argv: ["run", "smoke", "--out", "<tmp>/a-file"],
    exit: 1,
    first:
      "error: --out <tmp>/a-file: is an existing file, not a directory — fix: remove it, or give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
  },
  {
    kind: "cli",
    area: "--out",
    what: "a path under a file",
    files: { "a-file": "" },
    argv: ["run", "smoke", "--out", "<tmp>/a-file/run"],
    exit: 1,
    first:
      "error: --out <tmp>/a-file/run: <tmp>/a-file is a file, so no directory can be created under it — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
  },
  {
    kind: "cli",
    area: "--out",
    what: "a directory this user cannot write",
    files: { "read-only/.keep": "" },
    argv: ["run", "smoke", "--out", "<tmp>/read-only/run"],
    unprivileged: true,
    exit: 1,
    first:
      "error: --out <tmp>/read-only/run: cannot be created: <tmp>/read-only is not writable by this user — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
    leavesNothing: ["<tmp>/read-only/run"],
  },
  {
    kind: "cli",
    area: "--out",
    what: "compare --out on /proc",
    argv: [
      "compare",
      "<repo>/fixtures/results/churn",
      "<repo>/fixtures/results/churn",
      "--out",
      "/proc/patronus-bench-compare",
    ],
    exit: 1,
    first:
      "error: --out /proc/patronus-bench-compare: /proc is a kernel pseudo-filesystem (proc) that holds no files — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
  },
  {
    kind: "cli",
    area: "--out",
    what: "report --out under a file",
    files: { "a-file": "" },
    argv: ["report", "<repo>/fixtures/results/churn", "--out", "<tmp>/a-file/report"],
    exit: 1,
    first:
      "error: --out <tmp>/a-file/report: <tmp>/a-file is a file, so no directory can be created under it — fix: give --out a directory (new or existing) on a writable disk, e.g. --out reports/my-run",
  },
  {
    kind: "cli",
    area: "--out",
    what: "manifests --out (a file) on /proc",
    argv: ["manifests", "--out", "/proc/patronus-bench.yaml"],
    exit: 1,
    first:
      "error: --out /proc/patronus-bench.yaml: /proc is a kernel pseudo-filesystem (proc) that holds no files — fix: give --out a file in a writable directory on a disk",
  },
  {
    kind: "cli",
    area: "--out",
    what: "manifests --out naming a directory",
    files: { "a-dir/.keep": "" },
    argv: ["manifests", "--out", "<tmp>/a-dir"],
    exit: 1,
    first: "error: --out <tmp>/a-dir: is a directory — fix: name a file, e.g. --out <tmp>/a-dir/a-dir.yaml",
  },
  {
    kind: "cli",
    area: "--out",
    what: "history --index under a file",
    files: { "a-file": "" },
    argv: ["history", "<tmp>", "--index", "<tmp>/a-file/history.jsonl", "--rebuild"],
    exit: 1,
    first:
      "error: --index <tmp>/a-file/history.jsonl: <tmp>/a-file is an existing file, not a directory — fix: give --index a file in a writable directory on a disk",
  },
  // Operator definitions
  {
    kind: "cli",
    area: "Operator definitions",
    what: "an operator that is not built in",
    argv: ["run", "smoke", "--operator", "nosuch"],
    exit: 1,
    first:
      'error: no built-in operator named "nosuch" — fix: use one of reference, patronus-rs, or a path to your own definition file (./my-operator.ts)',
  },
  {
    kind: "cli",
    area: "Operator definitions",
    what: "a definition file that does not exist",
    argv: ["run", "smoke", "--operator", "<tmp>/nosuch-operator.ts"],
    exit: 1,
    first:
      "error: operator definition file <tmp>/nosuch-operator.ts does not exist — fix: pass a built-in name (reference, patronus-rs) or the path of a definition file",
  },
  // Results files
  {
    kind: "cli",
    area: "Results files",
    what: "report of a missing directory",
    argv: ["report", "<tmp>/nothere"],
    exit: 1,
    first:
      "error: results not found: <tmp>/nothere — fix: pass a run directory (containing results.json) or a results.json file",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "report of a directory without results.json",
    files: { "empty-run/.keep": "" },
    argv: ["report", "<tmp>/empty-run"],
    exit: 1,
    first:
      "error: <tmp>/empty-run is a directory without results.json — fix: pass a run directory written by `patronus-bench run` (the run may not have finished)",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "a truncated results.json",
    files: { "truncated/results.json": '{"schemaVersion": 2, "run": {"id": "x", ' },
    argv: ["report", "<tmp>/truncated"],
    exit: 1,
    first:
      "error: <tmp>/truncated/results.json is not valid JSON (it looks truncated): Expected double-quoted property name in JSON at position 40 (line 1 column 41) (40 bytes) — fix: the file is incomplete (an interrupted copy or write); re-run the scenario or restore it from the run's artifacts",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "a results.json that is not JSON",
    files: { "text/results.json": "hello\nworld\n" },
    argv: ["compare", "<repo>/fixtures/results/churn", "<tmp>/text"],
    exit: 1,
    first:
      "error: <tmp>/text/results.json is not valid JSON: Unexpected token 'h', \"hello world \" is not valid JSON (12 bytes) — fix: restore the file from the run's artifacts or re-run the scenario",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "a newer schemaVersion",
    files: { "future/results.json": '{"schemaVersion": 9}' },
    argv: ["compare", "<repo>/fixtures/results/churn", "<tmp>/future"],
    exit: 1,
    first:
      "error: <tmp>/future/results.json uses results schemaVersion 9, newer than the schemaVersion 2 this patronus-bench reads — fix: upgrade patronus-bench (pull the newer harness) to read it; see harness/results/MIGRATIONS.md",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "a results.json of the wrong shape",
    files: { "shape/results.json": '{"schemaVersion": 2, "run": 5}' },
    argv: ["report", "<tmp>/shape"],
    exit: 1,
    first:
      'error: <tmp>/shape/results.json does not match results schemaVersion 2: run: Invalid input: expected object, received number; verdict: Invalid option: expected one of "pass"|"fail"|"inconclusive"; metrics: Invalid input: expected record, received undefined; thresholds: Invalid input: expected array, received undefined; phases: Invalid input: expected array, received undefined (and 3 more) — fix: see harness/results/results.schema.json for the expected shape',
  },
  {
    kind: "cli",
    area: "Results files",
    what: "history without an index",
    argv: ["history", "<tmp>/no-history"],
    exit: 1,
    first:
      "error: history index not found: <tmp>/no-history/history.jsonl — fix: runs append to reports/history.jsonl; build one from existing run directories with `patronus-bench history DIR --rebuild`",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "an older schemaVersion",
    files: { "ancient/results.json": '{"schemaVersion": 0}' },
    argv: ["report", "<tmp>/ancient"],
    exit: 1,
    first:
      "error: <tmp>/ancient/results.json uses results schemaVersion 0, older than the schemaVersion 1 this patronus-bench reads — fix: re-run the scenario with this version, or read it with the patronus-bench release that wrote it (see harness/results/MIGRATIONS.md for what changed in 2)",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "a JSON file that is not a results file",
    files: { "other/results.json": "{}" },
    argv: ["report", "<tmp>/other"],
    exit: 1,
    first:
      "error: <tmp>/other/results.json has no schemaVersion, so it is not a patronus-bench results file — fix: pass the results.json written by `patronus-bench run` (or its run directory)",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "ab-analyze of a directory no A/B wrote",
    argv: ["ab-analyze", "<repo>/fixtures/results/churn"],
    exit: 1,
    first:
      "error: <repo>/fixtures/results/churn/ab.json: no such file — fix: give the directory an `ab` run wrote (it holds ab.json, base/ and head/)",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "ab-analyze of several A/Bs without --trials",
    argv: ["ab-analyze", "<repo>/fixtures/results/churn", "<repo>/fixtures/results/scale-1000"],
    exit: 1,
    first:
      "error: ab-analyze: 2 directories, but one A/B is answered at a time — fix: give one directory, or cut several A/Bs of the same refs into trials with --trials N",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "ab-analyze --confidence 1",
    argv: ["ab-analyze", "<repo>/fixtures/results/churn", "--confidence", "1"],
    exit: 1,
    first:
      "error: option '--confidence <level>' argument '1' is invalid. must be between 0 and 1 — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "CLI flags",
    what: "run --dashboard-linger that is not whole seconds",
    argv: ["run", "smoke", "--dashboard", "--dashboard-linger", "abc"],
    exit: 1,
    first:
      "error: option '--dashboard-linger <seconds>' argument 'abc' is invalid. must be a whole number of seconds, 0 or more — fix: see `patronus-bench <command> --help`",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "spread of a missing directory",
    argv: ["spread", "<tmp>/nothere"],
    exit: 1,
    first:
      "error: results not found: <tmp>/nothere — fix: pass a run directory (containing results.json) or a results.json file",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "spread of one run",
    argv: ["spread", "<repo>/fixtures/results/churn"],
    exit: 1,
    first:
      "error: the spread needs at least 2 runs of one scenario, found 1 — fix: pass a run directory written with --repeat N (N ≥ 2), or two or more results files or run directories",
  },
  {
    kind: "cli",
    area: "Results files",
    what: "spread of runs of different scenarios",
    argv: ["spread", "<repo>/fixtures/results/churn-aa-base", "<repo>/fixtures/results/scale-1000"],
    exit: 1,
    first:
      "error: the runs are of different scenarios (churn × 5, scale-1000 × 1): their figures are not repeats — fix: pass runs of one scenario only",
  },
  // Mesh simulator API
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "malformed JSON",
    method: "POST",
    path: "/api/v1/sites",
    body: { raw: '{"name": "a",' },
    status: 400,
    first:
      "bad_request: malformed JSON body: Expected double-quoted property name in JSON at position 13 (line 1 column 14)",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "no body",
    method: "POST",
    path: "/api/v1/sites",
    status: 400,
    first: "bad_request: request body is required",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "an unknown field",
    method: "POST",
    path: "/api/v1/sites",
    body: { site: { surprise: true } },
    status: 400,
    first: "bad_request: surprise: unknown field(s): surprise",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "a field of the wrong value",
    method: "POST",
    path: "/api/v1/sites",
    body: { site: { name: "Not_A_Label" } },
    status: 400,
    first: "bad_request: name: must be a DNS-1123 label",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "a body over the limit",
    method: "PUT",
    path: "/api/v1/meshes/big/tunnels",
    body: { raw: JSON.stringify({ tunnels: [], pad: "x".repeat(2 * 1024 * 1024) }) },
    status: 413,
    first: "payload_too_large: request body of 2097175 bytes exceeds the limit of 1048576 bytes",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "an unknown site",
    method: "GET",
    path: "/api/v1/sites/ghost",
    status: 404,
    first: "not_found: site ghost is not registered",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "a bad query parameter",
    method: "GET",
    path: "/api/v1/sites?limit=0",
    status: 400,
    first: "bad_request: limit: Too small: expected number to be >=1",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "no bearer token",
    method: "GET",
    path: "/api/v1/sites",
    token: "none",
    status: 401,
    first: "unauthorized: missing bearer token (Authorization: Bearer <token>)",
  },
  {
    kind: "api",
    area: "Mesh simulator API",
    what: "a fault without its field",
    method: "POST",
    path: "/faults/v1/degrade",
    body: { json: { target: { kind: "site", site: "<site>" } } },
    status: 400,
    first: "bad_request: addLatencyMs: set at least one of addLatencyMs, addJitterMs, addLossPercent above 0",
  },
];
