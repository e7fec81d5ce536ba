/**
 * `--out` sinks on `ab` and `profile`, spelled as on `run`: every run of an A/B comparison reaches
 * the sinks labelled with its side and pair, a profiled run labelled with its tool; the summary
 * counts what each sink sent. The remote-write receiver is a loopback server of this test that
 * decodes what it is sent.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { decodeWriteRequest } from "../../../harness/outputs/remote-write/protocol.ts";
import { loadResults } from "../../../harness/results/load.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

describe("--out sinks on ab and profile", { concurrency: false }, () => {
  let server: Server;
  let url = "";
  /** The label sets of every series received. */
  const received: Array<Record<string, string>> = [];

  before(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      for (const s of decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))))
        received.push(Object.fromEntries(s.labels.map((l) => [l.name, l.value])));
      res.writeHead(204).end();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const verdicts = () => received.filter((l) => l.__name__ === "patronus_bench_verdict");

  it("ab: each run of both sides streamed, labelled ab_side and ab_pair", { timeout: 600_000 }, async () => {
    received.length = 0;
    const dir = mkdtempSync(join(tmpdir(), "ab-sinks-"));
    const stream = join(dir, "stream.jsonl");
    const res = await execa(
      process.execPath,
      [
        CLI,
        ...["ab", "smoke", "--base", "reference", "--head", "reference", "--pairs", "1", "--no-report"],
        ...["--out", dir, "--out", `prometheus-rw=${url}`, "--out", `json=${stream}`],
        ...["--set", "cluster.knobs.startTimeoutSeconds=240"],
      ],
      { cwd: ROOT, reject: false, timeout: 580_000, env: { CI: "1" } },
    );
    assert.ok([0, 98, 99].includes(res.exitCode ?? -1), `exit ${res.exitCode}\n${res.stderr.slice(-3000)}`);
    const ab = JSON.parse(readFileSync(join(dir, "ab.json"), "utf8")) as {
      base: { runIds: string[] };
      head: { runIds: string[] };
    };
    for (const side of ["base", "head"] as const) {
      const [runId] = ab[side].runIds;
      const v = verdicts().filter((l) => l.run_id === runId);
      assert.equal(v.length, 1, `${side}: one verdict for ${runId}`);
      assert.deepEqual(
        [v[0]!.ab_side, v[0]!.ab_pair, v[0]!.operator, v[0]!.scenario],
        [side, "1", "reference", "smoke"],
      );
    }
    const lines = readFileSync(stream, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; run_id: string });
    assert.deepEqual(
      lines
        .filter((l) => l.type === "verdict")
        .map((l) => l.run_id)
        .sort(),
      [...ab.base.runIds, ...ab.head.runIds].sort(),
      "the json stream has both runs' verdicts",
    );
    assert.match(res.stdout, /out prometheus-rw=\S+: [1-9]\d* sent, 0 dropped/);
    assert.match(res.stdout, /out json=\S+: [1-9]\d* sent, 0 dropped/);
  });

  it("profile: the run streamed, labelled profile_tool; results.json counts what was sent", {
    timeout: 600_000,
  }, async () => {
    received.length = 0;
    const dir = mkdtempSync(join(tmpdir(), "profile-sinks-"));
    const res = await execa(
      process.execPath,
      [CLI, "profile", "smoke", "--tool", "cpu", "--out", dir, "--out", `prometheus-rw=${url}`],
      { cwd: ROOT, reject: false, timeout: 580_000, env: { CI: "1" } },
    );
    assert.equal(res.exitCode, 0, `${res.stderr.slice(-3000)}`);
    const results = await loadResults(join(dir, "results.json"));
    const v = verdicts();
    assert.equal(v.length, 1);
    assert.deepEqual(
      [v[0]!.run_id, v[0]!.profile_tool, v[0]!.verdict],
      [results.run.id, "cpu", results.verdict],
    );
    const sent = results.metrics[`output_samples_sent{sink="prometheus-rw",target="${url}"}`];
    assert.ok(sent?.type === "counter" && sent.value > 0);
    assert.match(res.stdout, new RegExp(`out prometheus-rw=\\S+: ${sent.value} sent, 0 dropped`));
  });
});
