import { registerMeasurement } from "../registry.ts";
import { MeshFailoverMeasurement } from "./mesh-failover.ts";

registerMeasurement({ name: "mesh-failover", create: () => new MeshFailoverMeasurement() });
