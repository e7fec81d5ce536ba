import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { HarnessError } from "../errors.ts";
import { OperatorDefinitionSchema } from "./definition.ts";
import { loadOperatorDefinition, resolveOperator } from "./load.ts";

const dir = mkdtempSync(join(tmpdir(), "opdef-load-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A minimal valid definition as a module's source, with `patch` applied to its object literal. */
function definitionFile(name: string, patch = ""): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `const pred = () => false;
const def = {
  name: "my-op",
  description: "a user's operator",
  version: "1.2.3",
  start: { command: ["/usr/bin/my-op"], env: { KUBECONFIG: "{kubeconfig}" } },
  crds: { files: ["crds/site.yaml"] },
  rbac: { rules: [{ apiGroups: ["x.example"], resources: ["sites"], verbs: ["list", "watch"] }] },
  kinds: {
    Site: { group: "x.example", version: "v1", plural: "sites", kind: "Site",
            template: () => ({ spec: {} }), ready: pred, failed: () => undefined },
  },
  patronusApi: { dialect: "patronus-rs", token: false },
  capabilities: { leaderElection: null, finalizers: false },
  metrics: {},
};
${patch}
export default def;
`,
  );
  return file;
}

async function loadError(ref: string): Promise<HarnessError> {
  try {
    await loadOperatorDefinition(ref);
  } catch (err) {
    assert.ok(err instanceof HarnessError, `expected a HarnessError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${ref} loaded`);
}

test("a valid definition file loads, its relative CRD files anchored at the file", async () => {
  const file = definitionFile("valid");
  const loaded = await loadOperatorDefinition(file);
  assert.equal(loaded.origin, "file");
  assert.equal(loaded.file, file);
  assert.equal(loaded.definition.name, "my-op");
  assert.deepEqual(loaded.definition.crds, { files: [join(dir, "crds/site.yaml")] });
});

test("a wrong field names the file, the field path and the expected shape", async () => {
  const file = definitionFile("wrong-ready", `def.kinds.Site.ready = "Ready";`);
  const err = await loadError(file);
  assert.match(err.message, new RegExp(`invalid operator definition ${file.replaceAll(".", "\\.")}`));
  assert.match(err.message, /kinds\.Site\.ready: expected a function/);

  const dialect = await loadError(definitionFile("wrong-dialect", `def.patronusApi.dialect = "grpc";`));
  assert.match(
    dialect.message,
    /patronusApi\.dialect: expected one of "reference", "patronus-rs", got "grpc"/,
  );

  const typo = await loadError(definitionFile("typo", `def.capabilities.finalisers = true;`));
  assert.match(typo.message, /capabilities\.finalisers: unknown field .*harness\/operators\/definition\.ts/);
});

test("an unknown placeholder is refused with where it stands and the ones allowed", async () => {
  const err = await loadError(definitionFile("placeholder", `def.start.env.API = "{patronusURL}";`));
  assert.match(err.message, /start\.env\.API: unknown placeholder \{patronusURL\}/);
  assert.match(err.fix ?? "", /\{patronusUrl\}/);
  const build = await loadError(
    definitionFile(
      "build-placeholder",
      `def.build = { command: ["make"], inputs: ["src/**"], artifact: "out/op", env: { T: "{kubeconfig}" } };`,
    ),
  );
  assert.match(build.message, /build\.env\.T: unknown placeholder \{kubeconfig\}/);
  const manifest = await loadError(
    definitionFile("manifest-placeholder", `def.manifests = ["{sourceDir}/ok.yaml", "{srcDir}/apf.yaml"];`),
  );
  assert.match(manifest.message, /manifests\[1\]: unknown placeholder \{srcDir\}/);
});

test("a file without a default export, a missing file and an unknown built-in are one-line errors", async () => {
  const noDefault = join(dir, "no-default.mjs");
  writeFileSync(noDefault, "export const x = 1;\n");
  assert.match((await loadError(noDefault)).message, /has no default export/);
  assert.match((await loadError(join(dir, "absent.ts"))).message, /does not exist/);
  const unknown = await loadError("patronus-go");
  assert.match(unknown.message, /no built-in operator named "patronus-go"/);
  assert.match(unknown.fix ?? "", /reference, patronus-rs/);
});

test("both built-ins load and validate", async () => {
  for (const name of ["reference", "patronus-rs"]) {
    const loaded = await loadOperatorDefinition(name);
    assert.equal(loaded.origin, "built-in");
    assert.equal(loaded.definition.name, name);
    assert.ok(OperatorDefinitionSchema.safeParse(loaded.definition).success);
  }
});

test("patronus-rs needs --operator-source; reference refuses one", async () => {
  await assert.rejects(
    resolveOperator("patronus-rs", { log: () => {} }),
    (err: HarnessError) =>
      /--operator-source DIR is required/.test(err.message) &&
      /shared\/upstream\/patronus-operator/.test(err.fix ?? ""),
  );
  await assert.rejects(
    resolveOperator("patronus-rs", { source: join(dir, "nowhere"), log: () => {} }),
    /is not a directory/,
  );
  await assert.rejects(
    resolveOperator("reference", { source: dir, log: () => {} }),
    /not built from source, so --operator-source does not apply/,
  );
  const reference = await resolveOperator("reference", { log: () => {} });
  assert.equal(reference.artifact, undefined);
});
