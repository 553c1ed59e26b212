// Drives one page in headless chromium (MESHPLAY_CHROMIUM) with playwright-core, one command at a time, for tests
// that act on a page while the mesh changes under it; run by io.meshplay.testing.browser.BrowserSession through
// the node wrapper deploy/local/provision-browser prints.
// Usage: node page-session.js SCREENSHOT_DIR. Reads one JSON command per line on stdin, answers one JSON line each
// on stdout: {"ok":true,...} or {"ok":false,"error":...,"text":<the page's visible text>}. Exits after "close"
// or when stdin ends (the test's JVM went away), closing chromium either way.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

// the network is closed: without these chromium keeps trying to reach Google's services
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'meshplay-chromium-'));
let context;
let page;
const consoleErrors = [];

async function start() {
  if (!process.env.MESHPLAY_CHROMIUM) throw new Error('MESHPLAY_CHROMIUM is not set (run through the provisioned node wrapper)');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.MESHPLAY_CHROMIUM, headless: true, args: FLAGS, timeout: 60000,
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // chromium logs every HTTP error answer as a console error; a test that expects one asserts it on the page
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
}

const text = () => page.evaluate(() => (document.body ? document.body.innerText : ''));
const locate = (c) => (c.role ? page.getByRole(c.role, { name: c.name, exact: true })
  : c.label ? page.getByLabel(c.label, { exact: true }) : page.locator(c.selector));

const commands = {
  async goto(c) { await page.goto(c.url, { waitUntil: 'domcontentloaded', timeout: c.timeout }); return {}; },
  async waitText(c) {
    await page.waitForFunction((t) => document.body && document.body.innerText.includes(t), c.text,
      { timeout: c.timeout, polling: 100 });
    return {};
  },
  async waitGone(c) {
    await page.waitForFunction((t) => document.body && !document.body.innerText.includes(t), c.text,
      { timeout: c.timeout, polling: 100 });
    return {};
  },
  async click(c) { await locate(c).click({ timeout: c.timeout }); return {}; },
  async fill(c) { await locate(c).fill(c.value, { timeout: c.timeout }); return {}; },
  async select(c) { await locate(c).selectOption({ label: c.value }, { timeout: c.timeout }); return {}; },
  async count(c) { return { count: await locate(c).count() }; },
  async text() { return { text: await text() }; },
  async errors() { return { errors: consoleErrors.slice() }; },
  async screenshot(c) { await page.screenshot({ path: c.path, fullPage: true }); return {}; },
  async size() {
    return page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  },
};

async function stop() {
  if (context) await context.close().catch(() => {});
  context = undefined;
  fs.rmSync(profile, { recursive: true, force: true });
}

function reply(result) {
  return new Promise((resolve) => process.stdout.write(JSON.stringify(result) + '\n', resolve));
}

(async () => {
  try {
    await start();
    await reply({ ok: true, started: true });
  } catch (e) {
    await reply({ ok: false, error: String(e && e.stack || e) });
    await stop();
    process.exit(2);
  }
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const c = JSON.parse(line);
    if (c.op === 'close') break;
    try {
      const handler = commands[c.op];
      if (!handler) throw new Error('unknown command ' + c.op);
      await reply({ ok: true, ...(await handler(c)) });
    } catch (e) {
      let shown = '';
      try { shown = await text(); } catch (ignored) { /* the page itself is gone */ }
      await reply({ ok: false, error: String(e && e.message || e), timeout: e && e.name === 'TimeoutError', text: shown });
    }
  }
  await stop();
  await reply({ ok: true, closed: true });
  process.exit(0);
})();
