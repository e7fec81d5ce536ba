/**
 * One readiness probe on a connection of its own, as a kubelet probes: an operator's hand-written
 * health server may answer one request per connection and close it, so a pooled keep-alive
 * connection (fetch's) can fail every later probe of a server that answers fresh ones.
 */
import http from "node:http";

export function answersOnce(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}
