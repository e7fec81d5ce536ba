/**
 * npm run dashboards:generate: writes dashboards/*.json from harness/outputs/grafana/.
 * `--check` writes nothing and exits 1 naming each file that is out of date.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../results/write.ts";
import { DASHBOARDS_DIR, dashboardJson, shippedDashboards } from "./index.ts";

/** Each shipped dashboard's path, its committed text (or undefined) and the text it should have. */
export async function expectedDashboards(): Promise<
  Array<{ path: string; current: string | undefined; expected: string }>
> {
  return (await shippedDashboards()).map(({ file, dashboard }) => {
    const path = join(DASHBOARDS_DIR, file);
    return {
      path,
      current: existsSync(path) ? readFileSync(path, "utf8") : undefined,
      expected: dashboardJson(dashboard),
    };
  });
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  if (!check) mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const d of await expectedDashboards()) {
    if (d.current === d.expected) continue;
    stale.push(d.path);
    if (!check) await writeFileAtomic(d.path, d.expected);
  }
  if (check && stale.length > 0) {
    console.error(`out of date: ${stale.join(", ")} — run npm run dashboards:generate`);
    process.exit(1);
  }
  console.log(check ? "dashboards: current" : `dashboards: ${stale.length} file(s) written`);
}
