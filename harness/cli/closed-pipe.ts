/**
 * A reader that goes away (`patronus-bench list | head -1`) makes the next write to stdout or
 * stderr fail with EPIPE, which Node raises as an unhandled 'error' event: a stack trace and
 * exit 1 for output nobody wanted any more. The CLI stops writing there instead and its
 * command ends as it would have — a run still stops its processes and writes its files.
 */
export function ignoreClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (stream.listeners("error").includes(onError)) continue;
    stream.on("error", onError);
  }
}

function onError(err: NodeJS.ErrnoException): void {
  // The stream is destroyed by now: later writes to it are dropped without another error.
  if (err.code === "EPIPE") return;
  // Anything else on the terminal's own streams is as fatal as it was without this listener.
  throw err;
}
