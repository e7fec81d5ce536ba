/**
 * `defineScenario` is what a scenario file exports as default. It only types the input: the
 * loader validates (so a user's file gets an error naming the file and the field), applies
 * overrides, and fills the defaults.
 */
import type { ScenarioInput } from "./schema.ts";

export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input;
}
