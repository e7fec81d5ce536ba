/**
 * smoke with one fault: a hub's MPLS link fails for 3 s after the Sites are Ready, so a run has
 * a fault in its events (the run dashboard's fault annotations have something to show).
 */
import { defineScenario } from "../../../../harness/scenario/define.ts";
import smoke from "../../../../scenarios/smoke.ts";

const [create, sitesReady, pathsReady, ...rest] = smoke.phases;

export default defineScenario({
  ...smoke,
  name: "smoke-with-fault",
  description: "smoke, with a hub's MPLS link failed for 3 s once the Paths report",
  phases: [
    create!,
    sitesReady!,
    pathsReady!,
    {
      kind: "inject",
      name: "fail-hub-mpls",
      inject: {
        target: "mesh",
        action: "fail",
        request: { target: { kind: "link", site: "site-00000", link: "mpls-0" } },
        restoreAfter: "3s",
      },
      settle: "5s",
    },
    ...rest,
  ],
});
