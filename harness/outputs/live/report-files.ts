/**
 * The finished run's report served read-only by the live view: `/report/` is the run directory's
 * index.html, `/report/<path>` a file under it (the charts' SVG and PNG, summary.md, results.json).
 * Nothing outside the run directory is served: a path that leads out of it, also through a
 * symbolic link, is refused.
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";

export const REPORT_PATH = "/report/";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".jsonl": "application/x-ndjson",
  ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The file `urlPath` (the part after /report/, still percent-encoded) names in `dir`, or the
 * status to answer instead: 404 for what is not a file of the directory, 403 for a path out of it.
 */
export async function resolveReportFile(dir: string, urlPath: string): Promise<string | 403 | 404> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return 404;
  }
  if (rel.includes("\0")) return 404;
  const root = await realpath(dir).catch(() => undefined);
  if (!root) return 404;
  const target = resolve(root, rel);
  if (!inside(root, target)) return 403;
  let real = await realpath(target).catch(() => undefined);
  if (!real) return 404;
  if (!inside(root, real)) return 403;
  let info = await stat(real);
  if (info.isDirectory()) {
    real = await realpath(join(real, "index.html")).catch(() => undefined);
    if (!real) return 404;
    if (!inside(root, real)) return 403;
    info = await stat(real);
  }
  return info.isFile() ? real : 404;
}

export async function serveReportFile(dir: string, urlPath: string, res: ServerResponse): Promise<void> {
  const file = await resolveReportFile(dir, urlPath);
  if (typeof file === "number") {
    res
      .writeHead(file, { "content-type": "text/plain; charset=utf-8" })
      .end(file === 403 ? "outside the run directory\n" : "not a file of the run directory\n");
    return;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}
