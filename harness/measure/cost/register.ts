import { registerMeasurement } from "../registry.ts";
import { CostCountsMeasurement } from "./cost-counts.ts";

registerMeasurement({ name: "cost-counts", create: () => new CostCountsMeasurement() });
