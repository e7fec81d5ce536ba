/**
 * Threshold expressions in k6's syntax: `<aggregation> <operator> <number>`, e.g. `p(99)<1000`,
 * `avg<=200`, `count==0`, `rate<0.01`. Parsing is strict so that a typo fails when the scenario
 * is loaded, not silently at the end of a long run.
 */

export type Aggregation =
  | { kind: "percentile"; p: number }
  | { kind: "avg" | "min" | "max" | "med" | "count" | "rate" | "value" };

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface ThresholdExpression {
  source: string;
  aggregation: Aggregation;
  operator: Operator;
  bound: number;
}

const NAMED = ["avg", "min", "max", "med", "count", "rate", "value"] as const;
const SHAPE = /^\s*([a-z][a-z0-9_.]*(?:\(\s*[^)]*\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(\S+)\s*$/;

export class ThresholdSyntaxError extends Error {
  override name = "ThresholdSyntaxError";
}

export function parseThreshold(source: string): ThresholdExpression {
  const m = SHAPE.exec(source);
  if (!m) {
    throw new ThresholdSyntaxError(
      `"${source}" is not a threshold: expected <aggregation><operator><number>, e.g. "p(99)<1000", "avg<=200", "count==0"`,
    );
  }
  const [, aggText = "", opText = "", boundText = ""] = m;
  const bound = Number(boundText);
  if (!Number.isFinite(bound)) {
    throw new ThresholdSyntaxError(`"${source}": "${boundText}" is not a number`);
  }
  const operator = (opText === "===" ? "==" : opText) as Operator;
  return { source: source.trim(), aggregation: parseAggregation(source, aggText), operator, bound };
}

function parseAggregation(source: string, text: string): Aggregation {
  const pm = /^p\(\s*([^)]*?)\s*\)$/.exec(text);
  if (pm) {
    const p = Number(pm[1]);
    if (pm[1] === "" || !Number.isFinite(p) || p < 0 || p > 100) {
      throw new ThresholdSyntaxError(
        `"${source}": percentile "${pm[1]}" must be a number from 0 to 100, as in p(99)`,
      );
    }
    return { kind: "percentile", p };
  }
  if ((NAMED as readonly string[]).includes(text)) return { kind: text as (typeof NAMED)[number] };
  throw new ThresholdSyntaxError(
    `"${source}": unknown aggregation "${text}" (expected p(N), ${NAMED.join(", ")})`,
  );
}

export function compare(actual: number, operator: Operator, bound: number): boolean {
  switch (operator) {
    case "<":
      return actual < bound;
    case "<=":
      return actual <= bound;
    case ">":
      return actual > bound;
    case ">=":
      return actual >= bound;
    case "==":
      return actual === bound;
    case "!=":
      return actual !== bound;
  }
}
