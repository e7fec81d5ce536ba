/**
 * A generated part of a hand-written Markdown page lives between two marker comments, so the prose
 * around it stays editable while the part itself is rewritten by `npm run docs:generate`.
 */
export const markers = (name: string) => ({
  start: `<!-- generated:${name} — do not edit; npm run docs:generate -->`,
  end: `<!-- /generated:${name} -->`,
});

/** The page with the section between the markers replaced; throws when the markers are missing. */
export function replaceSection(page: string, name: string, body: string): string {
  const { start, end } = markers(name);
  const i = page.indexOf(start);
  const j = page.indexOf(end);
  if (i === -1 || j === -1 || j < i) throw new Error(`the page has no ${start} … ${end} section`);
  return `${page.slice(0, i + start.length)}\n\n${body.trim()}\n\n${page.slice(j)}`;
}
