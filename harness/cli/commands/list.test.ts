import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../main.ts";

async function captured(argv: string[]): Promise<{ code: number; out: string }> {
  const log = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    const code = await main(argv);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

test("list shows the operators with what each has and lacks", async () => {
  const { code, out } = await captured(["list"]);
  assert.equal(code, 0);
  assert.match(out, /^ {2}smoke\s/m);
  assert.match(out, /^ {2}reference\s+the TypeScript operator/m);
  assert.match(
    out,
    /Sites, Policies, Meshes, Paths; leader election \(Lease patronus-system\/patronus-operator\); finalizers/,
  );
  assert.match(out, /^ {2}patronus-rs\s+the upstream Patronus operator/m);
  assert.match(
    out,
    /Sites, Policies; no Mesh\/Path; no leader election; no finalizers; built from --operator-source/,
  );

  const json = JSON.parse((await captured(["list", "--json"])).out) as {
    operators: Array<{ name: string; lacks: string[]; leaderElection: string | null }>;
  };
  const rs = json.operators.find((o) => o.name === "patronus-rs");
  assert.deepEqual(rs?.lacks, ["Mesh", "Path"]);
  assert.equal(rs?.leaderElection, null);
});
