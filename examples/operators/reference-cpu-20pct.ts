/**
 * About 20 % more operator CPU on scale-1000: the reference operator spends ≈15.6 CPU-seconds on
 * scale-1000's ≈6,150 reconciles, so 0.5 ms more per reconcile adds ≈3.1 s.
 */
import { slowerReference } from "./slower-reference.ts";

export default slowerReference("reference-cpu-20pct", 0.5);
