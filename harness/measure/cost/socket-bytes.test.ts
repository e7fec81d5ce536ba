import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from "node:net";
import { test } from "node:test";
import { requires } from "../../../test/prerequisites/requires.ts";
import { parseSs, SocketBytes, socketInodes, urlPort } from "./socket-bytes.ts";

test("ss -tainHe: each socket's state, ports and inode, and bytes_acked from its tcp_info line", () => {
  const text = [
    "ESTAB 0      0      127.0.0.1:36618 127.0.0.1:42185 uid:0 ino:5551 sk:1 cgroup:/ <->",
    "\t cubic wscale:7,7 rto:201 bytes_sent:3033514 bytes_acked:3008063 bytes_received:3907960 segs_out:9",
    "LISTEN 0      511    [::1]:40633 [::]:* ino:777 sk:2",
    "TIME-WAIT 0 0 127.0.0.1:1 127.0.0.1:2 timer:(timewait,1s,0)",
    "\t cubic bytes_acked:9",
    "",
  ].join("\n");
  assert.deepEqual(parseSs(text), [
    { state: "ESTAB", inode: "5551", localPort: 36618, peerPort: 42185, bytesAcked: 3008063 },
    { state: "LISTEN", inode: "777", localPort: 40633, peerPort: Number.NaN, bytesAcked: 0 },
  ]);
  assert.equal(urlPort("https://127.0.0.1:6443"), 6443);
  assert.equal(urlPort("https://kube.example"), 443);
  assert.equal(urlPort("not a url"), undefined);
});

async function listen(onSocket: (s: Socket) => void = () => {}): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port };
}

/** Writes `bytes` and resolves once the peer has read them all. */
async function send(client: Socket, bytes: number, received: () => number, before: number): Promise<void> {
  client.write(Buffer.alloc(bytes, 1));
  const until = Date.now() + 5000;
  while (received() < before + bytes && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  assert.equal(received(), before + bytes, "the peer read everything");
}

test(
  "counts what this process sent on its own connections, by peer; not what it answered on connections it accepted",
  requires("ss"),
  async () => {
    let toApiserver = 0;
    let toMesh = 0;
    let answered = 0;
    const apiserver = await listen((s) => s.on("data", (d) => (toApiserver += d.length)));
    const mesh = await listen((s) => s.on("data", (d) => (toMesh += d.length)));
    // The process's own /metrics: its answers on accepted connections are not its work.
    const own = await listen((s) => s.end(Buffer.alloc(50_000, 2)));
    const api = createConnection(apiserver.port, "127.0.0.1");
    const patronus = createConnection(mesh.port, "127.0.0.1");
    await Promise.all([once(api, "connect"), once(patronus, "connect")]);
    try {
      await send(api, 1000, () => toApiserver, 0); // before the first sample: not counted
      const bytes = new SocketBytes({ apiserver: apiserver.port, patronusApi: mesh.port });
      await bytes.sample([process.pid]);
      await send(api, 100_000, () => toApiserver, 1000);
      await send(patronus, 30_000, () => toMesh, 0);
      const scrape = createConnection(own.port, "127.0.0.1");
      scrape.on("data", (d) => (answered += d.length));
      await once(scrape, "end");
      assert.equal(answered, 50_000);
      await bytes.sample([process.pid]);
      const totals = bytes.totals();
      assert.ok(totals, "the sockets were seen");
      assert.equal(totals.get("apiserver"), 100_000);
      assert.equal(totals.get("patronus-api"), 30_000);
      // The scrape's client end is this process's too, but it sent nothing.
      assert.equal(totals.get("other") ?? 0, 0);
    } finally {
      api.destroy();
      patronus.destroy();
      for (const s of [apiserver, mesh, own]) s.server.close();
    }
  },
);

test(
  "a process whose sockets ss cannot see here (another network namespace) has no figure, not 0",
  requires("ss"),
  async () => {
    // A process in a network namespace of its own, as an operator in a container: a server and a
    // connection to it on that namespace's loopback.
    const child = spawn(
      "unshare",
      [
        "--net",
        "sh",
        "-c",
        `ip link set lo up && exec "${process.execPath}" -e 'const n = require("node:net"); const s = n.createServer().listen(0, "127.0.0.1", () => { n.connect(s.address().port, "127.0.0.1", () => console.log("ready")); });'`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const [line] = (await Promise.race([
        once(child.stdout, "data"),
        once(child, "exit").then(([code]) => {
          throw new Error(`unshare --net exited ${code} (it needs root)`);
        }),
      ])) as [Buffer];
      assert.equal(String(line).trim(), "ready");
      assert.ok((await socketInodes(child.pid!)).size >= 3, "the process holds its sockets");
      const bytes = new SocketBytes({});
      await bytes.sample([child.pid!]);
      assert.equal(bytes.totals(), undefined);
    } finally {
      child.kill("SIGKILL");
    }
  },
);

test("without ss the figure is unavailable, and says why", async () => {
  const path = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    const bytes = new SocketBytes({});
    await bytes.sample([process.pid]);
    assert.equal(bytes.totals(), undefined);
    assert.match(bytes.unavailable ?? "", /^ss \(iproute2\) did not run: .*ENOENT/);
  } finally {
    process.env.PATH = path;
  }
});
