/**
 * How much of a CPU profile runs under a given frame: for before/after figures of one hot path.
 *   node harness/profile/bench/stack-share.ts FILE.cpuprofile REGEX [REGEX…]
 * A frame matches when "functionName url" matches the regular expression.
 */
import { stackShare } from "../cpu/analyse.ts";
import { readCpuProfile } from "../cpu/cpuprofile.ts";

const [file, ...patterns] = process.argv.slice(2);
if (!file || patterns.length === 0) {
  process.stderr.write("usage: stack-share.ts FILE.cpuprofile REGEX [REGEX…]\n");
  process.exitCode = 1;
} else {
  const profile = await readCpuProfile(file);
  for (const p of patterns) {
    const re = new RegExp(p);
    const s = stackShare(profile, (f) => re.test(`${f.functionName} ${f.url}`));
    process.stdout.write(`${p}\t${s.samples} samples\t${s.percent} % of all\t${s.percentOfBusy} % of busy\n`);
  }
}
