/**
 * The upstream operator's own Helm chart rendered by a real helm with the values the patronus-rs
 * definition gives it: the Deployment runs the image the harness put on the nodes (never pulled),
 * points the operator at the in-cluster simulator, serves /metrics and health on the harness's
 * ports, carries the scenario's replicas and resources, and its pod meets the restricted Pod
 * Security Standard the harness's namespace enforces (non-root, no escalation, no capabilities,
 * a seccomp profile). Pods carry Helm's instance label, by which the harness finds them.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { parseAllDocuments, stringify } from "yaml";
import { findHelm } from "../../../harness/deploy/helm.ts";
import patronusRs from "../../../harness/operators/builtin/patronus-rs/index.ts";
import { upstreamOperatorSource } from "../../prerequisites/prerequisites.ts";
import { requires } from "../../prerequisites/requires.ts";

interface Container {
  image: string;
  imagePullPolicy: string;
  env: Array<{ name: string; value: string }>;
  ports: Array<{ name: string; containerPort: number }>;
  resources: unknown;
  securityContext: Record<string, unknown>;
}
interface Deployment {
  kind: string;
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: { securityContext: Record<string, unknown>; containers: Container[] };
    };
  };
}

describe("the patronus-rs chart with the harness's values", requires("helm", "patronus-rs"), () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "prs-chart-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("renders a Deployment of the loaded image, wired to the simulator, restricted-compliant", async () => {
    const helmValues = patronusRs.image?.helmValues;
    assert.ok(helmValues, "the definition gives the chart's values");
    const resources = {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "250m", memory: "192Mi" },
    };
    const values = helmValues({
      release: "patronus-rs",
      image: { repository: "patronus-bench/patronus-rs", tag: "local", pullPolicy: "Never" },
      replicas: 3,
      resources,
      patronusUrl: "http://patronus-mesh.patronus-system.svc:8080",
      metricsPort: 9100,
      healthPort: 9101,
      settings: {},
    });
    const file = join(dir, "values.yaml");
    await writeFile(file, stringify(values));
    const chart = join(upstreamOperatorSource(), "helm", "patronus-operator");
    const r = await execa(await findHelm(), [
      "template",
      "patronus-rs",
      chart,
      "--namespace",
      "patronus-system",
      "--values",
      file,
    ]);
    const objects = parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as { kind?: string } | null)
      .filter((o): o is Deployment => o?.kind === "Deployment");
    assert.equal(objects.length, 1, r.stdout);
    const d = objects[0] as Deployment;
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.spec.template.metadata.labels["app.kubernetes.io/instance"], "patronus-rs");
    const c = d.spec.template.spec.containers[0] as Container;
    assert.equal(c.image, "patronus-bench/patronus-rs:local");
    assert.equal(c.imagePullPolicy, "Never");
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    assert.equal(env.PATRONUS_API_URL, "http://patronus-mesh.patronus-system.svc:8080");
    assert.equal(env.METRICS_PORT, "9100");
    assert.equal(env.HEALTH_PORT, "9101");
    assert.deepEqual(
      c.ports.map((p) => [p.name, p.containerPort]),
      [
        ["metrics", 9100],
        ["health", 9101],
      ],
    );
    assert.deepEqual(c.resources, resources);
    // The restricted Pod Security Standard, field by field.
    const pod = d.spec.template.spec.securityContext;
    assert.deepEqual(pod.seccompProfile, { type: "RuntimeDefault" });
    assert.equal(pod.runAsNonRoot, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
  });
});
