/**
 * One replica's link to one API (the apiserver or the Patronus API): a loopback HTTP(S) proxy
 * the replica is pointed at, which forwards each request upstream, reports it (verb, path, the
 * moment it was forwarded) and can be partitioned.
 *
 * A partition drops every packet, as a real one does, rather than refusing connections: a
 * refused connection (RST) is an answer, and clients treat it as a fast, clean failure, which a
 * partition never gives. So while partitioned, new connections are accepted by the kernel and
 * never answered (what a client sees of dropped SYNs: a connect or TLS handshake that times
 * out); requests on existing connections are read and never forwarded or answered; requests
 * already upstream are abandoned there (the apiserver sees its client vanish, and no answer
 * comes back). When the partition ends, every connection that lived through it is reset: by then
 * both ends' timeouts would have torn it down. Nothing sent during the partition ever reaches
 * the API.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as http from "node:http";
import * as https from "node:https";
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from "node:net";

export interface ForwardedRequest {
  method: string;
  /** Path and query as the replica sent them. */
  path: string;
  /** performance.now() when the request was forwarded upstream. */
  at: number;
}

export interface LinkProxyOptions {
  upstream: string;
  /** Serve TLS with this certificate (apiserver links); plain HTTP otherwise. */
  serving?: { certPem: string; keyPem: string };
  /** CA to trust upstream (the cluster's); undefined trusts the system's CAs. */
  upstreamCa?: string | Buffer;
  onForward: (r: ForwardedRequest) => void;
}

export class LinkProxy {
  private readonly o: LinkProxyOptions;
  private readonly upstream: URL;
  private readonly tcp: TcpServer;
  private readonly httpServer: http.Server;
  private readonly agent: http.Agent;
  private readonly sockets = new Set<Socket>();
  /** Sockets that lived through the current partition, reset when it ends. */
  private readonly cutOff = new Set<Socket>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private partitioned = false;
  private address = "";

  constructor(options: LinkProxyOptions) {
    this.o = options;
    this.upstream = new URL(options.upstream);
    const secure = this.upstream.protocol === "https:";
    this.agent = secure
      ? new https.Agent({ keepAlive: true, ...(options.upstreamCa ? { ca: options.upstreamCa } : {}) })
      : new http.Agent({ keepAlive: true });
    const handler = (req: IncomingMessage, res: ServerResponse) => this.forward(req, res);
    this.httpServer = options.serving
      ? https.createServer({ cert: options.serving.certPem, key: options.serving.keyPem }, handler)
      : http.createServer(handler);
    // Long watches and streams: no server-side timeouts of the proxy's own.
    this.httpServer.requestTimeout = 0;
    this.httpServer.headersTimeout = 0;
    this.httpServer.keepAliveTimeout = 120_000;
    this.httpServer.on("clientError", (_err, socket) => socket.destroy());
    this.tcp = createTcpServer((socket) => {
      this.sockets.add(socket);
      socket.once("close", () => {
        this.sockets.delete(socket);
        this.cutOff.delete(socket);
      });
      socket.on("error", () => {});
      if (this.partitioned) this.cutOff.add(socket);
      else this.httpServer.emit("connection", socket);
    });
  }

  /** Starts listening on a free loopback port; resolves with the URL to give the replica. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once("error", reject);
      this.tcp.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (this.tcp.address() as { port: number }).port;
    this.address = `${this.o.serving ? "https" : "http"}://127.0.0.1:${port}`;
    return this.address;
  }

  get url(): string {
    return this.address;
  }

  get isPartitioned(): boolean {
    return this.partitioned;
  }

  partition(): void {
    if (this.partitioned) return;
    this.partitioned = true;
    for (const s of this.sockets) this.cutOff.add(s);
    for (const r of this.inFlight) r.destroy();
    this.inFlight.clear();
  }

  heal(): void {
    if (!this.partitioned) return;
    this.partitioned = false;
    for (const s of this.cutOff) s.destroy();
    this.cutOff.clear();
  }

  async close(): Promise<void> {
    this.heal();
    for (const s of this.sockets) s.destroy();
    for (const r of this.inFlight) r.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    // Read and dropped: no answer, as on a partitioned network.
    if (this.partitioned) {
      req.resume();
      return;
    }
    const headers = { ...withoutHopByHop(req.headers), host: this.upstream.host };
    const upstreamReq = (this.upstream.protocol === "https:" ? https : http).request({
      protocol: this.upstream.protocol,
      hostname: this.upstream.hostname,
      port: this.upstream.port,
      method: req.method,
      path: req.url,
      headers,
      agent: this.agent,
    });
    this.inFlight.add(upstreamReq);
    this.o.onForward({ method: req.method ?? "GET", path: req.url ?? "/", at: performance.now() });
    upstreamReq.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, withoutHopByHop(up.headers));
      res.flushHeaders();
      up.pipe(res);
      up.on("error", () => {
        if (!this.partitioned) res.destroy();
      });
      up.on("end", () => this.inFlight.delete(upstreamReq));
    });
    upstreamReq.on("error", () => {
      this.inFlight.delete(upstreamReq);
      // Abandoned by a partition: the client hears nothing.
      if (this.partitioned) return;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    upstreamReq.on("close", () => this.inFlight.delete(upstreamReq));
    res.on("close", () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    req.pipe(upstreamReq);
  }
}

/** Headers of one connection, not of the message (RFC 9110 §7.6.1): each hop sets its own. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}
