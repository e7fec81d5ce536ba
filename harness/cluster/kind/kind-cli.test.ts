import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { explain, firstIPv4Binding } from "./kind-cli.ts";

describe("kind CLI", () => {
  it("reads the host address of a published port, IPv4 first, a wildcard as loopback", () => {
    assert.equal(firstIPv4Binding("127.0.0.1:41234\n"), "127.0.0.1:41234");
    assert.equal(firstIPv4Binding("[::]:41234\n0.0.0.0:41234\n"), "127.0.0.1:41234");
    assert.equal(firstIPv4Binding(""), undefined);
    assert.equal(firstIPv4Binding("Error: No public port '2381/tcp' published for x\n"), undefined);
  });

  it("says what to do about a node image that cannot be pulled and a stopped Docker", () => {
    assert.match(explain("failed to pull image kindest/node") ?? "", /build one from source/);
    assert.match(explain("Cannot connect to the Docker daemon") ?? "", /start dockerd/);
    assert.match(explain("Bind for 127.0.0.1:23810 failed: port is already allocated") ?? "", /hostPort: 0/);
    assert.equal(explain("something else"), undefined);
  });
});
