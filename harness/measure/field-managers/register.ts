import { registerMeasurement } from "../registry.ts";
import { FieldManagersMeasurement } from "./field-managers.ts";

registerMeasurement({ name: "field-managers", create: () => new FieldManagersMeasurement() });
