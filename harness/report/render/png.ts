/**
 * SVG → PNG with resvg. Text renders only from font files, so the report needs a real font
 * (Debian fonts-dejavu-core); without it PNGs would silently lose every label.
 */
import { existsSync } from "node:fs";
import { Resvg, type ResvgRenderOptions, renderAsync } from "@resvg/resvg-js";
import { HarnessError } from "../../errors.ts";

export const DEFAULT_FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
export const FONT_FAMILY = "DejaVu Sans";

export function resolveFontFile(fontFile = process.env.PATRONUS_BENCH_FONT ?? DEFAULT_FONT_FILE): string {
  if (!existsSync(fontFile)) {
    throw new HarnessError(`PNG charts need a font file and ${fontFile} is missing`, {
      fix: "install Debian's fonts-dejavu-core (apt-get install -y fonts-dejavu-core), set PATRONUS_BENCH_FONT to a .ttf, or render with --no-png",
    });
  }
  return fontFile;
}

export interface PngOptions {
  /** Font files to use; [] renders with no fonts at all (tests compare against it). */
  fontFiles?: string[];
  scale?: number;
}

function resvgOptions(options: PngOptions): ResvgRenderOptions {
  const fontFiles = options.fontFiles ?? [resolveFontFile()];
  return {
    background: "white",
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  };
}

export function renderPng(svg: string, options: PngOptions = {}): Buffer {
  return new Resvg(svg, resvgOptions(options)).render().asPng();
}

/** Off the main thread (libuv pool): PNGs rasterize while the next chart's SVG is being built. */
export async function renderPngAsync(svg: string, options: PngOptions = {}): Promise<Buffer> {
  return (await renderAsync(svg, resvgOptions(options))).asPng();
}
