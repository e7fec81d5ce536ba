/**
 * One table of valid and invalid objects that both the zod validators (unit test) and the real
 * apiserver with fixtures/crds installed (test/integration/crds) must judge the same way. Each
 * invalid sample breaks exactly one rule; `field` is where both must report it and `apiMessage`
 * a fragment of the apiserver's message (for CEL rules the zod message is the same text). Rules
 * on the object name live at the schema root and are reported at `metadata`.
 */
import { API_VERSION, type KindName } from "./constants.ts";

export interface Sample {
  name: string;
  kind: KindName;
  object: {
    apiVersion: string;
    kind: KindName;
    metadata: { name: string; labels?: Record<string, string> };
    spec: unknown;
  };
}

export interface InvalidSample extends Sample {
  field: string;
  apiMessage: string;
  /** "cel" when an x-kubernetes-validations rule rejects it: then zod carries the same message. */
  layer: "schema" | "cel";
}

const link = (name: string, type = "internet", bandwidthMbps = 100, cost = 10) => ({
  name,
  type,
  bandwidthMbps,
  cost,
});

const siteSpec = () => ({
  region: "eu-west",
  hub: false,
  links: [link("inet0"), link("mpls0", "mpls", 50, 5)],
});
const meshSpec = () => ({
  topology: { type: "hub-spoke" },
  siteSelector: { matchLabels: { "bench.patronus.io/run": "r1" } },
});
const pathSpec = () => ({
  mesh: "mesh-a",
  tunnelId: "site-a.site-b.inet0.inet0",
  siteA: "site-a",
  siteB: "site-b",
  linkA: "inet0",
  linkB: "inet0",
});
const policySpec = () => ({
  class: "voice",
  match: { applications: ["sip"], dscp: [46] },
  sla: { maxLatencyMs: 150, maxJitterMs: 30, maxLossPercent: 1 },
  preferredLinks: ["mpls", "internet"],
});

function obj(kind: KindName, name: string, spec: unknown): Sample["object"] {
  return { apiVersion: API_VERSION, kind, metadata: { name }, spec };
}

/** Deep copy of `base` with `edit` applied: each sample starts from a known-good spec. */
function edited<T>(base: T, edit: (draft: T) => void): T {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

// biome-ignore lint/suspicious/noExplicitAny: samples deliberately write fields the types forbid
type Draft = any;

export const VALID_SAMPLES: Sample[] = [
  { name: "site with two links", kind: "Site", object: obj("Site", "branch-001", siteSpec()) },
  {
    name: "hub site with three links",
    kind: "Site",
    object: obj("Site", "hub-1", {
      region: "us-east",
      hub: true,
      links: [link("a"), link("b", "mpls"), link("c", "lte", 1, 1000)],
    }),
  },
  {
    name: "site relying on the hub default",
    kind: "Site",
    object: obj("Site", "s1", { region: "r", links: [link("l")] }),
  },
  { name: "hub-spoke mesh", kind: "Mesh", object: obj("Mesh", "mesh-a", meshSpec()) },
  {
    name: "partial mesh with k and expressions",
    kind: "Mesh",
    object: obj("Mesh", "mesh.partial", {
      topology: { type: "partial", k: 3 },
      siteSelector: {
        matchExpressions: [
          { key: "tier", operator: "In", values: ["gold"] },
          { key: "lab", operator: "DoesNotExist" },
        ],
      },
      maxTunnels: 200000,
    }),
  },
  {
    name: "full mesh without selector",
    kind: "Mesh",
    object: obj("Mesh", "full", { topology: { type: "full" } }),
  },
  { name: "path", kind: "Path", object: obj("Path", "site-a.site-b.inet0.inet0", pathSpec()) },
  { name: "policy on applications and dscp", kind: "Policy", object: obj("Policy", "voice", policySpec()) },
  {
    name: "policy on IPv4 and IPv6 prefixes",
    kind: "Policy",
    object: obj("Policy", "bulk", {
      class: "bulk",
      match: { prefixes: ["10.20.0.0/16", "2001:db8::/32", "0.0.0.0/0"] },
      siteSelector: { matchLabels: { region: "eu-west" } },
      sla: { maxLatencyMs: 0.5, maxJitterMs: 0, maxLossPercent: 100 },
      preferredLinks: ["lte"],
    }),
  },
];

/**
 * A builder of invalid samples of one kind: each starts from that kind's known-good spec with
 * one edit; `name` derives the object's name from the edited spec (Paths are named by tunnel).
 */
function invalidOf(kind: KindName, base: () => Draft, name: (spec: Draft) => string) {
  return (
    title: string,
    edit: (s: Draft) => void,
    field: string,
    apiMessage: string,
    layer: InvalidSample["layer"] = "schema",
  ): InvalidSample => {
    const spec = edited(base(), edit);
    return { name: title, kind, object: obj(kind, name(spec), spec), field, apiMessage, layer };
  };
}

const site = invalidOf("Site", siteSpec, () => "branch-001");
const mesh = invalidOf("Mesh", meshSpec, () => "mesh-a");
const policy = invalidOf("Policy", policySpec, () => "voice");
const path = invalidOf("Path", pathSpec, (spec) => spec.tunnelId);

export const INVALID_SAMPLES: InvalidSample[] = [
  site(
    "region is not a DNS label",
    (s) => {
      s.region = "EU_West";
    },
    "spec.region",
    "should match",
  ),
  site(
    "region missing",
    (s) => {
      delete s.region;
    },
    "spec.region",
    "Required value",
  ),
  site(
    "unknown link type",
    (s) => {
      s.links[0].type = "wifi";
    },
    "spec.links[0].type",
    'Unsupported value: "wifi"',
  ),
  site(
    "zero bandwidth",
    (s) => {
      s.links[1].bandwidthMbps = 0;
    },
    "spec.links[1].bandwidthMbps",
    "greater than or equal to 1",
  ),
  site(
    "cost over 1000",
    (s) => {
      s.links[0].cost = 1001;
    },
    "spec.links[0].cost",
    "less than or equal to 1000",
  ),
  site(
    "no links",
    (s) => {
      s.links = [];
    },
    "spec.links",
    "should have at least 1 items",
  ),
  site(
    "four links",
    (s) => {
      s.links.push(link("x"), link("y"));
    },
    "spec.links",
    "must have at most 3 items",
  ),
  site(
    "link name too long",
    (s) => {
      s.links[0].name = "l".repeat(33);
    },
    "spec.links[0].name",
    "may not be more than 32",
  ),
  site(
    "duplicate link names",
    (s) => {
      s.links[1].name = "inet0";
    },
    "spec.links",
    "link names must be unique within a site",
    "cel",
  ),
  {
    name: "site name with a dot",
    kind: "Site",
    object: obj("Site", "branch.001", siteSpec()),
    field: "metadata",
    apiMessage: "Site names must be DNS-1123 labels",
    layer: "cel",
  },
  mesh(
    "unknown topology",
    (s) => {
      s.topology.type = "star";
    },
    "spec.topology.type",
    'Unsupported value: "star"',
  ),
  mesh(
    "partial without k",
    (s) => {
      s.topology = { type: "partial" };
    },
    "spec.topology.k",
    "k is required when the topology type is partial",
    "cel",
  ),
  mesh(
    "k on a full mesh",
    (s) => {
      s.topology = { type: "full", k: 2 };
    },
    "spec.topology.k",
    "k is only allowed when the topology type is partial",
    "cel",
  ),
  mesh(
    "k of zero",
    (s) => {
      s.topology = { type: "partial", k: 0 };
    },
    "spec.topology.k",
    "greater than or equal to 1",
  ),
  mesh(
    "maxTunnels zero",
    (s) => {
      s.maxTunnels = 0;
    },
    "spec.maxTunnels",
    "greater than or equal to 1",
  ),
  mesh(
    "In without values",
    (s) => {
      s.siteSelector = { matchExpressions: [{ key: "tier", operator: "In" }] };
    },
    "spec.siteSelector.matchExpressions[0].values",
    "values must be non-empty when the operator is In or NotIn",
    "cel",
  ),
  mesh(
    "Exists with values",
    (s) => {
      s.siteSelector = { matchExpressions: [{ key: "tier", operator: "Exists", values: ["x"] }] };
    },
    "spec.siteSelector.matchExpressions[0].values",
    "values must be empty when the operator is Exists or DoesNotExist",
    "cel",
  ),
  mesh(
    "label key not a qualified name",
    (s) => {
      s.siteSelector = { matchLabels: { "bad key!": "x" } };
    },
    "spec.siteSelector.matchLabels",
    "label keys must be qualified names",
    "cel",
  ),
  path(
    "same site on both ends",
    (s) => {
      Object.assign(s, { siteB: "site-a", tunnelId: "site-a.site-a.inet0.inet0" });
    },
    "spec.siteB",
    "siteA and siteB must be different sites",
    "cel",
  ),
  path(
    "tunnel id not from its ends",
    (s) => {
      s.linkB = "mpls0";
    },
    "spec.tunnelId",
    "tunnelId must be siteA.siteB.linkA.linkB",
    "cel",
  ),
  path(
    "site name longer than a DNS label",
    (s) => {
      const siteA = "a".repeat(64);
      Object.assign(s, { siteA, tunnelId: `${siteA}.site-b.inet0.inet0` });
    },
    "spec.siteA",
    "may not be more than 63",
  ),
  {
    name: "path not named after its tunnel",
    kind: "Path",
    object: obj("Path", "some-other-name", pathSpec()),
    field: "metadata",
    apiMessage: "a Path must be named after its spec.tunnelId",
    layer: "cel",
  },
  policy(
    "class not a DNS label",
    (s) => {
      s.class = "Voice";
    },
    "spec.class",
    "should match",
  ),
  policy(
    "empty match",
    (s) => {
      s.match = {};
    },
    "spec.match",
    "match needs at least one of applications, dscp or prefixes",
    "cel",
  ),
  policy(
    "empty lists in match",
    (s) => {
      s.match = { applications: [], dscp: [], prefixes: [] };
    },
    "spec.match",
    "match needs at least one of",
    "cel",
  ),
  policy(
    "dscp 64",
    (s) => {
      s.match.dscp = [64];
    },
    "spec.match.dscp[0]",
    "less than or equal to 63",
  ),
  policy(
    "prefix without length",
    (s) => {
      s.match.prefixes = ["10.0.0.0"];
    },
    "spec.match.prefixes[0]",
    "must be a CIDR",
    "cel",
  ),
  policy(
    "prefix with host bits",
    (s) => {
      s.match.prefixes = ["10.0.0.1/8"];
    },
    "spec.match.prefixes[0]",
    "must not have host bits set",
    "cel",
  ),
  policy(
    "IPv6 prefix too long",
    (s) => {
      s.match.prefixes = ["2001:db8::/129"];
    },
    "spec.match.prefixes[0]",
    "must be a CIDR",
    "cel",
  ),
  policy(
    "zero latency bound",
    (s) => {
      Object.assign(s.sla, { maxLatencyMs: 0, maxJitterMs: 0 });
    },
    "spec.sla.maxLatencyMs",
    "greater than 0",
  ),
  policy(
    "loss over 100",
    (s) => {
      s.sla.maxLossPercent = 100.5;
    },
    "spec.sla.maxLossPercent",
    "less than or equal to 100",
  ),
  policy(
    "jitter above latency",
    (s) => {
      s.sla.maxJitterMs = 200;
    },
    "spec.sla.maxJitterMs",
    "maxJitterMs must not exceed maxLatencyMs",
    "cel",
  ),
  policy(
    "sla incomplete",
    (s) => {
      delete s.sla.maxLossPercent;
    },
    "spec.sla.maxLossPercent",
    "Required value",
  ),
  policy(
    "no preferred links",
    (s) => {
      s.preferredLinks = [];
    },
    "spec.preferredLinks",
    "should have at least 1 items",
  ),
  policy(
    "repeated preferred link",
    (s) => {
      s.preferredLinks = ["mpls", "lte", "mpls"];
    },
    "spec.preferredLinks",
    "must not repeat a link type",
    "cel",
  ),
  policy(
    "unknown preferred link",
    (s) => {
      s.preferredLinks = ["satellite"];
    },
    "spec.preferredLinks[0]",
    'Unsupported value: "satellite"',
  ),
];

/**
 * Prefixes with [is a CIDR, has no host bits] as the CEL cidr library judges them; cidr.ts must
 * agree, and the integration test checks the apiserver does.
 */
export const CIDR_CASES: readonly [string, boolean, boolean][] = [
  ["10.0.0.0/8", true, true],
  ["10.0.0.1/8", true, false],
  ["0.0.0.0/0", true, true],
  ["192.168.1.7/32", true, true],
  ["10.0.0.0", false, false],
  ["10.0.0.0/33", false, false],
  ["010.0.0.0/8", false, false],
  ["10.0.0.0/08", false, false],
  ["256.0.0.0/8", false, false],
  ["2001:db8::/32", true, true],
  ["2001:db8::1/32", true, false],
  ["::/0", true, true],
  ["fe80::/10", true, true],
  ["2001:db8::/129", false, false],
  ["::ffff:10.0.0.0/104", false, false],
  ["fe80::%eth0/64", false, false],
  ["not-a-cidr/8", false, false],
  ["2001:DB8::/32", true, true],
  ["::1/128", true, true],
  ["1:2:3:4:5:6:7:8/128", true, true],
  ["1:2:3:4:5:6:7::/112", true, true],
  ["10.0.0.0/-1", false, false],
  ["10.0.0.0/8/8", false, false],
];
