// Drives the showcase's board page in headless Chromium for ShowcaseBoardPageTest, one step per line of stdin:
// waits for the board to be live and prints "READY <price of item 42>"; on "EXPECT <price>" waits at most one
// second for item 42 to show it and prints "SEEN <ms>" or "MISSING <what it shows>"; on "FORM <id> <price>"
// changes the price through the page's form and prints "FORM <answer> <price shown>"; writes a screenshot.
import {createInterface} from 'node:readline';
import {openChromium} from './chromium.mjs';

const [url, chromium, screenshot, modules] = process.argv.slice(2);
const {browser, page} = await openChromium(chromium, modules);
const price = (id) => page.locator(`#item-${id} td.price`).textContent();
try {
  await page.goto(url);
  await page.waitForSelector('body[data-state=live]', {timeout: 20000});
  console.log(`READY ${await price(42)}`);
  for await (const line of createInterface({input: process.stdin})) {
    const [command, ...args] = line.trim().split(' ');
    if (command === 'EXPECT') {
      const start = Date.now();
      try {
        await page.waitForFunction(([id, want]) =>
          document.querySelector(`#item-${id} td.price`)?.textContent === want, [42, args[0]], {timeout: 1000});
        console.log(`SEEN ${Date.now() - start}`);
      } catch {
        console.log(`MISSING ${await price(42)}`);
      }
      await page.locator('#item-42').scrollIntoViewIfNeeded();
      await page.screenshot({path: screenshot, fullPage: false});
    } else if (command === 'FORM') {
      const [id, value] = args;
      await page.fill('input[name=id]', id);
      await page.fill('input[name=price]', value);
      await page.fill('input[name=stock]', '3');
      await page.click('button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#answer')?.textContent !== '', null, {timeout: 5000});
      await page.waitForFunction(([i, want]) =>
        document.querySelector(`#item-${i} td.price`)?.textContent === want, [id, value], {timeout: 5000})
        .catch(() => {});
      console.log(`FORM ${(await page.textContent('#answer')).replaceAll(' ', '_')} ${await price(id)}`);
    } else if (command === 'QUIT') {
      break;
    }
  }
} finally {
  await browser.close();
}
