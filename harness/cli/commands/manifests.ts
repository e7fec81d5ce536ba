/** `patronus-bench manifests`: the Kubernetes objects of an in-cluster operator + mesh simulator. */
import type { Command } from "commander";
import { z } from "zod";
import { prepareOutFile } from "../../run/output-dir.ts";
import { parseFlags } from "../flags.ts";

const Flags = z.strictObject({
  image: z.string().min(1),
  namespace: z.string().min(1),
  replicas: z.coerce.number().int().min(1),
  sites: z.coerce.number().int().min(1),
  topology: z.string().min(1),
  watchNamespace: z.string().min(1),
  pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]),
  mesh: z.boolean(),
  meshShards: z.coerce.number().int().min(1).max(64),
  patronusUrl: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
});

export function register(program: Command): void {
  program
    .command("manifests")
    .description(
      "print (or write) the Deployment/RBAC/Service/PDB manifests of the operator and mesh simulator",
    )
    .option("--image <ref>", "image holding both commands (see Dockerfile)", "patronus-bench:dev")
    .option("--namespace <ns>", "namespace of the operator and simulator", "patronus-system")
    .option("--replicas <n>", "operator replicas (leader election)", "2")
    .option("--sites <n>", "sites the simulator generates", "1000")
    .option("--topology <rule>", "simulator topology rule or file inside the image", "hub-spoke")
    .option("--watch-namespace <ns>", "namespace whose custom resources the operator reconciles", "default")
    .option(
      "--pull-policy <policy>",
      "Always | IfNotPresent | Never (Never for `kind load`ed images)",
      "IfNotPresent",
    )
    .option("--mesh-shards <n>", "simulator replicas (site ranges) behind the shard router", "1")
    .option("--no-mesh", "leave the simulator out (use --patronus-url for a real control plane)")
    .option("--patronus-url <url>", "Patronus API the operator calls instead of the in-cluster simulator")
    .option("--out <file>", "write the YAML here (atomically) instead of stdout")
    .addHelpText(
      "after",
      "\nThe API token Secret gets a random token; apply with `kubectl apply --server-side -f FILE`.",
    )
    .action(async (raw: unknown) => {
      const f = parseFlags(Flags, raw, "manifests");
      const out = f.out === undefined ? undefined : await prepareOutFile(f.out);
      const { generateManifests, toYaml } = await import("../../deploy/index.ts");
      const { objects } = await generateManifests({
        namespace: f.namespace,
        image: f.image,
        imagePullPolicy: f.pullPolicy,
        operator: {
          replicas: f.replicas,
          watchNamespace: f.watchNamespace,
          ...(f.patronusUrl ? { patronusUrl: f.patronusUrl } : {}),
        },
        mesh: { enabled: f.mesh, sites: f.sites, topology: f.topology, shards: f.meshShards },
      });
      const text = toYaml(objects);
      if (!out) {
        process.stdout.write(text);
        return;
      }
      const { rename, writeFile } = await import("node:fs/promises");
      const tmp = `${out}.tmp-${process.pid}`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, out);
      console.error(`wrote ${objects.length} objects to ${out}`);
    });
}
