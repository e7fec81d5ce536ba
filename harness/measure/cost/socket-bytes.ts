/**
 * Bytes an operator's processes sent over TCP, by whom they sent them to, read from the kernel's
 * per-socket counters (tcp_info's bytes_acked, through iproute2's `ss`): the sockets are the
 * ones /proc/<pid>/fd holds. Linux keeps no per-process network counter for a process in the
 * host's network namespace, but it does keep one per socket, and an operator's connections to
 * kube-apiserver and to the Patronus API are long-lived (keep-alive, watches): sampled every few
 * seconds, only the last bytes of a connection opened and closed between two samples are missed.
 * Connections the operator accepted (the harness scraping its /metrics, an inspector) are not
 * its work and are left out.
 */
import { execFile } from "node:child_process";
import { readdir, readlink } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TcpSocket {
  /** ss's state column: ESTAB, LISTEN, CLOSE-WAIT, … */
  state: string;
  inode: string;
  localPort: number;
  peerPort: number;
  /** Bytes the peer acknowledged: what reached it. */
  bytesAcked: number;
}

/** `ss -tainHe` output (one line per socket, its tcp_info on the next, indented). */
export function parseSs(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  let current: TcpSocket | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (!/^\s/.test(line)) {
      // State Recv-Q Send-Q Local:Port Peer:Port [extended: uid, ino, sk, …]
      const fields = line.trim().split(/\s+/);
      const port = (addr: string | undefined) => Number(addr?.slice(addr.lastIndexOf(":") + 1));
      const inode = /\bino:(\d+)/.exec(line)?.[1];
      current = inode
        ? {
            state: fields[0] ?? "",
            inode,
            localPort: port(fields[3]),
            peerPort: port(fields[4]),
            bytesAcked: 0,
          }
        : undefined;
      if (current) out.push(current);
    } else if (current) {
      const acked = /\bbytes_acked:(\d+)/.exec(line)?.[1];
      if (acked) current.bytesAcked = Number(acked);
    }
  }
  return out;
}

/** Inodes of the sockets a process holds open; empty when it is gone. */
export async function socketInodes(pid: number): Promise<Set<string>> {
  const dir = `/proc/${pid}/fd`;
  const inodes = new Set<string>();
  const fds = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    fds.map(async (fd) => {
      const target = await readlink(`${dir}/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m) inodes.add(m[1]!);
    }),
  );
  return inodes;
}

export type Peer = "apiserver" | "patronus-api" | "other";

/**
 * Per socket of the watched processes, the bytes it carried to its peer since the first sample
 * (a socket already open then counts from there). Peers are told apart by port: the run's
 * kube-apiserver and Patronus API listen on loopback ports of their own.
 */
export class SocketBytes {
  private readonly sockets = new Map<string, { peer: Peer; first: number; last: number }>();
  private sampled = false;
  /**
   * Whether any of the processes' sockets was in this network namespace's table: a process in a
   * container of its own holds sockets `ss` here cannot see, and its figure is unknown, not 0.
   */
  private visible = false;
  /** Why the figure cannot be had here (no `ss`), once a sample failed for it. */
  unavailable: string | undefined;

  private readonly peers: { apiserver?: number; patronusApi?: number };

  constructor(peers: { apiserver?: number; patronusApi?: number }) {
    this.peers = peers;
  }

  async sample(pids: readonly number[]): Promise<void> {
    if (this.unavailable || pids.length === 0) return;
    const owned = new Set<string>();
    for (const pid of pids) for (const inode of await socketInodes(pid)) owned.add(inode);
    let sockets: TcpSocket[];
    try {
      // One table, listeners included (-a): a few ms of CPU every sample.
      sockets = parseSs((await run("ss", ["-tainHe"], { maxBuffer: 64 * 1024 * 1024 })).stdout);
    } catch (err) {
      this.unavailable = `ss (iproute2) did not run: ${(err as Error).message.split("\n")[0]}`;
      return;
    }
    const mine = sockets.filter((s) => owned.has(s.inode));
    if (mine.length > 0) this.visible = true;
    const ownPorts = new Set(mine.filter((s) => s.state === "LISTEN").map((s) => s.localPort));
    for (const s of mine) {
      if (s.state === "LISTEN") continue;
      if (ownPorts.has(s.localPort)) continue;
      const seen = this.sockets.get(s.inode);
      if (seen) seen.last = Math.max(seen.last, s.bytesAcked);
      else
        this.sockets.set(s.inode, {
          peer: this.peerOf(s.peerPort),
          first: this.sampled ? 0 : s.bytesAcked,
          last: s.bytesAcked,
        });
    }
    this.sampled = true;
  }

  private peerOf(port: number): Peer {
    if (port === this.peers.apiserver) return "apiserver";
    if (port === this.peers.patronusApi) return "patronus-api";
    return "other";
  }

  /** Bytes sent per peer since the first sample; undefined when no sample saw the processes' sockets. */
  totals(): Map<Peer, number> | undefined {
    if (!this.sampled || !this.visible) return undefined;
    const out = new Map<Peer, number>();
    for (const s of this.sockets.values()) out.set(s.peer, (out.get(s.peer) ?? 0) + (s.last - s.first));
    return out;
  }
}

/** The port of an http(s) URL, its scheme's default when it names none. */
export function urlPort(url: string | undefined): number | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return Number(u.port || (u.protocol === "https:" ? 443 : 80));
  } catch {
    return undefined;
  }
}
