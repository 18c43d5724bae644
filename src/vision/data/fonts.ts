/**
 * The fonts that font digits are drawn with: TrueType/OpenType files from Debian font packages,
 * found in a fixed list of folders and sorted by path, so the same installed packages give the same
 * font list and (with a seed) the same images on every machine.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** Folders of the Debian packages named in .ci/run (fonts-dejavu-core, -liberation, -urw-base35, -freefont-ttf, -humor-sans, -bwht). */
export const DEBIAN_FONT_DIRS: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/truetype/liberation',
  '/usr/share/fonts/truetype/freefont',
  '/usr/share/fonts/truetype/humor-sans',
  '/usr/share/fonts/opentype/urw-base35',
  '/usr/share/fonts/opentype/bwht',
];

/** Fonts without ordinary digit glyphs (symbols, dingbats, maths). */
const EXCLUDE = /D050000L|StandardSymbols|Dingbats|Symbol|MathTeX|Z003/i;

export interface DigitFont {
  /** Absolute path of the font file. */
  path: string;
  /** The family name it is registered under with @napi-rs/canvas (unique per file). */
  family: string;
}

let registered: Map<string, DigitFont> | undefined;

/** The .ttf/.otf files under `dirs` (recursively), sorted, minus symbol fonts. */
export function findFontFiles(dirs: readonly string[] = DEBIAN_FONT_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (['.ttf', '.otf'].includes(extname(e).toLowerCase()) && !EXCLUDE.test(basename(e))) out.push(p);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return out.sort();
}

/**
 * Registers the digit fonts with the canvas and returns them, in path order. Throws when none is
 * found, naming the folders searched and the packages to install.
 */
export function digitFonts(dirs: readonly string[] = DEBIAN_FONT_DIRS): DigitFont[] {
  registered ??= new Map();
  const files = findFontFiles(dirs);
  if (files.length === 0) {
    throw new Error(
      `font digits: no .ttf/.otf fonts found in ${dirs.join(', ')}; install the Debian font packages: ` +
        'apt-get install fonts-dejavu-core fonts-liberation fonts-urw-base35 fonts-freefont-ttf fonts-humor-sans fonts-bwht',
    );
  }
  const fonts: DigitFont[] = [];
  for (const path of files) {
    let font = registered.get(path);
    if (!font) {
      const family = `swta-digit-${registered.size}`;
      if (!GlobalFonts.registerFromPath(path, family)) continue; // unreadable font file: skip it
      font = { path, family };
      registered.set(path, font);
    }
    fonts.push(font);
  }
  if (fonts.length === 0) throw new Error(`font digits: none of the ${files.length} font files in ${dirs.join(', ')} could be loaded by @napi-rs/canvas`);
  return fonts;
}
