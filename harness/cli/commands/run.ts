/** `patronus-bench run <name|path>`: run a built-in scenario or a scenario file. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { HarnessError } from "../../errors.ts";
import { dashboardUrl, listenDashboard, parseDashboardPort } from "../../outputs/live/port.ts";
import type { LiveView } from "../../outputs/live/view.ts";
import { checkOutArguments } from "../../outputs/spec.ts";
import { onFirstSignal } from "../../process/supervisor.ts";
import { addContaminationOptions, applyContaminationOptions } from "../contamination-options.ts";
import { addOperatorOptions } from "../operator-options.ts";
import { collect, positiveInt } from "../option-parsers.ts";

/** After the run, the live view serves the report this long unless --dashboard-linger says otherwise. */
const DEFAULT_LINGER_SECONDS = 120;

function parseLingerSeconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number of seconds, 0 or more");
  return Number(value);
}

/** The live view's page, listening before the run starts (its URL on stderr). */
async function openLiveView(port: number, scenario: string, lingerSeconds: number) {
  const server = await listenDashboard(port);
  const { LiveView } = await import("../../outputs/live/view.ts");
  const view = await LiveView.open(server, scenario, { lingerSeconds }).catch((err) => {
    server.close();
    throw err;
  });
  const after = lingerSeconds > 0 ? `, then its report for ${lingerSeconds} s` : "";
  process.stderr.write(`live view: ${dashboardUrl(server)} (during the run${after})\n`);
  return view;
}

/** Serves the page and the report after the run; Ctrl-C ends the wait, not the command's exit code. */
async function lingerThenClose(live: LiveView): Promise<void> {
  const stop = new AbortController();
  const release = onFirstSignal(() => stop.abort());
  try {
    await live.linger(stop.signal);
  } finally {
    release();
    await live.close();
  }
}

export function register(program: Command): void {
  const command = program
    .command("run")
    .description(
      "Run a scenario (a built-in name, see `list`, or a path to a scenario file) and write results.json",
    )
    .argument("<scenario>", "built-in scenario name or path to a .ts scenario file")
    .option("--sites <n>", "resize the mesh (and the create phases that fill it) to N sites", positiveInt)
    .addOption(
      new Option(
        "--cluster <provider>",
        "where to run: embedded (default), kind (kind-config.yaml's cluster, created or reused; node image " +
          "$KIND_NODE_IMAGE, kind's, or ci/kind/node-image/build.sh's) or kubeconfig",
      ).choices(["embedded", "kind", "kubeconfig"]),
    )
    .option("--kubeconfig <file>", "kubeconfig for --cluster kubeconfig")
    .addOption(
      new Option(
        "--runtime <runtime>",
        "run the operator as a process, as a container of the project image with pod-like limits " +
          "(operator.resources, default 500m CPU / 256Mi; needs a Docker engine and ci/container/build-image.sh), " +
          "or in the cluster (kind/kubeconfig: the generated Deployments of operator and simulator, reached by port-forward)",
      ).choices(["process", "container", "cluster"]),
    )
    .addOption(
      new Option(
        "--mesh-runtime <runtime>",
        "run the mesh simulator as a process, a container or in the cluster (default: cluster with --runtime cluster)",
      ).choices(["process", "container", "cluster"]),
    )
    .option("--repeat <n>", "run N times; writes repeat-<i>/ and a merged results.json", positiveInt)
    .option(
      "--out <dir|sink>",
      "output directory (default reports/<scenario>-<timestamp>/, and reports/latest); repeatable beside it: " +
        "json=FILE, csv=FILE, prometheus-rw=URL stream the run's samples as it goes (docs/outputs.md)",
      collect,
      [],
    )
    .option(
      "--set <key=value>",
      "override a scenario field, e.g. --set operator.qps=80 (repeatable)",
      collect,
      [],
    )
    .option(
      "--keep",
      "kind/kubeconfig: leave the cluster, the run's objects and the in-cluster operator and simulator in place " +
        "(a kind cluster goes with `patronus-bench kind down`)",
    );
  addOperatorOptions(command);
  addContaminationOptions(command)
    .option(
      "--dashboard [port]",
      "serve a live view of the run on http://127.0.0.1:PORT/ (default 5665; 0: any free port): progress, " +
        "the report's charts as they grow and the event log; after the run, the report (docs/outputs.md)",
    )
    .option(
      "--dashboard-linger <seconds>",
      `with --dashboard: how long the page and the report stay served after the run (Ctrl-C stops sooner; 0: not at all)`,
      parseLingerSeconds,
      DEFAULT_LINGER_SECONDS,
    )
    .option("--no-report", "do not render index.html, summary.md and junit.xml")
    .addHelpText(
      "after",
      "\nExit codes: 0 all thresholds passed, 99 a threshold failed, 98 inconclusive (nothing failed, but other\n" +
        "work on the machine used more than --contamination-share of the cores, or the capacity probe moved more\n" +
        "than --contamination-probe-change between the run's start and end: timing thresholds not judged),\n" +
        "1 harness error, 130 interrupted\n" +
        "(Ctrl-C ends the phase, removes the run's objects, writes no results; Ctrl-C again stops at once).\n" +
        "Examples:\n  patronus-bench run smoke\n  patronus-bench run scale-1000 --repeat 3\n" +
        "  patronus-bench run ./my-scenario.ts --set mesh.sites=200 --set operator.replicas=2\n" +
        "  patronus-bench run smoke --runtime container --set operator.resources.cpu=250m\n" +
        "  patronus-bench run smoke --operator patronus-rs --operator-source ../shared/upstream/patronus-operator\n" +
        "  patronus-bench run failover-leader --cluster kind --runtime cluster\n" +
        "  patronus-bench run failover-controlplane --cluster kind",
    )
    .action(async (scenario: string, o) => {
      await applyContaminationOptions(o);
      // Before the scenario loads or anything starts: a bad --out is a one-line error, nothing created.
      const out = await checkOutArguments(o.out);
      const dashboardPort = o.dashboard === undefined ? undefined : parseDashboardPort(o.dashboard);
      if (o.kubeconfig && !existsSync(o.kubeconfig)) {
        throw new HarnessError(`--kubeconfig ${resolve(o.kubeconfig)} does not exist`, {
          fix: "pass the path of a kubeconfig file (or leave --kubeconfig out to use $KUBECONFIG)",
        });
      }
      // Loaded on use: the CLI starts fast for every other command.
      const { runScenarioCommand } = await import("../../run/index.ts");
      // The runtime flags are shorthands for --set, applied after the scenario's own --set values.
      const set: string[] = [...o.set];
      if (o.runtime) set.push(`operator.runtime=${o.runtime}`);
      // In-cluster, the operator reaches the simulator by its Service: the simulator goes along.
      const meshRuntime = o.meshRuntime ?? (o.runtime === "cluster" ? "cluster" : undefined);
      if (meshRuntime) set.push(`mesh.runtime=${meshRuntime}`);
      // Ctrl-C ends the run the careful way: its operator still runs while the objects it created
      // on a cluster the harness does not own are removed. A second Ctrl-C stops everything at once.
      const { interruptible } = await import("../interrupt.ts");
      // Bound last among the checks, so a busy port is refused before anything starts; the page
      // answers from here on and is closed however the command ends.
      const live =
        dashboardPort === undefined
          ? undefined
          : await openLiveView(dashboardPort, scenario, o.dashboardLinger);
      try {
        await interruptible("run", (interrupt) =>
          runScenarioCommand(scenario, {
            ...(live ? { live } : {}),
            set,
            interrupt,
            ...(o.sites === undefined ? {} : { sites: o.sites }),
            ...(o.cluster ? { cluster: o.cluster } : {}),
            ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
            ...(o.operator ? { operator: o.operator } : {}),
            ...(o.operatorSource ? { operatorSource: o.operatorSource } : {}),
            ...(o.repeat === undefined ? {} : { repeat: o.repeat }),
            ...(out.dir ? { out: out.dir } : {}),
            ...(out.sinks.length > 0 ? { sinks: out.sinks } : {}),
            noReport: o.report === false,
            ...(o.keep ? { keep: true } : {}),
          }),
        );
      } catch (err) {
        live?.finish({ verdict: "error", message: (err as Error).message });
        throw err;
      } finally {
        if (live) await lingerThenClose(live);
      }
    });
}
