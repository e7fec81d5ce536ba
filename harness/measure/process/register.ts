import { registerMeasurement } from "../registry.ts";
import { ProcessUsageMeasurement } from "./process-usage.ts";

registerMeasurement({ name: "process-usage", create: () => new ProcessUsageMeasurement() });
