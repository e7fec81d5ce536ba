/**
 * Measurements by name (clusterloader2's measurement factory): each measurement folder registers
 * a factory here (its register.ts), and a run asks for the ones its scenario keeps. Adding a
 * measurement is a folder with a register.ts, listed once in ./builtin.ts.
 */
import { HarnessError } from "../errors.ts";
import type { ObjectLedger } from "../load/objects/ledger.ts";
import type { Topology, TopologySite } from "../mesh/topology/tunnels.ts";
import type { OperatorDefinition } from "../operators/definition.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import type { Measurement } from "./measurement.ts";
import type { CallerRequestSource } from "./split-brain/split-brain.ts";

/** What a factory may build its measurement from: the scenario and the run's model of the system. */
export interface MeasurementSetup {
  definition: ScenarioDefinition;
  /** The operator under test: the kinds it serves, whether it elects a leader, its metric names. */
  operator: OperatorDefinition;
  /** Whether the run watches Paths (the operator has them and the scenario uses them). */
  watchesPaths: boolean;
  ledger: ObjectLedger;
  /** The name of the run's Mesh object. */
  meshName: string;
  /** The mesh's tunnel rule. */
  topology(): Topology;
  /** The Sites that exist now, as the tunnel rule sees them. */
  liveSites(): TopologySite[];
  /** The operator replicas' requests by caller, where the run gives each replica its own links. */
  callers?: CallerRequestSource | undefined;
  /** Another measurement of the run (one instance per run), for what it knows (e.g. expected tunnels). */
  use<M extends Measurement>(name: string): M;
}

export interface MeasurementEntry {
  name: string;
  /** Always runs: the run's waits and coverage depend on it (disableMeasurements cannot name it). */
  required?: boolean;
  /** The object kinds it observes; a run on an operator lacking one can leave it out. */
  kinds?: ReadonlyArray<"Site" | "Policy" | "Mesh" | "Path">;
  /** The measurement, or undefined where this run cannot take it (what it reads is not there). */
  create(setup: MeasurementSetup): Measurement | undefined;
}

const entries = new Map<string, MeasurementEntry>();

export function registerMeasurement(entry: MeasurementEntry): void {
  if (entries.has(entry.name)) throw new Error(`measurement ${entry.name} is registered twice`);
  entries.set(entry.name, entry);
}

/** Every registered measurement, in registration order (the order a run starts them in). */
export function registeredMeasurements(): readonly MeasurementEntry[] {
  return [...entries.values()];
}

/** Refuses a disableMeasurements entry that names no measurement, or one that cannot be left out. */
export function requireDisablable(disabled: readonly string[]): void {
  const optional = registeredMeasurements()
    .filter((e) => !e.required)
    .map((e) => e.name);
  const required = registeredMeasurements()
    .filter((e) => e.required)
    .map((e) => e.name);
  for (const name of disabled) {
    if (!optional.includes(name))
      throw new HarnessError(`disableMeasurements: unknown measurement "${name}"`, {
        fix: `use some of ${optional.join(", ")} (${required.join(" and ")} cannot be disabled)`,
      });
  }
}

/**
 * The measurements a run starts, in registration order: every registered one but those the
 * scenario disables (and those `skip` leaves out). A measurement another one uses is created once.
 */
export function createMeasurements(
  setup: Omit<MeasurementSetup, "use">,
  disabled: readonly string[],
  skip: readonly string[] = [],
): Map<string, Measurement> {
  requireDisablable(disabled);
  const created = new Map<string, Measurement>();
  const full: MeasurementSetup = {
    ...setup,
    use: <M extends Measurement>(name: string): M => {
      const found = created.get(name) ?? build(name);
      if (!found) throw new Error(`measurement ${name} is not available in this run`);
      return found as M;
    },
  };
  const build = (name: string): Measurement | undefined => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`no measurement ${name} is registered`);
    const m = entry.create(full);
    if (m) created.set(name, m);
    return m;
  };
  const out = new Map<string, Measurement>();
  for (const entry of entries.values()) {
    if (disabled.includes(entry.name) || skip.includes(entry.name)) continue;
    const m = created.get(entry.name) ?? build(entry.name);
    if (m) out.set(entry.name, m);
  }
  return out;
}
