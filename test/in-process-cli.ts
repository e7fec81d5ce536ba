/**
 * The CLI run inside the test's own process (`main(args)`), with what it prints captured:
 * stdout (process.stdout.write and console.log) and stderr (console.error). Restored after,
 * also when `main` throws.
 */
import { main } from "../harness/cli/main.ts";

export interface CliOutput {
  code: number;
  out: string;
  errors: string;
}

export async function runCli(args: string[]): Promise<CliOutput> {
  const out: string[] = [];
  const errors: string[] = [];
  const write = process.stdout.write;
  const { log, error } = console;
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  console.log = (...a: unknown[]) => void out.push(`${a.join(" ")}\n`);
  console.error = (...a: unknown[]) => void errors.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join(""), errors: errors.join("\n") };
  } finally {
    process.stdout.write = write;
    console.log = log;
    console.error = error;
  }
}
