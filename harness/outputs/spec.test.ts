import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HarnessError } from "../errors.ts";
import { checkOutArguments, parseOutArguments } from "./spec.ts";

describe("--out arguments", () => {
  it("known sink names are sinks, anything else the directory, in any order", () => {
    assert.deepEqual(
      parseOutArguments([
        "json=a.jsonl",
        "reports/x",
        "prometheus-rw=http://127.0.0.1:9090/api/v1/write",
        "csv=b.csv",
      ]),
      {
        dir: "reports/x",
        sinks: [
          { kind: "json", target: "a.jsonl" },
          { kind: "prometheus-rw", target: "http://127.0.0.1:9090/api/v1/write" },
          { kind: "csv", target: "b.csv" },
        ],
      },
    );
    assert.deepEqual(parseOutArguments(["Results=2026/x"]), { dir: "Results=2026/x", sinks: [] });
  });

  it("an unknown sink, an empty target, a non-http URL or two directories are one-line errors", () => {
    for (const [args, says] of [
      [["influxdb=http://x"], /unknown sink "influxdb"/],
      [["json="], /needs a target/],
      [["prometheus-rw=ftp://host/x"], /http/],
      [["prometheus-rw=not a url"], /URL/i],
      [["a", "b"], /second output directory/],
    ] as const) {
      assert.throws(
        () => parseOutArguments(args),
        (err: unknown) => {
          assert.ok(err instanceof HarnessError);
          assert.match(err.message, says);
          assert.ok(!err.message.includes("\n"));
          return true;
        },
      );
    }
  });

  it("file sinks are checked before the run: a directory in the way is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "out-args-"));
    writeFileSync(join(dir, "file"), "");
    await assert.rejects(checkOutArguments([`json=${dir}`]), /is a directory/);
    await assert.rejects(checkOutArguments([`csv=${join(dir, "file", "x.csv")}`]), HarnessError);
    const ok = await checkOutArguments([join(dir, "run"), `csv=${join(dir, "new", "x.csv")}`]);
    assert.equal(ok.sinks.length, 1);
  });
});
