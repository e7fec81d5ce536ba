/**
 * Who called. Every request is attributed to a caller, so the harness can tell its operator
 * replicas apart in the request log, the per-caller metrics, the rate limit and a partition.
 *
 * The caller is named by a path prefix, `/c/<caller>/…`: the harness gives each replica the base
 * URL `http://host:port/c/<caller>`, and any operator appends its `/api/v1/…` to the URL it was
 * configured with, so no operator needs to know about callers. The header `X-Patronus-Caller` is
 * the fallback for clients that cannot take a prefixed URL; neither given → "anonymous".
 */
import { HttpError } from "../server/router.ts";

export const CALLER_PREFIX = "/c/";
export const CALLER_HEADER = "x-patronus-caller";
export const ANONYMOUS_CALLER = "anonymous";

/** Letters, digits, dot, dash, underscore; 1–63 characters (a pod or replica name fits). */
const CALLER = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export function isCallerName(name: string): boolean {
  return CALLER.test(name);
}

/** The caller and the path with the caller prefix removed; 400 naming `caller` when malformed. */
export function resolveCaller(
  pathname: string,
  header: string | string[] | undefined,
): { caller: string; pathname: string } {
  if (pathname.startsWith(CALLER_PREFIX)) {
    const rest = pathname.slice(CALLER_PREFIX.length);
    const slash = rest.indexOf("/");
    const raw = slash < 0 ? rest : rest.slice(0, slash);
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      name = "";
    }
    if (!isCallerName(name)) throw badCaller(`caller prefix /c/${raw}`);
    return { caller: name, pathname: slash < 0 ? "/" : rest.slice(slash) };
  }
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value !== "") {
    if (!isCallerName(value)) throw badCaller(`header ${CALLER_HEADER}`);
    return { caller: value, pathname };
  }
  return { caller: ANONYMOUS_CALLER, pathname };
}

function badCaller(where: string): HttpError {
  return new HttpError(
    400,
    "bad_request",
    `caller: ${where} must be 1–63 letters, digits, '.', '-' or '_', starting and ending with a letter or digit`,
    { field: "caller" },
  );
}

/** The base URL whose requests the simulator attributes to `caller` (the prefix on `url`). */
export function callerUrl(url: string, caller: string): string {
  if (!isCallerName(caller)) throw new Error(`not a caller name: ${JSON.stringify(caller)}`);
  return `${url.replace(/\/$/, "")}${CALLER_PREFIX}${caller}`;
}
