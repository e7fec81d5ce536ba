/**
 * Offline checks of fixtures/crds/*.yaml: names agree with constants.ts, every field is
 * documented and bounded (the apiserver's CEL cost estimator needs maxLength/maxItems), printer
 * columns point at real fields, and the OpenAPI part of each schema (run through ajv) judges the
 * shared sample table as zod does. The CEL rules themselves are exercised against the real
 * apiserver in test/integration/crds.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { API_VERSION, CATEGORY, GROUP, KINDS, VERSION } from "./constants.ts";
import { INVALID_SAMPLES, VALID_SAMPLES } from "./samples.ts";

const CRD_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../fixtures/crds");

interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
  enum?: unknown[];
  format?: string;
  "x-kubernetes-validations"?: { rule: string; message?: string }[];
  [key: string]: unknown;
}

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: object };
      additionalPrinterColumns?: { name: string; type: string; jsonPath: string }[];
      schema: { openAPIV3Schema: Schema };
    }[];
  };
}

const crds = new Map<string, Crd>();
for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith(".yaml"))) {
  const crd = parse(readFileSync(join(CRD_DIR, file), "utf8")) as Crd;
  assert.equal(file, `${crd.metadata.name}.yaml`, "each CRD lives in <name>.yaml");
  crds.set(crd.spec.names.kind, crd);
}
const schemaOf = (kind: string) => crds.get(kind)!.spec.versions[0]!.schema.openAPIV3Schema;

/** Every schema node with its path, children first by property, then items and map values. */
function* walk(node: Schema, path: string): Generator<[string, Schema]> {
  yield [path, node];
  for (const [name, child] of Object.entries(node.properties ?? {})) yield* walk(child, `${path}.${name}`);
  if (node.items) yield* walk(node.items, `${path}[]`);
  if (typeof node.additionalProperties === "object") yield* walk(node.additionalProperties, `${path}{}`);
}

describe("CRD manifests", () => {
  it("exist for exactly the four kinds", () => {
    assert.deepEqual([...crds.keys()].sort(), KINDS.map((k) => k.kind).sort());
  });
  for (const names of KINDS) {
    describe(names.kind, () => {
      const crd = crds.get(names.kind)!;
      const version = crd.spec.versions[0]!;
      it("names, group, scope and version agree with constants.ts", () => {
        assert.equal(crd.apiVersion, "apiextensions.k8s.io/v1");
        assert.equal(crd.metadata.name, names.crdName);
        assert.equal(crd.spec.group, GROUP);
        assert.equal(crd.spec.scope, "Namespaced");
        assert.deepEqual(crd.spec.names, {
          kind: names.kind,
          listKind: names.listKind,
          plural: names.plural,
          singular: names.singular,
          shortNames: [names.shortName],
          categories: [CATEGORY],
        });
        assert.equal(crd.spec.versions.length, 1);
        assert.equal(version.name, VERSION);
        assert.ok(version.served && version.storage);
        assert.deepEqual(version.subresources, { status: {} });
      });
      it("documents every field", () => {
        const undocumented = [...walk(version.schema.openAPIV3Schema, "")]
          // metadata is the apiserver's: the CRD may only say `type: object` there.
          .filter(([path, node]) => path !== ".metadata" && !node.description?.trim())
          .map(([path]) => path || "(root)");
        assert.deepEqual(undocumented, []);
      });
      it("leaves metadata to the apiserver", () => {
        assert.deepEqual(version.schema.openAPIV3Schema.properties?.metadata, { type: "object" });
      });
      it("bounds every string, list and map so CEL cost estimates stay finite", () => {
        const unbounded: string[] = [];
        for (const [path, node] of walk(version.schema.openAPIV3Schema, "")) {
          if (path.startsWith(".metadata") || path === ".apiVersion" || path === ".kind") continue;
          if (
            node.type === "string" &&
            node.maxLength === undefined &&
            !node.enum &&
            node.format !== "date-time"
          ) {
            unbounded.push(path);
          }
          if (node.type === "array" && node.maxItems === undefined) unbounded.push(path);
          if (node.additionalProperties && node.maxProperties === undefined) unbounded.push(path);
        }
        assert.deepEqual(unbounded, []);
      });
      it("gives every CEL rule a message", () => {
        for (const [path, node] of walk(version.schema.openAPIV3Schema, "")) {
          for (const rule of node["x-kubernetes-validations"] ?? []) {
            assert.ok(rule.message?.trim(), `rule at ${path || "(root)"} has no message: ${rule.rule}`);
          }
        }
      });
      it("has printer columns that point at schema fields, ending with Age", () => {
        const columns = version.additionalPrinterColumns ?? [];
        assert.ok(columns.length >= 3);
        assert.equal(columns.at(-1)?.jsonPath, ".metadata.creationTimestamp");
        for (const column of columns.slice(0, -1)) {
          let node: Schema | undefined = version.schema.openAPIV3Schema;
          for (const segment of column.jsonPath.split(/\.(?![^[]*\])/).slice(1)) {
            const name = segment.replace(/\[.*\]$/, "");
            node = node?.properties?.[name];
            if (segment.endsWith("]")) node = node?.items;
          }
          assert.ok(node, `${column.name}: ${column.jsonPath} is not in the schema`);
        }
      });
    });
  }
});

/**
 * The structural part of a CRD schema as JSON Schema draft-07: OpenAPI 3.0's boolean
 * exclusiveMinimum becomes numeric, list-type set becomes uniqueItems, Kubernetes extensions go.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-") || key === "default") continue;
    out[key] =
      key === "properties"
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  const source = node as Schema;
  if (source.exclusiveMinimum === true) {
    out.exclusiveMinimum = source.minimum;
    delete out.minimum;
  }
  if (source["x-kubernetes-list-type"] === "set") out.uniqueItems = true;
  return out;
}

function ajvFieldPaths(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => {
    let path = e.instancePath
      .split("/")
      .slice(1)
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
      .join("")
      .replace(/^\./, "");
    if (e.keyword === "required")
      path = path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty;
    return path;
  });
}

describe("OpenAPI schemas and zod agree on the shared samples", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("int32", true).addFormat("int64", true);
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  const validators = new Map(
    KINDS.map((k) => [k.kind, ajv.compile(toJsonSchema(schemaOf(k.kind)) as object)]),
  );

  for (const sample of VALID_SAMPLES) {
    it(`accepts ${sample.kind}: ${sample.name}`, () => {
      const validate = validators.get(sample.kind)!;
      assert.equal(sample.object.apiVersion, API_VERSION);
      assert.ok(validate(sample.object), JSON.stringify(validate.errors));
    });
  }
  for (const sample of INVALID_SAMPLES) {
    it(`${sample.layer === "schema" ? "rejects" : "leaves to CEL"} ${sample.kind}: ${sample.name}`, () => {
      const validate = validators.get(sample.kind)!;
      const valid = validate(sample.object);
      if (sample.layer === "cel") {
        assert.ok(valid, `a CEL sample must be structurally valid: ${JSON.stringify(validate.errors)}`);
        return;
      }
      assert.equal(valid, false);
      assert.ok(ajvFieldPaths(validate.errors ?? []).includes(sample.field), JSON.stringify(validate.errors));
    });
  }
});
