// Screenshots of rollouts' histories in the local Temporal UI, for the README: headless Chromium
// (Debian's `chromium`) driven by playwright-core.
//   npx tsx scripts/ui-screenshots.ts WORKFLOW_ID[=name] ...   (e.g. the two links `sluice demo` prints)
// Writes docs/images/<name>.png (default name: the workflow ID with "/" as "-").
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadStackConfig } from './stack/config.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(
    `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
  );
  process.exit(2);
}
const targets = process.argv.slice(2).map((arg) => {
  const [id, name] = arg.split('=') as [string, string | undefined];
  return { id, name: name ?? id.replaceAll('/', '-') };
});
if (targets.length === 0) {
  console.error('usage: npx tsx scripts/ui-screenshots.ts WORKFLOW_ID[=name] ...');
  process.exit(2);
}
const config = loadStackConfig();
const ui = `http://${config.host}:${config.ports.temporalUi}`;
const out = join(process.cwd(), 'docs', 'images');
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  for (const t of targets) {
    await page.goto(`${ui}/namespaces/default/workflows/${encodeURIComponent(t.id)}`, {
      waitUntil: 'domcontentloaded',
    });
    // The event history renders after the workflow's details load.
    await page.getByText('Event History', { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    const file = join(out, `${t.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
}
