/** Every CLI command registers itself here; one module per command. */
import type { Command } from "commander";
import { register as ab } from "./ab.ts";
import { register as abAnalyze } from "./ab-analyze.ts";
import { register as compare } from "./compare.ts";
import { register as controlplane } from "./controlplane.ts";
import { register as dashboards } from "./dashboards.ts";
import { register as doctor } from "./doctor.ts";
import { register as history } from "./history.ts";
import { register as kind } from "./kind.ts";
import { register as list } from "./list.ts";
import { register as manifests } from "./manifests.ts";
import { register as mesh } from "./mesh.ts";
import { register as operator } from "./operator.ts";
import { register as profile } from "./profile.ts";
import { register as report } from "./report.ts";
import { register as run } from "./run.ts";
import { register as spread } from "./spread.ts";
import { register as up } from "./up.ts";

export function registerCommands(program: Command): void {
  up(program);
  controlplane(program);
  doctor(program);
  report(program);
  compare(program);
  spread(program);
  ab(program);
  abAnalyze(program);
  history(program);
  dashboards(program);
  mesh(program);
  run(program);
  list(program);
  operator(program);
  profile(program);
  manifests(program);
  kind(program);
}
