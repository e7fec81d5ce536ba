/**
 * Public entry of the sdwan.patronus.io/v1alpha1 API for the operator and the harness: TypeScript
 * types and zod validators of Site, Mesh, Path and Policy (mirroring fixtures/crds/*.yaml),
 * constants, validation helpers and object constructors.
 */
export * from "./cidr.ts";
export * from "./common.ts";
export * from "./constants.ts";
export * from "./mesh.ts";
export * from "./objects.ts";
export * from "./path.ts";
export * from "./policy.ts";
export * from "./site.ts";
export * from "./validate.ts";
