import { registerMeasurement } from "../registry.ts";
import { PatronusRequestsMeasurement } from "./patronus-requests.ts";

registerMeasurement({ name: "patronus-requests", create: () => new PatronusRequestsMeasurement() });
