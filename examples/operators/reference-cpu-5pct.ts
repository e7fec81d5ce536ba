/** About 5 % more operator CPU on scale-1000: 0.13 ms more per reconcile (see reference-cpu-20pct.ts). */
import { slowerReference } from "./slower-reference.ts";

export default slowerReference("reference-cpu-5pct", 0.13);
