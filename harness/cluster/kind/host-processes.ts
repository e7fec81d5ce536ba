/**
 * kind's nodes are containers on this machine, so every process inside them — the control plane
 * of the control-plane node, the pods of every node — is a process of this host too, visible in
 * its /proc. Finding them by their cgroup (which names the node container and the pod UID) lets
 * the harness measure them exactly as it measures its own children (CPU and RSS from /proc) and
 * SIGKILL a pod's process as a crash would, without anything inside the node's image.
 */
import { readdir, readFile } from "node:fs/promises";

export interface HostProcess {
  pid: number;
  /** /proc/<pid>/comm: the executable's name, at most 15 characters. */
  comm: string;
  /** The cgroup path (the first line's, identical across v1 controllers and v2's one). */
  cgroup: string;
}

async function readProcess(pid: number): Promise<HostProcess | undefined> {
  try {
    const [comm, cgroup] = await Promise.all([
      readFile(`/proc/${pid}/comm`, "utf8"),
      readFile(`/proc/${pid}/cgroup`, "utf8"),
    ]);
    const first = cgroup.split("\n").find((l) => l.length > 0) ?? "";
    return { pid, comm: comm.trim(), cgroup: first.slice(first.indexOf(":", first.indexOf(":") + 1) + 1) };
  } catch {
    // Exited between the listing and the read.
    return undefined;
  }
}

export async function hostProcesses(): Promise<HostProcess[]> {
  const pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d)).map(Number);
  const out = await Promise.all(pids.map(readProcess));
  return out.filter((p): p is HostProcess => p !== undefined);
}

/**
 * The pod a process belongs to, from its cgroup: kubelet names the pod's cgroup after its UID
 * (`pod<uid>` with the cgroupfs driver, `…-pod<uid with _ for ->.slice` with systemd's).
 */
export function podUidOf(cgroup: string): string | undefined {
  const m = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(cgroup);
  return m?.[1]?.replaceAll("_", "-");
}

/** Whether the process runs inside the given Docker container (kind node), by its full id. */
export function inContainer(cgroup: string, containerId: string): boolean {
  return cgroup.includes(`/docker/${containerId}/`) || cgroup.includes(`docker-${containerId}.scope`);
}

/**
 * The processes of each pod asked for, by pod UID, leaving out the sandbox's `pause`. A pod the
 * host does not run (another machine's node) maps to an empty list.
 */
export function processesOfPods(all: readonly HostProcess[], uids: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>(uids.map((u) => [u, []]));
  for (const p of all) {
    if (p.comm === "pause") continue;
    const uid = podUidOf(p.cgroup);
    if (uid) out.get(uid)?.push(p.pid);
  }
  return out;
}

const CONTROL_PLANE = ["kube-apiserver", "etcd", "kube-controller-manager"] as const;

/** The control plane's processes inside the kind node container `containerId`, by component. */
export function controlPlaneOf(all: readonly HostProcess[], containerId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of all) {
    // comm is cut at 15 characters: "kube-controller-manager" reads "kube-controller".
    const component = CONTROL_PLANE.find((c) => c.slice(0, 15) === p.comm);
    if (component && out[component] === undefined && inContainer(p.cgroup, containerId))
      out[component] = p.pid;
  }
  return out;
}
