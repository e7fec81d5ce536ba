/**
 * The simulated world in one object: site registry, link and tunnel tables, faults, operations,
 * routing state and the telemetry engine, wired together. No HTTP here (see server/ and the
 * routes in api/, faults/, telemetry/); tests and the HTTP layer drive it through these methods.
 */
import { isDeepStrictEqual } from "node:util";
import type { Operation, RoutingConfig, Site } from "../../contract/patronus-api/v1.ts";
import { MeshPrograms } from "./control/meshes.ts";
import { OperationStore } from "./control/operations.ts";
import { PolicyStore } from "./control/policies.ts";
import { ReceivedStore } from "./control/received.ts";
import { RoutingState } from "./control/routing.ts";
import { type SiteChange, SiteRegistry } from "./control/sites.ts";
import { EventLog } from "./events/log.ts";
import { FaultEngine } from "./faults/engine.ts";
import { LinkTable } from "./model/link-table.ts";
import { ShardMap } from "./model/ownership.ts";
import { STATE_DOWN } from "./model/tunnel-model.ts";
import { TunnelTable } from "./model/tunnel-table.ts";
import type { World, WorldSite } from "./model/world.ts";
import type { ResolvedOptions } from "./options.ts";
import { TelemetryEngine } from "./telemetry/engine.ts";
import { TelemetryPublisher } from "./telemetry/publisher.ts";
import { DelayQueue } from "./timing/delay-queue.ts";

export class Simulation {
  readonly world: World;
  readonly options: ResolvedOptions;
  readonly events: EventLog;
  readonly links: LinkTable;
  readonly tunnels = new TunnelTable();
  readonly queue = new DelayQueue();
  readonly publisher: TelemetryPublisher;
  readonly engine: TelemetryEngine;
  readonly faults: FaultEngine;
  readonly sites: SiteRegistry;
  readonly policies = new PolicyStore();
  /** What the patronus-rs dialect received (unused by the reference dialect). */
  readonly received = new ReceivedStore();
  readonly operations: OperationStore;
  readonly routing: RoutingState;
  readonly meshes: MeshPrograms;
  readonly shardMap: ShardMap;
  private readonly worldIndex: Map<string, number>;
  private preloading = false;

  constructor(world: World, options: ResolvedOptions) {
    this.world = world;
    this.options = options;
    this.events = new EventLog(options.eventLogCapacity);
    this.links = new LinkTable(world.seed);
    this.worldIndex = new Map(world.sites.map((s, i) => [s.name, i]));
    this.shardMap = new ShardMap(
      world.sites.map((s) => s.name),
      options.shard?.count ?? 1,
    );
    this.publisher = new TelemetryPublisher({
      retainFrames: options.telemetryRetain.frames,
      retainBytes: options.telemetryRetain.bytes,
      maxBufferedBytes: 16 * 1024 * 1024,
    });
    this.routing = new RoutingState(this.events, (id) => {
      const slot = this.tunnels.slotOf(id);
      return slot >= 0 && this.tunnels.modeled[slot] === 1 && this.tunnels.pubState[slot] === STATE_DOWN;
    });
    this.engine = new TelemetryEngine(this.links, this.tunnels, this.publisher, this.events, {
      tickMs: options.tickMs,
      epochMs: Date.now(),
      eventProbability: options.linkEventProbability,
      onStateChanges: (changes, atMs) =>
        this.routing.onTunnelStates(
          changes.map((c) => ({ id: c.id, down: c.state === STATE_DOWN })),
          atMs,
        ),
    });
    this.faults = new FaultEngine(this.links, this.queue, this.events, {
      onLinksChanged: () => {
        this.engine.requestEvaluation();
        this.operations?.resumeParked();
      },
      dropStreams: () => this.publisher.dropAll(),
      countTunnels: (slots) => this.countTunnelsOver(slots),
    });
    this.operations = new OperationStore(
      this.queue,
      world.seed,
      options.applyDelayMs,
      (site) => this.faults.isSiteDown(site),
      this.events,
    );
    this.sites = new SiteRegistry((name, change, site) => this.onSiteChange(name, change, site));
    this.meshes = new MeshPrograms(this.tunnels, (slot) => this.tunnels.resolve(slot, this.links, this.owns));
  }

  /** Whether this replica owns a site (see model/ownership.ts: the router uses the same map). */
  readonly owns = (site: string): boolean => {
    const shard = this.options.shard;
    return !shard || this.shardMap.ownerOf(site) === shard.index;
  };

  /**
   * A site another shard owns, made known here (its links) so tunnels between it and this shard's
   * sites are modelled; the shard router calls this when the owner registers or updates it.
   */
  upsertPeer(site: WorldSite): void {
    if (this.sites.get(site.name)) return;
    const known = this.links.sites[this.links.siteSlot(site.name)];
    if (
      known &&
      isDeepStrictEqual(known, { name: site.name, region: site.region, hub: site.hub, links: site.links })
    )
      return;
    this.links.upsertSite(site);
    this.reresolve(site.name);
  }

  /** The owner deregistered a peer site: its tunnels leave this shard's model too. */
  removePeer(name: string): boolean {
    if (this.sites.get(name) || !this.links.removeSite(name)) return false;
    this.reresolve(name);
    return true;
  }

  private reresolve(name: string): void {
    for (const slot of [...this.tunnels.slotsOfSite(name)]) this.tunnels.resolve(slot, this.links, this.owns);
    this.faults.recompute();
  }

  start(): void {
    if (this.options.preload) this.preload();
    // The patronus-rs operator programs no tunnels: the world's are there from the start and are
    // modelled as the operator registers both their ends.
    else if (this.options.dialect === "patronus-rs") this.programWorldTunnels();
    this.engine.start();
  }

  /**
   * A site registered by name alone (the patronus-rs dialect carries no links) joins the model as
   * the world's site of that name, with its region, hub role and links; a name outside the world
   * is kept as received but has no links, so no tunnel or telemetry. Returns whether it joined.
   */
  joinWorldSite(name: string): boolean {
    const w = this.worldIndex.get(name);
    if (w === undefined || !this.owns(name)) return false;
    const s = this.world.sites[w]!;
    this.sites.register({ name, region: s.region, hub: s.hub, links: s.links });
    return true;
  }

  stop(): void {
    this.engine.stop();
    this.queue.stop();
    this.publisher.endAll();
  }

  /** Registers the owned world sites, makes the others' links known, programs the world's tunnels. */
  preload(): void {
    this.preloading = true;
    try {
      for (const s of this.world.sites) {
        if (this.owns(s.name))
          this.sites.register({ name: s.name, region: s.region, hub: s.hub, links: s.links });
        else this.links.upsertSite(s);
      }
      this.programWorldTunnels();
    } finally {
      this.preloading = false;
    }
  }

  private programWorldTunnels(): void {
    // A shard holds only the tunnels it streams or routes over: what the router would send it.
    const tunnels = this.options.shard
      ? this.world.tunnels.filter((t) => this.owns(t.siteA) || this.owns(t.siteB))
      : this.world.tunnels;
    const result = this.meshes.program(this.options.meshName, tunnels);
    this.faults.recompute();
    this.events.record("mesh.programmed", {
      mesh: this.options.meshName,
      ...result,
      modeled: this.tunnels.modeledSize,
      preload: true,
    });
  }

  pushRouting(site: string, config: RoutingConfig): Operation {
    const submittedAt = Date.now();
    return this.operations.submit(
      "routing",
      site,
      [site],
      (s, atMs, op) => this.routing.apply(s, config, op.id, submittedAt, atMs),
      submittedAt,
    );
  }

  private onSiteChange(name: string, change: SiteChange, site: Site | undefined): void {
    if (site) this.links.upsertSite({ name, ...site.spec });
    else {
      this.routing.forget(name);
      // A site owned elsewhere stays known by its world definition, so cross-shard tunnels live on.
      const w = this.worldIndex.get(name);
      if (w !== undefined && !this.owns(name)) this.links.upsertSite(this.world.sites[w]!);
      else this.links.removeSite(name);
    }
    for (const slot of [...this.tunnels.slotsOfSite(name)]) this.tunnels.resolve(slot, this.links, this.owns);
    if (this.preloading) return;
    this.faults.recompute();
    this.events.record(`site.${change}`, { site: name, revision: site?.revision ?? null });
  }

  private countTunnelsOver(linkSlots: ReadonlySet<number>): number {
    let n = 0;
    const t = this.tunnels;
    for (let s = 0; s < t.slotLimit; s++) {
      if (t.streamed[s] === 1 && (linkSlots.has(t.linkA[s]!) || linkSlots.has(t.linkB[s]!))) n++;
    }
    return n;
  }
}
