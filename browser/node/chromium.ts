import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (scripts/browser-setup.sh installs it); ANNKIT_CHROMIUM overrides the path. */
export const CHROMIUM_PATH = process.env.ANNKIT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps dialling Google
 * services and the sandboxed network refuses them. playwright-core gives every launch a fresh profile.
 */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `No Chromium at ${CHROMIUM_PATH}: run \`bash scripts/browser-setup.sh\` (installs Debian's chromium) or set ANNKIT_CHROMIUM.`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 60_000 });
}
