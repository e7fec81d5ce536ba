/**
 * Self-fencing: a replica makes no write once its lease may have expired by its own clock. The
 * lease it last renewed binds the standbys for a lease duration counted from when they saw the
 * renewal, which is after the renewal was sent; so until `renewal sent + renew deadline` (the
 * renew deadline being shorter than the lease duration) no standby can have taken over, and
 * after it one may have. Judged on the monotonic clock, never wall time.
 *
 * The check runs at the last moment a write can still be stopped: when the HTTP client hands
 * the request to a connection (undici's onRequestStart), after any wait in the rate limiter, the
 * connection pool or a retry backoff. A process frozen by SIGSTOP (a GC pause, a frozen VM)
 * resumes with its pending writes due at once: this is what stops them.
 */
import type { Dispatcher } from "undici";

export class FencedError extends Error {
  override name = "FencedError";
}

export interface WriteFence {
  /** Why a write now must not go out; undefined when it may. */
  refusal(): FencedError | undefined;
}

/** Reads are never fenced: standbys keep their caches warm. */
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** An undici interceptor that refuses writes the fence forbids, at the moment they would be sent. */
export function fencing(fence: WriteFence): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    if (!WRITE_METHODS.has(String(opts.method).toUpperCase())) return dispatch(opts, handler);
    const start = handler.onRequestStart?.bind(handler);
    const fenced: Dispatcher.DispatchHandler = new Proxy(handler, {
      get(target, prop, receiver) {
        if (prop === "onRequestStart" && start)
          return (controller: Dispatcher.DispatchController, context: unknown) => {
            const refused = fence.refusal();
            if (refused) {
              controller.abort(refused);
              return;
            }
            start(controller, context as object);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    return dispatch(opts, fenced);
  };
}
