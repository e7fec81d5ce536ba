/**
 * Decoding a PNG back to pixels with resvg itself (an SVG that embeds the PNG), so tests and the
 * render benchmark can inspect what was drawn without another image library.
 */
import { Resvg } from "@resvg/resvg-js";

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8Array;
}

/** Width and height from the PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const signature = [0x89, 0x50, 0x4e, 0x47];
  if (!signature.every((b, i) => png[i] === b)) throw new Error("not a PNG");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function decodePng(png: Uint8Array): Pixels {
  const { width, height } = pngSize(png);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>`;
  const rendered = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return { width: rendered.width, height: rendered.height, data: new Uint8Array(rendered.pixels) };
}

/** Pixels that are clearly not the white background. */
export function inkPixels(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) {
    if (p.data[i]! < 200 || p.data[i + 1]! < 200 || p.data[i + 2]! < 200) n++;
  }
  return n;
}

/** Pixels that differ between two same-sized images. */
export function differingPixels(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  }
  return n;
}
