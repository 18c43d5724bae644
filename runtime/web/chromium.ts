import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core (the browser bench and the e2e tests drive the built page with it); the e2e suites skip without it locally (CI installs it: .ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);

export interface ChromiumPage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors, as they happen. */
  errors: string[];
}

/**
 * Headless Chromium with a fresh profile under `profile` (launchPersistentContext gives it its own
 * --user-data-dir), a fake camera playing `fakeVideo` (a .y4m file) when given, and one page whose
 * errors are collected.
 */
export async function launchChromium(profile: string, options: { fakeVideo?: string; viewport?: { width: number; height: number } } = {}): Promise<ChromiumPage> {
  const context = await chromium.launchPersistentContext(join(profile, 'user-data'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1600, height: 1250 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      ...(options.fakeVideo === undefined ? [] : [`--use-file-for-fake-video-capture=${options.fakeVideo}`]),
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}
