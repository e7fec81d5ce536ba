/**
 * `run --dashboard [PORT]`: the port checked and bound before anything starts, on loopback only.
 * A value that is not a port, or a port something else holds, is a one-line error (exit 1).
 */
import { createServer, type Server } from "node:http";
import { HarnessError } from "../../errors.ts";

/** k6's web dashboard port: whoever knows one knows where to look. */
export const DEFAULT_DASHBOARD_PORT = 5665;
export const DASHBOARD_HOST = "127.0.0.1";

const FIX = "give --dashboard a free TCP port (1-65535), or 0 for any free port, e.g. --dashboard 5665";

/** commander gives `true` for a bare `--dashboard`. */
export function parseDashboardPort(value: string | true): number {
  if (value === true) return DEFAULT_DASHBOARD_PORT;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new HarnessError(`--dashboard ${value}: not a port number`, { fix: FIX });
  return Number(value);
}

/** A server listening on 127.0.0.1:port (requests are handled once a view is attached). */
export async function listenDashboard(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, DASHBOARD_HOST, () => {
      server.off("error", fail);
      ok();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    const why =
      err.code === "EADDRINUSE"
        ? "the port is in use"
        : err.code === "EACCES"
          ? "not allowed to listen on it"
          : err.message;
    throw new HarnessError(`--dashboard ${port}: cannot listen on ${DASHBOARD_HOST}:${port} (${why})`, {
      fix: FIX,
    });
  });
  return server;
}

export function dashboardUrl(server: Server): string {
  const { port } = server.address() as { port: number };
  return `http://${DASHBOARD_HOST}:${port}/`;
}
