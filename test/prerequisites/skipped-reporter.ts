/**
 * A node:test reporter beside the spec reporter: at the end it lists every test that did not run
 * here and why, so nothing is left out silently.
 */
interface TestEvent {
  type: string;
  data: { name?: string; file?: string; skip?: string | boolean; nesting?: number };
}

export default async function* skippedReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const skipped: string[] = [];
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.skip !== undefined) {
      const file = event.data.file ? event.data.file.replace(`${process.cwd()}/`, "") : "";
      const reason = typeof event.data.skip === "string" ? event.data.skip : "skipped";
      skipped.push(`  - ${file}${file ? " › " : ""}${event.data.name ?? ""}: ${reason}`);
    }
  }
  yield skipped.length === 0
    ? "\nEvery test ran.\n"
    : `\nNot run here (${skipped.length}) — everything else ran:\n${skipped.join("\n")}\n`;
}
