/**
 * The patronus-rs dialect of the Patronus API: exactly what the upstream Rust operator calls, as
 * its code builds the calls (base URL from its PATRONUS_API_URL, no Authorization header, JSON):
 *
 * - `PUT /api/v1/sites/{name}` — create or replace the site. Body: {name, location,
 *   wireguard: {public_key, listen_port, endpoints}, resources: {cpu, memory, storage} | null,
 *   mesh: {enabled, peer_with} | null}; every key present, `location` and the `resources` values
 *   null when the Site spec leaves them out. The operator treats any 2xx as success.
 * - `DELETE /api/v1/sites/{name}` — the operator treats 2xx and 404 as success.
 * - `PUT /api/v1/policies/{name}` — create or replace; the body is the Policy spec as serde
 *   serializes it (snake_case fields, `match`, `action.type`; absent optionals left out, never null).
 * - `DELETE /api/v1/policies/{name}` — 2xx and 404 are success (other statuses it only logs).
 *
 * What the simulator answers, as a create-or-replace API does: PUT → 201 Created with the stored
 * object when the name was new, 200 OK when it replaced one (an identical body keeps the revision);
 * DELETE → 204, or 404 when the name holds nothing. Bodies are validated like the CRDs the operator
 * generates (types, enums, bounds); a violation is 400 with the field path, unknown fields are
 * rejected by name. Errors are the simulator's ApiError bodies.
 */
import { z } from "zod";

/** A Kubernetes object name (DNS-1123 subdomain): the operator uses the custom resource's name. */
export const ObjectName = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "must be a Kubernetes object name (DNS-1123 subdomain)",
  );

const Text = z.string().max(1024);

/** 32 bytes in base64: 43 characters and one '=' (the operator itself checks length and the '='). */
export const WireguardPublicKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, "must be a WireGuard public key (44 characters of base64 ending in '=')");

/** host:port, the host a name, an IPv4 address or a bracketed IPv6 address. */
export const Endpoint = z
  .string()
  .max(300)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$/, "must be host:port");

export const RsSiteBody = z.strictObject({
  name: ObjectName,
  location: Text.nullable(),
  wireguard: z.strictObject({
    public_key: WireguardPublicKey,
    listen_port: z.number().int().min(1).max(65_535),
    endpoints: z.array(Endpoint).min(1).max(64),
  }),
  resources: z
    .strictObject({ cpu: Text.nullable(), memory: Text.nullable(), storage: Text.nullable() })
    .nullable(),
  mesh: z.strictObject({ enabled: z.boolean(), peer_with: z.array(ObjectName).max(10_000) }).nullable(),
});
export type RsSiteBody = z.infer<typeof RsSiteBody>;

const PathReference = z.strictObject({ site_ref: Text.min(1), path_id: Text.min(1) });

export const RsPolicyBody = z.strictObject({
  priority: z.number().int().min(0).max(1000),
  match: z.strictObject({
    protocol: z.enum(["tcp", "udp", "icmp", "any"]).optional(),
    dst_port_range: Text.optional(),
    src_port_range: Text.optional(),
    dscp: z.number().int().min(0).max(63).optional(),
  }),
  action: z.strictObject({
    type: z.enum(["route", "drop", "forward"]),
    primary_path: PathReference.optional(),
    backup_path: PathReference.optional(),
    qos: z
      .strictObject({
        class: z.enum(["realtime", "business-critical", "best-effort"]),
        bandwidth: Text.optional(),
      })
      .optional(),
  }),
  failover: z.strictObject({ threshold: z.number().int().min(0).max(100), cooldown: Text.min(1) }).optional(),
});
export type RsPolicyBody = z.infer<typeof RsPolicyBody>;

const Stored = { revision: z.number().int().min(1), updatedAt: z.string() };

/** PUT /sites/{name} answers the site as stored. */
export const RsSite = RsSiteBody.extend(Stored);
export type RsSite = z.infer<typeof RsSite>;

/** PUT /policies/{name} answers the policy as stored, with its name. */
export const RsPolicy = RsPolicyBody.extend({ name: ObjectName, ...Stored });
export type RsPolicy = z.infer<typeof RsPolicy>;

/**
 * GET /received (control side, bearer token, not rate limited): what the dialect holds now —
 * the latest body per site and policy with who sent it — and the deletions it accepted, so the
 * harness can judge the operator's work (lost_updates) without an API the operator never calls.
 */
export const ReceivedObject = z.strictObject({
  name: z.string(),
  body: z.record(z.string(), z.unknown()),
  revision: z.number().int().min(1),
  /** The caller of the PUT that set this body. */
  caller: z.string(),
  updatedAtMs: z.number(),
});
export type ReceivedObject = z.infer<typeof ReceivedObject>;

export const ReceivedDeletion = z.strictObject({
  kind: z.enum(["site", "policy"]),
  name: z.string(),
  caller: z.string(),
  atMs: z.number(),
});
export type ReceivedDeletion = z.infer<typeof ReceivedDeletion>;

export const ReceivedState = z.strictObject({
  dialect: z.literal("patronus-rs"),
  sites: z.array(ReceivedObject),
  policies: z.array(ReceivedObject),
  /** Accepted deletions, oldest first (bounded: the newest 10,000). */
  deletions: z.array(ReceivedDeletion),
});
export type ReceivedState = z.infer<typeof ReceivedState>;

export const RECEIVED_PATH = "/received";
