/**
 * Request bodies: JSON only, capped while streaming (a client cannot make the server buffer more
 * than the limit by lying about or omitting Content-Length).
 */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./router.ts";

export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > limitBytes) {
    throw new HttpError(
      413,
      "payload_too_large",
      `request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes`,
    );
  }
  // Event-based rather than `for await`: leaving an async iterator early destroys the request,
  // and with it the socket the 413 has to go out on.
  const { chunks, size } = await new Promise<{ chunks: Buffer[]; size: number }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off("data", onData);
        req.pause();
        reject(
          new HttpError(413, "payload_too_large", `request body exceeds the limit of ${limitBytes} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve({ chunks, size }));
    req.once("error", reject);
  });
  if (size === 0) return undefined;
  const type = req.headers["content-type"];
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(400, "bad_request", `content-type must be application/json, got ${type}`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks, size).toString("utf8"));
  } catch (err) {
    throw new HttpError(400, "bad_request", `malformed JSON body: ${(err as Error).message}`);
  }
}
