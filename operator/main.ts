/**
 * Entry of the Patronus operator process:
 *   node operator/main.ts --kubeconfig FILE --patronus-url URL --patronus-token-file FILE [options]
 *   node operator/main.ts --version
 * Exits 0 after a clean SIGTERM/SIGINT shutdown, 1 on a configuration or startup error or when
 * leadership is lost, 2 on bad flags.
 */
import { pino } from "pino";
import { ConfigError, parseConfig } from "./config/flags.ts";
import { Manager } from "./manager.ts";
import { OPERATOR_VERSION } from "./version.ts";

async function main(): Promise<number> {
  if (process.argv[2] === "--version") {
    process.stdout.write(`${OPERATOR_VERSION}\n`);
    return 0;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`patronus-operator: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { component: "patronus-operator", pid: process.pid } });
  let manager: Manager;
  try {
    manager = new Manager(config, logger);
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "cannot start");
    return 1;
  }
  const onSignal = (signal: string) => {
    logger.info({ signal }, "signal received");
    void manager.shutdown();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return manager.run();
}

main().then(
  (code) => {
    // Lost leadership (1): reconciles still in flight must not get to write, so exit now.
    if (code !== 0) process.exit(code);
    process.exitCode = code;
    // Sockets that linger (keep-alive pools) must not hold a stopped operator open.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(
      `patronus-operator: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
