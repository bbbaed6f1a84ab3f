// Headless Chromium for the pages' browser checks: the system's Chromium, driven by playwright-core from the page
// build's node_modules (playwright-core never downloads a browser), in a fresh profile; the page's console goes to
// stderr. Used by board-check.mjs and reload-check.mjs.
import {createRequire} from 'node:module';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Opens Chromium at {@code chromium} with playwright-core from {@code modules}: its context and first page. */
export async function openChromium(chromium, modules) {
  const {chromium: launcher} = createRequire(join(modules, 'noop.js'))('playwright-core');
  const browser = await launcher.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dx-page-')), {
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('console', (m) => console.error(`page: ${m.text()}`));
  return {browser, page};
}
