/**
 * The Patronus API dialects the simulator speaks. One per simulator, chosen by the operator under
 * test (its definition's `patronusApi.dialect`): the same world, faults, telemetry and logs behind
 * either.
 *
 * - `reference`: the API in contract.ts (POST/GET/PUT/DELETE sites, policies with apply
 *   operations, routing, mesh tunnel programs, telemetry), bearer token required.
 * - `patronus-rs`: exactly what the upstream Rust operator calls (patronus-rs.ts): PUT and DELETE
 *   of sites and policies by name, JSON bodies as its code builds them, no token.
 */
import { z } from "zod";

export const Dialect = z.enum(["reference", "patronus-rs"]);
export type Dialect = z.infer<typeof Dialect>;
