/** Text made safe for one cell of a Markdown table: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
