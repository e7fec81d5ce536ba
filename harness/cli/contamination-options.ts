/**
 * The flags that say when a run counts as contaminated by other work on the machine, for every
 * command that starts runs (`run`, `ab`). The runs judge their results in this process and read
 * the limits from its environment, so the flags set it.
 */
import type { Command } from "commander";
import { share } from "./option-parsers.ts";

export function addContaminationOptions(command: Command): Command {
  return command
    .option(
      "--contamination-share <share>",
      "mark a run contaminated (timing thresholds inconclusive, exit 98) when other processes used more than this share of the cores on average (default 0.25)",
      share,
    )
    .option(
      "--contamination-probe-change <share>",
      "mark a run contaminated when the capacity probe (fixed CPU work on every core, timed at the run's start and end) moved more than this share between them (default 0.25: 1.25× either way)",
      share,
    );
}

export async function applyContaminationOptions(o: {
  contaminationShare?: number;
  contaminationProbeChange?: number;
}): Promise<void> {
  if (o.contaminationShare === undefined && o.contaminationProbeChange === undefined) return;
  const { CONTAMINATION_SHARE_ENV, PROBE_CHANGE_ENV } = await import("../measure/machine/contamination.ts");
  if (o.contaminationShare !== undefined) process.env[CONTAMINATION_SHARE_ENV] = String(o.contaminationShare);
  if (o.contaminationProbeChange !== undefined)
    process.env[PROBE_CHANGE_ENV] = String(o.contaminationProbeChange);
}
