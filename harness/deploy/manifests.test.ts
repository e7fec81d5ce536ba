import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import { execa } from "execa";
import { parseAllDocuments } from "yaml";
import { HarnessError } from "../errors.ts";
import { REPO_ROOT } from "../paths.ts";
import { generateManifests, toYaml } from "./index.ts";
import { parseQuantity } from "./quantity.ts";

const byKind = (objects: { kind?: string; metadata?: { name?: string } }[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);

describe("generated manifests", () => {
  it("holds RBAC, token, and both workloads with probes, limits and a metrics port", async () => {
    const { objects } = await generateManifests({ image: "patronus-bench:test", namespace: "bench-ops" });
    const kinds = objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    for (const k of [
      "Namespace/bench-ops",
      "ServiceAccount/patronus-operator",
      "ClusterRoleBinding/patronus-operator",
      "Secret/patronus-api-token",
      "Deployment/patronus-operator",
      "Service/patronus-operator-metrics",
      "PodDisruptionBudget/patronus-operator",
      "Deployment/patronus-mesh",
      "Service/patronus-mesh",
      "PodDisruptionBudget/patronus-mesh",
      "FlowSchema/bench-ops.patronus-operator-leader-election",
      "FlowSchema/bench-ops.patronus-operator-paths",
      "PriorityLevelConfiguration/bench-ops.patronus-operator-paths",
    ]) {
      assert.ok(kinds.includes(k), `${k} missing from ${kinds.join(", ")}`);
    }
    for (const o of objects) {
      const clusterScoped = [
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "FlowSchema",
        "PriorityLevelConfiguration",
      ];
      if (!clusterScoped.includes(o.kind ?? "")) {
        assert.equal(o.metadata?.namespace, "bench-ops", `${o.kind}/${o.metadata?.name} namespace`);
      }
    }
    const binding = byKind(objects, "ClusterRoleBinding", "patronus-operator") as {
      subjects: { namespace: string }[];
    };
    assert.equal(binding.subjects[0]?.namespace, "bench-ops");
    // The Lease's FlowSchema follows the install's namespace: its ServiceAccount and its Lease.
    const flow = byKind(objects, "FlowSchema", "bench-ops.patronus-operator-leader-election") as {
      spec: {
        priorityLevelConfiguration: { name: string };
        rules: {
          subjects: { serviceAccount: { name: string; namespace: string } }[];
          resourceRules: { namespaces: string[]; resources: string[] }[];
        }[];
      };
    };
    assert.equal(flow.spec.priorityLevelConfiguration.name, "leader-election");
    assert.deepEqual(flow.spec.rules[0]?.subjects[0]?.serviceAccount, {
      name: "patronus-operator",
      namespace: "bench-ops",
    });
    assert.deepEqual(flow.spec.rules[0]?.resourceRules[0]?.namespaces, ["bench-ops"]);
    assert.deepEqual(flow.spec.rules[0]?.resourceRules[0]?.resources, ["leases"]);
    // The Path writes' schema follows it too, to the install's own level; Paths live in the
    // tenants' namespaces, so its "*" stays.
    const paths = byKind(objects, "FlowSchema", "bench-ops.patronus-operator-paths") as typeof flow;
    assert.equal(paths.spec.priorityLevelConfiguration.name, "bench-ops.patronus-operator-paths");
    assert.deepEqual(paths.spec.rules[0]?.subjects[0]?.serviceAccount, {
      name: "patronus-operator",
      namespace: "bench-ops",
    });
    assert.deepEqual(paths.spec.rules[0]?.resourceRules[0]?.namespaces, ["*"]);
    assert.deepEqual(paths.spec.rules[0]?.resourceRules[0]?.resources, ["paths", "paths/status"]);
    const op = byKind(objects, "Deployment", "patronus-operator") as V1Deployment;
    const c = op.spec?.template.spec?.containers[0];
    assert.equal(c?.readinessProbe?.httpGet?.path, "/readyz");
    assert.equal(c?.livenessProbe?.httpGet?.path, "/healthz");
    assert.deepEqual(c?.ports?.[0], { name: "metrics", containerPort: 8080, protocol: "TCP" });
    assert.deepEqual(c?.resources?.limits, { cpu: "500m", memory: "256Mi" });
    assert.equal(c?.securityContext?.runAsNonRoot, true);
    // The non-root container reads the 0440 token Secret through its group (fsGroup).
    for (const name of ["patronus-operator", "patronus-mesh"]) {
      const pod = (byKind(objects, "Deployment", name) as V1Deployment).spec?.template.spec;
      const user = pod?.containers[0]?.securityContext;
      const token = pod?.volumes?.find((v) => v.secret?.secretName === "patronus-api-token");
      assert.ok(token, `${name} mounts the token`);
      assert.equal(
        pod?.securityContext?.fsGroup,
        user?.runAsGroup,
        `${name}: fsGroup is the container's group`,
      );
      assert.equal((token.secret?.defaultMode ?? 0) & 0o040, 0o040, `${name}: the group may read the token`);
    }
    assert.ok(c?.args?.includes("http://patronus-mesh.bench-ops.svc:8080"));
    assert.equal(op.spec?.template.spec?.serviceAccountName, "patronus-operator");
  });

  it("every Service selects the pods of a Deployment in the set", async () => {
    const { objects } = await generateManifests({ image: "x:1", patronusToken: "a-token-of-twenty-chars" });
    const templates = objects
      .filter((o) => o.kind === "Deployment")
      .map((d) => (d as V1Deployment).spec?.template.metadata?.labels ?? {});
    const services = objects.filter((o) => o.kind === "Service") as V1Service[];
    assert.ok(services.length >= 2);
    for (const svc of services) {
      const selector = Object.entries(svc.spec?.selector ?? {});
      assert.ok(selector.length > 0, `${svc.metadata?.name} has a selector`);
      assert.ok(
        templates.some((labels) => selector.every(([k, v]) => labels[k] === v)),
        `Service ${svc.metadata?.name} selects no pods (${JSON.stringify(svc.spec?.selector)})`,
      );
    }
  });

  it("round-trips through YAML", async () => {
    const { objects } = await generateManifests({ image: "x:1", patronusToken: "a-token-of-twenty-chars" });
    const docs = parseAllDocuments(toYaml(objects)).map((d) => d.toJS());
    assert.deepEqual(docs, JSON.parse(JSON.stringify(objects)));
  });

  it("leaves the simulator out and points at a real control plane when asked", async () => {
    const { objects } = await generateManifests({
      image: "x:1",
      mesh: { enabled: false },
      operator: { patronusUrl: "https://patronus.example.net" },
    });
    assert.equal(byKind(objects, "Deployment", "patronus-mesh"), undefined);
    const op = byKind(objects, "Deployment", "patronus-operator") as V1Deployment;
    assert.ok(op.spec?.template.spec?.containers[0]?.args?.includes("https://patronus.example.net"));
  });

  it("rejects a request above its limit, naming the option", async () => {
    await assert.rejects(
      generateManifests({
        image: "x:1",
        operator: {
          resources: { requests: { cpu: "2", memory: "1Mi" }, limits: { cpu: "1", memory: "1Mi" } },
        },
      }),
      (err: unknown) =>
        err instanceof HarnessError &&
        /operator\.resources\.requests\.cpu: 2 must not exceed the limit 1/.test(err.message),
    );
  });

  it("rejects flags the operator itself would reject", async () => {
    await assert.rejects(
      generateManifests({ image: "x:1", operator: { extraArgs: ["--concurrency", "0"] } }),
      (err: unknown) => err instanceof HarnessError && /--concurrency/.test(err.message),
    );
  });

  it("rejects a bad namespace and a missing image", async () => {
    await assert.rejects(
      generateManifests({ image: "x:1", namespace: "Bad_NS" }),
      /namespace: must be a DNS label/,
    );
    await assert.rejects(generateManifests({} as never), /image:/);
  });

  it("parses quantities", () => {
    assert.equal(parseQuantity("500m"), 0.5);
    assert.equal(parseQuantity("256Mi"), 256 * 1024 * 1024);
    assert.equal(parseQuantity("1G"), 1e9);
    assert.throws(() => parseQuantity("1.5.2"), /not a Kubernetes quantity/);
  });
});

describe("patronus-bench manifests", () => {
  const cli = (args: string[]) =>
    execa(process.execPath, [join(REPO_ROOT, "harness", "cli", "main.ts"), "manifests", ...args], {
      reject: false,
      all: true,
    });

  it("writes the YAML atomically to --out", async () => {
    const dir = await mkdtemp(join(tmpdir(), "manifests-cli-"));
    try {
      const out = join(dir, "deploy.yaml");
      const r = await cli(["--image", "reg.example/patronus-bench:1.2.3", "--sites", "200", "--out", out]);
      assert.equal(r.exitCode, 0, r.all);
      const docs = parseAllDocuments(await readFile(out, "utf8")).map((d) => d.toJS() as { kind: string });
      assert.equal(docs.filter((d) => d.kind === "Deployment").length, 2);
      assert.match(await readFile(out, "utf8"), /reg\.example\/patronus-bench:1\.2\.3/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails with one line naming the bad flag", async () => {
    const r = await cli(["--image", "x:1", "--pull-policy", "Sometimes"]);
    assert.equal(r.exitCode, 1);
    assert.match(r.all ?? "", /--pull-policy/);
  });
});
