/** Loopback ports for the components; an explicitly requested port that is taken is a clear error. */
import { createServer } from "node:net";
import { HarnessError } from "../../errors.ts";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen({ host: "127.0.0.1", port: 0 }, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new HarnessError(`port ${port} for ${what} is already in use on 127.0.0.1 (${err.code})`, {
          fix: `stop whatever listens there (\`ss -ltnp 'sport = :${port}'\`) or choose another port`,
        }),
      );
    });
    srv.listen({ host: "127.0.0.1", port }, () => srv.close(() => resolve()));
  });
}

/** Which of these ports still has a listener on loopback — for leak checks in tests. */
export async function listeningPorts(ports: readonly number[]): Promise<number[]> {
  const taken: number[] = [];
  for (const p of ports) {
    try {
      await assertPortFree(p, "check");
    } catch {
      taken.push(p);
    }
  }
  return taken;
}
