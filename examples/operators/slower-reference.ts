/**
 * The reference operator with a deliberately slower hot path: every reconcile does `cpuMs` more
 * milliseconds of CPU work (the operator's --reconcile-cpu-ms). Used as the head of an A/B run to
 * show that a gate sees a regression of a known size, e.g.
 *   npx patronus-bench ab scale-1000 --base reference --head examples/operators/reference-cpu-20pct.ts
 */
import reference from "../../harness/operators/builtin/reference/index.ts";
import { defineOperator, type OperatorDefinitionInput } from "../../harness/operators/definition.ts";

export function slowerReference(name: string, cpuMs: number) {
  const args = reference.start.args;
  const start: OperatorDefinitionInput["start"] = {
    ...reference.start,
    args: (settings) => [
      ...(typeof args === "function" ? args(settings) : (args ?? [])),
      "--reconcile-cpu-ms",
      String(cpuMs),
    ],
  };
  return defineOperator({
    ...reference,
    name,
    description: `the reference operator with ${cpuMs} ms more CPU work per reconcile`,
    start,
  });
}
