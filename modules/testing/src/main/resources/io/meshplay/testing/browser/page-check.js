// Opens one page in headless chromium (MESHPLAY_CHROMIUM) with playwright-core and waits until the page's
// visible text (document.body.innerText) holds every wanted text; run by io.meshplay.testing.browser.Browser
// through the node wrapper deploy/local/provision-browser prints.
// Usage: node page-check.js URL WANTED_JSON_ARRAY TIMEOUT_MS SCREENSHOT_PATH
// Prints one JSON line: {"ok":bool,"text":...,"missing":[...],"error":...}; exit 0 when every text appeared,
// 1 when some did not in time, 2 on any other failure (no browser, navigation error...).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [url, wantedJson, timeoutArg, screenshot] = process.argv.slice(2);
const wanted = JSON.parse(wantedJson);
const timeout = Number(timeoutArg);
// the network is closed: without these chromium keeps trying to reach Google's services
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function report(result, code) {
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(code));
}

(async () => {
  const started = Date.now();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'meshplay-chromium-'));
  let context;
  let text = '';
  try {
    if (!process.env.MESHPLAY_CHROMIUM) throw new Error('MESHPLAY_CHROMIUM is not set (run through the provisioned node wrapper)');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.MESHPLAY_CHROMIUM, headless: true, args: FLAGS, timeout: 60000,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] || await context.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    const left = Math.max(1, timeout - (Date.now() - started));
    let ok = true;
    try {
      await page.waitForFunction(
        (texts) => document.body && texts.every((t) => document.body.innerText.includes(t)),
        wanted, { timeout: left, polling: 100 });
    } catch (e) {
      if (e.name !== 'TimeoutError') throw e;
      ok = false;
    }
    text = await page.evaluate(() => (document.body ? document.body.innerText : ''));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    await context.close();
    context = undefined;
    report({ ok, text, missing: wanted.filter((t) => !text.includes(t)), millis: Date.now() - started }, ok ? 0 : 1);
  } catch (e) {
    if (context) await context.close().catch(() => {});
    report({ ok: false, text, missing: wanted, error: String(e && e.stack || e), millis: Date.now() - started }, 2);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
})();
