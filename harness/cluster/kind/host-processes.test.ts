import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  controlPlaneOf,
  type HostProcess,
  hostProcesses,
  podUidOf,
  processesOfPods,
} from "./host-processes.ts";

const NODE = "64e3b5051d31e86e563cf58d5630c09da8cc06581ce4fd4e8e4c14f83b483b08";
const OTHER = "c318ae2f1eb8aa4e0e2b1b1c7a50a6a5f0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5";
// As read on this machine's kind nodes (cgroup v1, systemd driver inside the node).
const systemdPod = (node: string, uid: string, container: string) =>
  `/docker/${node}/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod${uid.replaceAll("-", "_")}.slice/cri-containerd-${container}.scope`;

describe("host processes of kind's nodes", () => {
  it("reads the pod UID from systemd- and cgroupfs-style pod cgroups", () => {
    const uid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    assert.equal(podUidOf(systemdPod(NODE, uid, "abc")), uid);
    assert.equal(podUidOf(`/kubepods/besteffort/pod${uid}/4c89ec3087`), uid);
    assert.equal(podUidOf(`/docker/${NODE}/system.slice/containerd.service`), undefined);
  });

  it("maps pods to their processes, leaving out the sandbox's pause", () => {
    const a = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const b = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const all: HostProcess[] = [
      { pid: 10, comm: "pause", cgroup: systemdPod(NODE, a, "p1") },
      { pid: 11, comm: "node", cgroup: systemdPod(NODE, a, "c1") },
      { pid: 20, comm: "node", cgroup: systemdPod(OTHER, b, "c2") },
      { pid: 30, comm: "bash", cgroup: "/user.slice" },
    ];
    const byUid = processesOfPods(all, [a, b, "d6a1c3e6-0000-4000-8000-000000000000"]);
    assert.deepEqual(byUid.get(a), [11]);
    assert.deepEqual(byUid.get(b), [20]);
    assert.deepEqual(byUid.get("d6a1c3e6-0000-4000-8000-000000000000"), [], "a pod another host runs");
  });

  it("finds the control plane of one node container only (comm is cut at 15 characters)", () => {
    const staticPod = (node: string, n: number) =>
      systemdPod(node, `8dc41465-ddc8-c653-8462-d22b6bd9d5${String(n).padStart(2, "0")}`, `s${n}`);
    const all: HostProcess[] = [
      { pid: 5, comm: "kube-apiserver", cgroup: staticPod(OTHER, 1) },
      { pid: 6, comm: "kube-apiserver", cgroup: staticPod(NODE, 2) },
      { pid: 7, comm: "etcd", cgroup: staticPod(NODE, 3) },
      { pid: 8, comm: "kube-controller", cgroup: staticPod(NODE, 4) },
      { pid: 9, comm: "kube-scheduler", cgroup: staticPod(NODE, 5) },
    ];
    assert.deepEqual(controlPlaneOf(all, NODE), {
      "kube-apiserver": 6,
      etcd: 7,
      "kube-controller-manager": 8,
    });
    assert.deepEqual(controlPlaneOf(all, "f".repeat(64)), {});
  });

  it("lists this host's processes with their cgroup path", async () => {
    const me = (await hostProcesses()).find((p) => p.pid === process.pid);
    assert.ok(me, "the test's own process is listed");
    assert.ok(me.comm.length > 0);
    assert.ok(me.cgroup.startsWith("/"), me.cgroup);
  });
});
