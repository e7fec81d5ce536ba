/**
 * The run's operator replicas lead through one Lease. Another operator already leading it on the
 * same cluster (a Deployment not the harness's, a second harness) would keep them from ever
 * reconciling, and the run would only time out: refused up front, naming the holder. A Lease left
 * by an operator that died (a run SIGKILLed a moment before) is waited out instead.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CoordinationV1Api, type KubeConfig } from "@kubernetes/client-node";
import { HarnessError } from "../../errors.ts";
import { statusCodeOf } from "../../load/kube/client.ts";
import { leaseOf } from "../../operators/builtin/reference/cli.ts";

/** The Lease name the run's replicas use: --leader-elect-id in the scenario's extra flags, or the default. */
export function leaseNameOf(extraArgs: readonly string[]): string {
  return leaseOf(extraArgs).name;
}

/** Whether a Lease renewed at `renewedAt` for `durationSeconds` still binds others at `now`. */
export function leaseHeld(
  renewedAt: Date | undefined,
  durationSeconds: number | undefined,
  now: Date,
): boolean {
  if (!renewedAt) return false;
  // A second of slack for clock skew between this machine and the holder's.
  return now.getTime() - renewedAt.getTime() < ((durationSeconds ?? 15) + 1) * 1000;
}

export async function requireFreeLease(
  kc: KubeConfig,
  namespace: string,
  name: string,
  /** Identities that are gone (the pods of an earlier deployment just removed). */
  gone: readonly string[],
  log: (line: string) => void = () => {},
): Promise<void> {
  const api = kc.makeApiClient(CoordinationV1Api);
  const read = async () => {
    try {
      return (await api.readNamespacedLease({ namespace, name })).spec;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  };
  const first = await read();
  const holder = first?.holderIdentity;
  if (!first || !holder || gone.includes(holder)) return;
  const renewedOf = (spec: typeof first | undefined) =>
    spec?.renewTime ? new Date(spec.renewTime) : undefined;
  if (!leaseHeld(renewedOf(first), first.leaseDurationSeconds, new Date())) return;
  // Held: a live holder renews it within its retry period; one that died (a run SIGKILLed a moment
  // ago) lets it expire, and the run goes ahead then — but a long Lease is not waited out for ever.
  log(`the operator's Lease ${namespace}/${name} is held by ${holder}; waiting to see whether it is renewed`);
  const deadline = performance.now() + 60_000;
  for (;;) {
    await sleep(1000);
    if (performance.now() > deadline)
      throw new HarnessError(
        `the operator's Lease ${namespace}/${name} is still held by ${holder}, unrenewed for a minute`,
        { fix: `delete it once its holder is gone: kubectl -n ${namespace} delete lease ${name}` },
      );
    const now = await read();
    if (!now?.holderIdentity) return;
    const renewed = renewedOf(now);
    if (now.holderIdentity !== holder || renewed?.getTime() !== renewedOf(first)?.getTime()) {
      throw new HarnessError(
        `the operator's Lease ${namespace}/${name} is held and renewed by ${now.holderIdentity}: another Patronus ` +
          "operator runs against this cluster, and the run's replicas would never lead",
        {
          fix:
            "stop that operator (scale its Deployment to 0); two operators on one cluster would also " +
            "reconcile the same objects",
        },
      );
    }
    if (!leaseHeld(renewed, now.leaseDurationSeconds, new Date())) return;
  }
}
