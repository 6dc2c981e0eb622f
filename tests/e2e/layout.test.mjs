// The reader pages in a real browser (Debian's Chromium driven by
// playwright-core, headless) at a phone and a desktop viewport: no
// horizontal scrolling, a visible h1, the article page's three blocks full,
// no request leaving the server, no console errors, and a keyboard user's
// first Tab landing on "Skip to content".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { demoPages, missingTools, requireChromium, requireTool, startDemo } from './server.mjs';

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 1280, height: 900 },
];
const PAGES = ['home', 'article', 'section'];
const BLOCKS = { 'related-news': 6, 'related-posts': 6, 'more-news': 10 };
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Runs in the page: what the tests check, measured once per page load.
function measure(blockIds) {
  const describeEl = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    return s;
  };
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  // The outermost elements that stick out past the right edge (not inside a
  // scroller), to say what makes the page scroll sideways.
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= window.innerWidth + 0.5 || r.width === 0 || clipped(el)) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > window.innerWidth + 0.5 && el.parentElement !== document.body) continue;
    overflowing.push(`${describeEl(el)} right=${Math.round(r.right)}px width=${Math.round(r.width)}px`);
  }
  const blocks = {};
  for (const id of blockIds) {
    const el = document.querySelector(`section#${id}`);
    blocks[id] = el ? el.querySelectorAll(':scope > article').length : null;
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    overflowing: overflowing.slice(0, 10),
    h1Count: document.querySelectorAll('h1').length,
    blocks,
  };
}

const missing = missingTools({ npm: ['playwright-core'], chromium: true });
if (missing) test('layout: test tools are installed', () => assert.fail(missing));
else describe('layout in Chromium', () => {
  let server;
  let browser;
  const results = {};  // results[viewportName][pageName]
  const keyboard = {}; // keyboard[viewportName]

  before(async () => {
    const { chromium } = requireTool('playwright-core');
    const executablePath = requireChromium();
    server = await startDemo();
    const all = await demoPages(server.url);
    const urls = Object.fromEntries(all.map((p) => [p.name, p.url]));
    browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });

    for (const viewport of VIEWPORTS) {
      const vp = `${viewport.width}x${viewport.height}`;
      results[vp] = {};
      const context = await browser.newContext({ viewport });
      for (const name of PAGES) {
        const page = await context.newPage();
        const requests = [];
        const consoleErrors = [];
        page.on('request', (r) => requests.push(r.url()));
        page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`); });
        page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
        page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`); });
        const response = await page.goto(server.url + urls[name], { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => true));
        const m = await page.evaluate(measure, Object.keys(BLOCKS));
        m.status = response.status();
        m.h1Visible = m.h1Count > 0 && await page.locator('h1').first().isVisible();
        m.url = urls[name];
        m.requests = requests;
        m.consoleErrors = consoleErrors;
        results[vp][name] = m;
        await page.close();
      }

      // Keyboard: a fresh home page, first Tab, then Enter on the skip link.
      const page = await context.newPage();
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim(),
          href: el.getAttribute('href'),
          onScreen: r.width > 1 && r.height > 1 && r.left >= 0 && r.top >= 0 &&
            r.right <= window.innerWidth && r.bottom <= window.innerHeight,
        };
      });
      await page.keyboard.press('Enter');
      focused.hashAfterEnter = await page.evaluate(() => location.hash);
      keyboard[vp] = focused;
      await page.close();
      await context.close();
    }
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  for (const { width, height } of VIEWPORTS) {
    const vp = `${width}x${height}`;
    for (const name of PAGES) {
      const r = () => results[vp][name];

      test(`${vp} ${name}: loads (200) and does not scroll horizontally`, () => {
        assert.equal(r().status, 200, `GET ${r().url}`);
        assert.ok(r().scrollWidth <= r().innerWidth,
          `${name} page ${r().url} at ${vp}: document scrollWidth ${r().scrollWidth}px > ` +
          `innerWidth ${r().innerWidth}px; sticking out:\n  ${r().overflowing.join('\n  ')}`);
      });

      test(`${vp} ${name}: has one h1 and it is visible`, () => {
        assert.equal(r().h1Count, 1, `${name} page ${r().url}: number of h1 elements`);
        assert.ok(r().h1Visible, `${name} page ${r().url} at ${vp}: h1 is not visible`);
      });

      if (name === 'article') {
        test(`${vp} article: related-news, related-posts, more-news hold 6/6/10 articles`, () => {
          assert.deepEqual(r().blocks, BLOCKS,
            `article ${r().url}: article children of section#related-news, #related-posts, ` +
            `#more-news (null: section missing)`);
        });
      }

      test(`${vp} ${name}: every request stays on the server's origin`, () => {
        assert.ok(r().requests.length > 0, 'no request recorded');
        const away = r().requests.filter((u) => !u.startsWith(`${server.origin}/`));
        assert.deepEqual(away, [], `${name} page ${r().url} requested other origins than ${server.origin}`);
      });

      test(`${vp} ${name}: no console errors`, () => {
        assert.deepEqual(r().consoleErrors, [], `${name} page ${r().url} at ${vp}`);
      });
    }

    test(`${vp} keyboard: the first Tab focuses "Skip to content", on screen`, () => {
      const k = keyboard[vp];
      assert.deepEqual({ tag: k.tag, text: k.text, href: k.href },
        { tag: 'a', text: 'Skip to content', href: '#main' }, 'element focused by the first Tab');
      assert.ok(k.onScreen, `at ${vp} the focused skip link is not inside the viewport`);
      assert.equal(k.hashAfterEnter, '#main', 'Enter on the skip link goes to #main');
    });
  }
});
