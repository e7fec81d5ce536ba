import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay } from "./backoff.ts";
import { CircuitBreaker, CircuitOpenError, type CircuitState } from "./circuit-breaker.ts";

function setup() {
  let t = 0;
  const transitions: CircuitState[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    openMs: 1000,
    maxOpenMs: 3000,
    now: () => t,
    onStateChange: (s) => transitions.push(s),
  });
  return {
    b,
    transitions,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("CircuitBreaker", () => {
  it("opens after consecutive failures and fails fast while open", () => {
    const { b } = setup();
    for (let i = 0; i < 3; i++) {
      b.acquire();
      b.onFailure();
    }
    assert.equal(b.state, "open");
    assert.throws(() => b.acquire(), CircuitOpenError);
  });

  it("a success in between resets the failure count", () => {
    const { b } = setup();
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    assert.equal(b.state, "closed");
  });

  it("lets exactly one trial through when half-open; success closes", () => {
    const { b, advance, transitions } = setup();
    for (let i = 0; i < 3; i++) b.onFailure();
    advance(1000);
    assert.equal(b.state, "half-open");
    b.acquire();
    assert.throws(() => b.acquire(), CircuitOpenError, "second concurrent call is refused during the trial");
    b.onSuccess();
    assert.equal(b.state, "closed");
    assert.deepEqual(transitions, ["open", "half-open", "closed"]);
  });

  it("a failed trial re-opens for twice as long, capped", () => {
    const { b, advance } = setup();
    for (let i = 0; i < 3; i++) b.onFailure();
    advance(1000);
    b.acquire();
    b.onFailure();
    assert.equal(b.state, "open");
    assert.equal(b.retryAfterMs(), 2000);
    advance(2000);
    b.acquire();
    b.onFailure();
    assert.equal(b.retryAfterMs(), 3000, "capped at maxOpenMs");
  });

  it("bounds calls during a long outage to one per open window", () => {
    const { b, advance } = setup();
    let attempts = 0;
    // 60 s of callers hammering every 10 ms against a dead API.
    for (let t = 0; t < 60_000; t += 10) {
      try {
        b.acquire();
        attempts++;
        b.onFailure();
      } catch (err) {
        assert.ok(err instanceof CircuitOpenError);
      }
      advance(10);
    }
    // 3 to open, then one trial per window (1 s, 2 s, 3 s, 3 s, …): about 22 in 60 s, not 6000.
    assert.ok(attempts <= 25, `attempts=${attempts}`);
    assert.ok(attempts >= 15, `attempts=${attempts}`);
  });
});

describe("backoff", () => {
  it("caps the exponential and jitters below the cap", () => {
    const p = { baseMs: 100, maxMs: 5000 };
    assert.equal(
      backoffDelay(0, p, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, p, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(30, p, () => 1),
      5000,
    );
    assert.equal(
      backoffDelay(3, p, () => 0.5),
      400,
    );
  });
});
