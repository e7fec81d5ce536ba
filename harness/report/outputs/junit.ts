/** junit.xml: one testcase per threshold, so CI systems show a failed gate natively. */
import type { Results } from "../../results/schema.ts";

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`,
  );
}

export function renderJunit(results: Results): string {
  const failures = results.thresholds.filter((t) => t.status === "fail").length;
  // Not applicable and inconclusive thresholds are neither passed nor failed: skipped, with why.
  const skipped = results.thresholds.filter(
    (t) => t.status === "not-applicable" || t.status === "inconclusive",
  ).length;
  const suite = `patronus-bench.${results.run.scenario}`;
  const cases = results.thresholds.map((t) => {
    const name = escapeXml(`${t.metric} ${t.expression}`);
    const observed = t.value === null ? "metric not recorded" : `observed ${t.value}`;
    const body = t.passed
      ? `<system-out>${escapeXml(observed)}</system-out>`
      : t.status === "not-applicable" || t.status === "inconclusive"
        ? `<skipped message="${escapeXml(`${t.status}: ${t.reason ?? ""}`)}"/>`
        : `<failure message="${escapeXml(`${t.metric} ${t.expression} failed: ${observed}`)}" type="threshold">${escapeXml(
            `${t.metric}: ${t.expression} — ${observed}${t.abortOnFail ? " (abortOnFail)" : ""}`,
          )}</failure>`;
    return `    <testcase classname="${escapeXml(suite)}" name="${name}" time="0">${body}</testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="patronus-bench" tests="${results.thresholds.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${results.thresholds.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${escapeXml(results.run.startedAt)}" time="${results.run.durationSeconds}">`,
    `    <properties><property name="run.id" value="${escapeXml(results.run.id)}"/><property name="verdict" value="${results.verdict}"/></properties>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
