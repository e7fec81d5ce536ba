/**
 * The replica-side API the shard router uses (base /shard/v1, same bearer token, not rate
 * limited): making other shards' sites known, and the per-shard half of a policy apply. Clients
 * talk to the router, never to these.
 */
import { z } from "zod";
import { Name, SiteSpec } from "../../../contract/patronus-api/v1.ts";

export const SHARD_BASE_PATH = "/shard/v1";

/** PUT /shard/v1/peers/{name}: a site registered at its owner; its links become known here. */
export const PeerSite = SiteSpec;

/** POST /shard/v1/unregistered → { missing }: which of these (owned) sites are not registered. */
export const SiteNames = z.strictObject({ sites: z.array(Name).max(10_000) });
export const MissingSites = z.strictObject({ missing: z.array(Name) });

/** POST /shard/v1/apply → 202 Operation over exactly these sites (the owned part of a policy). */
export const ShardApply = z.strictObject({ policy: Name, sites: z.array(Name).min(1).max(10_000) });
export type ShardApply = z.infer<typeof ShardApply>;
