import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BOUNDED_RUNTIME, dockerdArgs } from "./docker-engine.ts";

const status = (bounding: string) =>
  `Name:\tnode\nCapEff:\t0000000000000000\nCapBnd:\t${bounding}\nCapAmb:\t0\n`;

describe("dockerdArgs", () => {
  it("plain dockerd where the bounding set has every capability the kernel knows", () => {
    assert.deepEqual(dockerdArgs(status("000001ffffffffff"), 40), ["--host", "unix:///var/run/docker.sock"]);
  });

  it("the bounded runtime, as the default, where a capability is missing (CAP_SYS_RESOURCE here)", () => {
    const args = dockerdArgs(status("000001fffeffffff"), 40);
    assert.equal(args[args.indexOf("--default-runtime") + 1], BOUNDED_RUNTIME);
    const runtime = args[args.indexOf("--add-runtime") + 1] ?? "";
    assert.match(runtime, new RegExp(`^${BOUNDED_RUNTIME}=/.+/ci/container/${BOUNDED_RUNTIME}$`));
  });

  it("compares with the kernel's last capability, not a fixed mask", () => {
    assert.equal(dockerdArgs(status("0000003fffffffff"), 37).length, 2);
    assert.equal(dockerdArgs(status("0000003fffffffff"), 40).length, 6);
  });
});
