// Drives headless Chromium (the system's, never a downloaded one) to the test page served by the Java test
// server, and checks what the page found. Skipped, saying why, without a browser or a server.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, accessSync, constants} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HTTP = process.env.HBTP_HTTP_URL;

function missingChromium() {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return false;
  } catch {
    return `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`;
  }
}

const skip = !HTTP ? 'HBTP_HTTP_URL is not set: the Maven build starts the server and sets it' : missingChromium();

test('the client in headless Chromium connects, calls, subscribes and closes', {skip, timeout: 120_000}, async () => {
  const {chromium} = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'hbtp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${HTTP}/pkg/test/browser.html`);
    await page.waitForFunction(() => window.hbtpResult !== undefined, null, {timeout: 60_000});
    const result = await page.evaluate(() => window.hbtpResult);
    for (const c of result.checks) {
      console.log(`${c.passed ? 'ok  ' : 'FAIL'} ${c.name} ${c.detail}`);
    }
    assert.equal(result.error, undefined, `the page failed: ${result.error}; page errors: ${errors.join('; ')}`);
    assert.ok(result.checks.length >= 10, `only ${result.checks.length} checks ran`);
    assert.deepEqual(result.checks.filter((c) => !c.passed), []);
  } finally {
    await context.close();
    rmSync(profile, {recursive: true, force: true});
  }
});
