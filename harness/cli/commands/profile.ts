/** `patronus-bench profile <scenario>`: a run with the operator leader profiled over a phase window. */
import type { Command } from "commander";
import { checkOutArguments } from "../../outputs/spec.ts";
import { addOperatorOptions } from "../operator-options.ts";
import { collect, positiveInt } from "../option-parsers.ts";

export function register(program: Command): void {
  const command = program
    .command("profile")
    .description(
      "Run a scenario with the operator leader profiled during a window of phases (not start-up); " +
        "writes the profile artifacts and results.json `profile` (hot paths) next to the run's results",
    )
    .argument("<scenario>", "built-in scenario name or path to a .ts scenario file")
    // Validated by the profiler (zod) so an unknown tool gets the same one-line error everywhere.
    .option("--tool <tool>", "cpu | heap | flame | doctor", "cpu")
    .option(
      "--window <phase>",
      "phase to profile, or FROM..TO for a span of phases (default: the main load phase)",
    )
    .option(
      "--out <dir|sink>",
      "output directory (default reports/<scenario>-profile-<tool>-<timestamp>/); repeatable beside it: " +
        "json=FILE, csv=FILE, prometheus-rw=URL stream the run, labelled profile_tool (docs/outputs.md)",
      collect,
      [],
    )
    .option("--top <n>", "how many functions to keep in the hot-path lists", positiveInt, 20)
    .option("--sites <n>", "resize the mesh (and the create phases that fill it) to N sites", positiveInt)
    .option("--set <key=value>", "override a scenario field (repeatable)", collect, []);
  addOperatorOptions(command)
    .addHelpText(
      "after",
      "\nTools:\n" +
        "  cpu     V8 CPU profile over the window (.cpuprofile for Chrome DevTools/speedscope), top functions\n" +
        "          by self and total time grouped by operator module → results.json profile.hotPaths\n" +
        "  heap    sampling heap profile (.heapprofile, top allocation sites) + heap-used/RSS series, growth flag\n" +
        "  flame   cpu + a self-contained flame graph HTML\n" +
        "  doctor  event-loop delay, GC and CPU series with findings (clinic doctor does not run on this Node)\n" +
        "cpu, heap and flame attach to a Node.js operator's V8 inspector; doctor reads any operator's /metrics.\n" +
        "Exit codes: 0 profiled, 1 harness error, 130 interrupted (Ctrl-C ends the phase, lets the\n" +
        "profiler go, stops every process, writes no results; Ctrl-C again stops at once)\n" +
        "Examples:\n  patronus-bench profile smoke\n  patronus-bench profile churn --tool heap\n" +
        "  patronus-bench profile scale-1000 --window burst..paths-ready --tool flame\n" +
        "  patronus-bench profile smoke --operator ./my-operator.ts --tool doctor",
    )
    .action(async (scenario: string, o) => {
      // Before anything starts: a bad --out is a one-line error, nothing created.
      const out = await checkOutArguments(o.out);
      const { profileScenario } = await import("../../profile/index.ts");
      // Ctrl-C as in run: the phase ends, the profiler lets go, processes stop, no results are written.
      const { interruptible } = await import("../interrupt.ts");
      const outcome = await interruptible("profile run", (interrupt) =>
        profileScenario(scenario, {
          tool: o.tool,
          ...(o.window ? { window: o.window } : {}),
          ...(out.dir ? { out: out.dir } : {}),
          ...(out.sinks.length > 0 ? { sinks: out.sinks } : {}),
          top: o.top,
          set: o.set,
          ...(o.sites === undefined ? {} : { sites: o.sites }),
          ...(o.operator ? { operator: o.operator } : {}),
          ...(o.operatorSource ? { operatorSource: o.operatorSource } : {}),
          interrupt,
        }),
      );
      const lines = [
        `profile (${o.tool}) of ${scenario}: ${outcome.dir}`,
        ...outcome.lines,
        ...outcome.artifacts.map((a) => `artifact: ${a}`),
        `run verdict: ${outcome.results.verdict} (thresholds are measured with the profiler attached)`,
      ];
      const { renderSinkReports } = await import("../../outputs/index.ts");
      process.stdout.write(`${lines.join("\n")}\n${renderSinkReports(outcome.sinks)}`);
    });
}
