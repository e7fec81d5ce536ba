/**
 * About 20 % more operator CPU on scale-1000: 0.5 ms more per reconcile. On a quiet 2-core VM
 * that measured ×1.23 operator CPU per 1000 objects and ×1.27 operator CPU over the control
 * plane's (30 interleaved pairs, docs/benchmarks.md); on a busy one, where each reconcile's own
 * CPU time stretches, the same 0.5 ms is a smaller share.
 */
import { slowerReference } from "./slower-reference.ts";

export default slowerReference("reference-cpu-20pct", 0.5);
