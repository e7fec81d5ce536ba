/**
 * The docs cite results files and code by relative links; a link to a file the repository does not
 * track (an ignored results file, a moved module) reads fine here and is dead on every fresh clone.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../paths.ts";

const tracked = execFileSync("git", ["-C", REPO_ROOT, "ls-files", "-z"], { encoding: "utf8" })
  .split("\0")
  .filter(Boolean);
const trackedFiles = new Set(tracked);
const trackedDirs = new Set(
  tracked.flatMap((f) =>
    f
      .split("/")
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
  ),
);

const pages = tracked.filter((f) => f.endsWith(".md") && !f.startsWith("fixtures/"));

/** Relative link targets outside code spans and fenced blocks. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const links: string[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] ?? "";
    if (/^([a-z]+:|#)/i.test(target)) continue;
    links.push(target.split("#")[0] ?? "");
  }
  return links.filter(Boolean);
}

describe("links in the docs", () => {
  it("every relative link points at a file or directory the repository tracks", () => {
    const dead: string[] = [];
    for (const page of pages) {
      for (const link of relativeLinks(readFileSync(join(REPO_ROOT, page), "utf8"))) {
        const path = normalize(
          relative(REPO_ROOT, join(REPO_ROOT, dirname(page), decodeURIComponent(link))),
        ).replace(/\/$/, "");
        if (!trackedFiles.has(path) && !trackedDirs.has(path)) dead.push(`${page}: ${link}`);
      }
    }
    assert.deepEqual(dead, [], `links to files git does not track:\n  ${dead.join("\n  ")}`);
  });

  it("finds a dead link (the check can fail)", () => {
    assert.deepEqual(relativeLinks("see [x](../nowhere.md#a), `[y](code.md)`, [z](https://e.x)"), [
      "../nowhere.md",
    ]);
  });
});
