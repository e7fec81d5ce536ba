/** Every CLI command registers itself here; one module per command. */
import type { Command } from "commander";

export function registerCommands(program: Command): void {
  void program;
}
