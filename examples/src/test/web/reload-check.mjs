// Drives the dev server's live-reload page in headless Chromium for DevReloadPageTest, one step per line of stdin:
// waits for the page to be live and its preview loaded, and prints "READY <h1 of the preview>|<its colour>"; on
// "HEARD <path>" waits for the list to name the path and prints "HEARD <reloaded> <elements>" (whether a notice of
// it reloaded the preview; how many elements the list's items hold, 0 unless a name got in as markup) or
// "MISSING <path>"; on "TEXT <h1>" and "COLOR <colour>" waits for the preview to show that and prints "TEXT ok" or
// "TEXT <what it shows>" (COLOR the same); leaves a screenshot.
import {createInterface} from 'node:readline';
import {openChromium} from './chromium.mjs';

const PATIENCE_MS = 10000;
const [url, chromium, screenshot, modules] = process.argv.slice(2);
const {browser, page} = await openChromium(chromium, modules);
const heading = page.frameLocator('#preview').locator('h1');
const text = () => heading.textContent({timeout: PATIENCE_MS});
const color = () => heading.evaluate((h) => getComputedStyle(h).color, null, {timeout: PATIENCE_MS});

/** Polls {@code read} until it gives {@code want}: "ok", or what it gave last. */
async function until(read, want) {
  const giveUp = Date.now() + PATIENCE_MS;
  let last;
  while (Date.now() < giveUp) {
    last = await read().catch((e) => `(${e.message.split('\n')[0]})`);
    if (last === want) {
      return 'ok';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

try {
  await page.goto(url);
  await page.waitForSelector('body[data-state=live]', {timeout: PATIENCE_MS * 2});
  await heading.waitFor({timeout: PATIENCE_MS});
  await page.waitForFunction(() => document.querySelector('#preview').contentDocument?.readyState === 'complete');
  console.log(`READY ${await text()}|${await color()}`);
  for await (const line of createInterface({input: process.stdin})) {
    const [command] = line.split(' ', 1);
    const argument = line.slice(command.length + 1);
    if (command === 'HEARD') {
      try {
        await page.waitForFunction((path) => [...document.querySelectorAll('#changes li')]
          .some((li) => li.dataset.path === path), argument, {timeout: PATIENCE_MS});
        const [reloaded, elements] = await page.evaluate((path) => {
          const items = [...document.querySelectorAll('#changes li')];
          return [items.some((li) => li.dataset.path === path && li.dataset.reloaded === 'true'),
            document.querySelectorAll('#changes li *').length];
        }, argument);
        console.log(`HEARD ${reloaded} ${elements}`);
      } catch {
        console.log(`MISSING ${argument}`);
      }
    } else if (command === 'TEXT') {
      console.log(`TEXT ${await until(text, argument)}`);
    } else if (command === 'COLOR') {
      console.log(`COLOR ${await until(color, argument)}`);
    } else if (command === 'QUIT') {
      break;
    }
    await page.screenshot({path: screenshot, fullPage: false});
  }
} finally {
  await browser.close();
}
