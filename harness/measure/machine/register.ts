import { registerMeasurement } from "../registry.ts";
import { MachineStateMeasurement } from "./machine-state.ts";

registerMeasurement({ name: "machine-state", create: () => new MachineStateMeasurement() });
