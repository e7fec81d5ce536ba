/**
 * The profiling window: which phases it spans (`--window phase` or `from..to`; by default the
 * scenario's main load phase), and the phase hooks that open it on the leader before the first
 * phase and close it after the last. A target that dies inside the window fails the run with a
 * message naming it, instead of leaving a silently empty profile.
 */
import { HarnessError } from "../errors.ts";
import { isAlive } from "../process/supervisor.ts";
import type { HotPath } from "../results/schema.ts";
import type { PhaseContext } from "../run/context.ts";
import { phaseName } from "../run/phases/index.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import { attachInspector, detachInspector } from "./inspector/attach.ts";
import type { CdpSession } from "./inspector/cdp.ts";
import { findLeader, type LeaderTarget } from "./target/leader.ts";
import type { ProfilerTool, ToolResult, WindowTarget } from "./tools/tool.ts";

export interface WindowSpec {
  from: string;
  to: string;
}

const LOAD_KINDS = new Set(["load", "churn", "http-load"]);

/** The default window: the first load/churn phase; else the first create phase and the wait-for phases settling it. */
export function defaultWindow(def: ScenarioDefinition): WindowSpec {
  const names = def.phases.map((p, i) => phaseName(p, i));
  const load = def.phases.findIndex((p) => LOAD_KINDS.has(p.kind));
  if (load >= 0) return { from: names[load] as string, to: names[load] as string };
  const create = def.phases.findIndex((p) => p.kind === "create");
  if (create < 0) {
    throw new HarnessError(`scenario ${def.name} has no load, churn or create phase to profile by default`, {
      fix: `name the window with --window (phases: ${names.join(", ")})`,
    });
  }
  let end = create;
  while (def.phases[end + 1]?.kind === "wait-for") end++;
  return { from: names[create] as string, to: names[end] as string };
}

export function resolveWindow(def: ScenarioDefinition, window: string | undefined): WindowSpec {
  if (window === undefined) return defaultWindow(def);
  const names = def.phases.map((p, i) => phaseName(p, i));
  const [from = "", to = from] = window.split("..");
  for (const name of [from, to]) {
    if (!names.includes(name)) {
      throw new HarnessError(`--window: scenario ${def.name} has no phase "${name}"`, {
        fix: `use one of ${names.join(", ")} (or FROM..TO)`,
      });
    }
  }
  if (names.indexOf(to) < names.indexOf(from))
    throw new HarnessError(`--window ${window}: phase "${to}" runs before "${from}"`);
  return { from, to };
}

export interface WindowOutcome {
  result: ToolResult & { hotPaths?: HotPath[] };
  target: { identity: string; pid: number };
  startedAt: number;
  finishedAt: number;
}

/** Phase hooks for runOnce: opens the window before `from`, closes it after `to`. */
export class WindowProfiler {
  private readonly tool: ProfilerTool;
  private readonly spec: WindowSpec;
  private readonly dir: string;
  private target: LeaderTarget | undefined;
  private session: CdpSession | undefined;
  private startedAt = 0;
  private lost: string | undefined;
  /** Why the window produced no profile, once that is known. */
  failure: HarnessError | undefined;
  /** Aborted on failure; runOnce gets its signal and stops after the current phase. */
  readonly abort = new AbortController();
  /** Phases that started, in order (to say where a run stopped when the window never came). */
  readonly phasesSeen: string[] = [];
  outcome: WindowOutcome | undefined;

  /** The operator's leader metric; undefined where it elects no leader (any replica will do). */
  private readonly leaderMetric: string | undefined;

  constructor(tool: ProfilerTool, spec: WindowSpec, dir: string, leaderMetric?: string) {
    this.tool = tool;
    this.spec = spec;
    this.dir = dir;
    this.leaderMetric = leaderMetric;
  }

  get opened(): boolean {
    return this.target !== undefined;
  }

  private windowTarget(ctx: PhaseContext): WindowTarget {
    return {
      target: this.target as LeaderTarget,
      session: this.session,
      dir: this.dir,
      now: () => ctx.store.elapsedSeconds(),
    };
  }

  beforePhase = async (name: string, ctx: PhaseContext): Promise<void> => {
    this.phasesSeen.push(name);
    if (name !== this.spec.from || this.failure) return;
    try {
      const target = await findLeader(ctx.operator, this.dir, this.leaderMetric);
      this.target = target;
      if (this.tool.needsInspector) {
        this.session = await attachInspector(target);
        void this.session.closed.then((reason) => this.targetLost(reason));
        // A Node process that exits while a debugger is attached waits for it to disconnect
        // ("Waiting for the debugger to disconnect..."): let it go at once, or the profiler
        // would hold a dead leader (e.g. one that lost its lease) until the window ends.
        this.session.on("NodeRuntime.waitingForDisconnect", () => {
          this.targetLost("it is exiting");
          void this.close();
        });
        await this.session.send("NodeRuntime.notifyWhenWaitingForDisconnect", { enabled: true });
      }
      await this.tool.start(this.windowTarget(ctx));
      this.startedAt = ctx.store.elapsedSeconds();
      ctx.events.record("profile.start", "profiler", {
        tool: this.tool.name,
        identity: target.identity,
        pid: target.pid,
      });
      ctx.progress.log(
        `profiling ${target.name} (pid ${target.pid}) with ${this.tool.name} from phase ${name}`,
      );
    } catch (err) {
      await this.fail(
        err instanceof HarnessError ? err : new HarnessError((err as Error).message, { cause: err }),
      );
    }
  };

  afterPhase = async (name: string, ctx: PhaseContext): Promise<void> => {
    if (!this.target || this.outcome || this.failure) return;
    const target = this.target;
    if (this.lost !== undefined || !isAlive(target.pid)) {
      await this.fail(this.exitedError(target));
      return;
    }
    if (name !== this.spec.to) return;
    try {
      const result = await this.tool.stop(this.windowTarget(ctx));
      // A doctor window has no connection to notice a death by; an empty series would mislead.
      if (!isAlive(target.pid)) throw this.exitedError(target);
      this.outcome = {
        result,
        target: { identity: target.identity, pid: target.pid },
        startedAt: this.startedAt,
        finishedAt: ctx.store.elapsedSeconds(),
      };
      ctx.events.record("profile.stop", "profiler", { tool: this.tool.name, artifacts: result.artifacts });
      await this.close();
    } catch (err) {
      await this.fail(
        !isAlive(target.pid)
          ? this.exitedError(target)
          : err instanceof HarnessError
            ? err
            : new HarnessError(
                `stopping the ${this.tool.name} profiler on ${target.name} failed: ${(err as Error).message}`,
                {
                  cause: err,
                },
              ),
      );
    }
  };

  /** The profile is lost with the target: end the run now rather than after the window. */
  private targetLost(reason: string): void {
    if (this.outcome !== undefined || this.failure) return;
    this.lost ??= reason;
    this.abort.abort();
  }

  private exitedError(target: LeaderTarget): HarnessError {
    return new HarnessError(
      `${target.name} (pid ${target.pid}) exited during the profiling window (${this.spec.from}..${this.spec.to}); no profile was taken`,
      { fix: `see ${target.logFile}` },
    );
  }

  /**
   * Records why there will be no profile and stops the run at the next phase boundary: the run
   * then ends the normal way (measurements stopped, results.json written, processes stopped) and
   * the caller reports this failure.
   */
  private async fail(err: HarnessError): Promise<void> {
    this.failure ??= err;
    this.abort.abort();
    await this.close();
  }

  /** Leaves the target as it was (inspector closed); safe to call more than once. */
  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await detachInspector(s);
  }
}
