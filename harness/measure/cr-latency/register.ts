import { registerMeasurement } from "../registry.ts";
import { CrLatencyMeasurement } from "./cr-latency.ts";

registerMeasurement({
  name: "cr-latency",
  required: true,
  kinds: ["Site", "Policy"],
  create: () => new CrLatencyMeasurement(),
});
