// The newsroom end to end in a real browser (Debian's Chromium driven by
// playwright-core, headless), against the demo site served by the real
// binary: an editor logs in, writes a story with a subheading, saves a
// draft (absent from the public site), previews it, schedules it a few
// seconds ahead and sees it appear on the home page, its section front, the
// site's feeds, search and another story's Related News; adds a correction
// and sees the note and "Updated" on the story; unpublishes it and sees it
// gone everywhere. The steps run in order and share one browser session; a
// step whose predecessor failed is skipped (the first failure fails the
// run). Screenshots of the editor and of the published story are kept in
// <build>/test-artifacts/ (the build folder is DATELINE_BINARY's ../../).
//
// The public side is read over plain HTTP, and every wait is a poll with a
// deadline (the scheduler runs once a second; the reader cache follows the
// change log within about a second).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { addUser, binary, missingTools, requireChromium, requireTool, startDemo } from './server.mjs';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const EDITOR = { email: 'e2e.editor@example.com', name: 'Edda Tester', role: 'editor',
  password: 'correct horse battery staple' };

// A follow-up to the demo's "Saranth River treaty signed after six weeks of
// talks" (world): the same river, countries, places, people and terms in
// other words, so Related News (computed by content) links the two.
// "Halvorsund" appears nowhere in the demo: searching it finds only this.
const TARGET_SLUG = 'saranth-water-treaty-signed';
const SECTION_LABEL = 'World';
const UNIQUE = 'Halvorsund';
const SUBHEADING = 'What the treaty vote changes';
const STORY = {
  headline: `Tessarian parliament ratifies the Saranth River treaty after a ${UNIQUE} session`,
  dek: 'Lawmakers back guaranteed summer flows, shared gauging data and a five-year review, ' +
    'leaving Korvala and Ondra to ratify the water-sharing deal.',
  tags: 'Water, Diplomacy, Drought',
  authors: 'Amara Okafor',
  body: [
    'Tessaria became the first of the three countries that share the Saranth River to ratify ' +
      'the water-sharing treaty on Friday, when its parliament voted to approve the deal signed ' +
      `in Varne after six weeks of negotiations during the drought. The vote, held at the ` +
      `${UNIQUE} session of the parliament, passed by a wide majority.`,
    'The treaty commits Korvala, Tessaria and Ondra to guaranteed minimum flows across their ' +
      'borders during the summer season, measured at Lenz on the Korvala-Tessaria border and at ' +
      'Kell on the Tessaria-Ondra border, with higher targets when rainfall in the upper basin ' +
      'is above average.',
    `## ${SUBHEADING}`,
    'Ratification lets the basin commission start building the joint monitoring network of 46 ' +
      'gauging stations, whose river data will be published every hour. "Farmers in Tessaria and ' +
      'the engineers at the Halden Dam will finally read the same numbers," said Hedda Lorne, ' +
      'the commission\'s chief hydrologist.',
    'The delta city of Mirabad, which has rationed drinking water since October, again called ' +
      'the salinity limit the clause that matters most. Farm groups said they would watch ' +
      'whether the summer minimum flows held in practice, and environmental groups repeated that ' +
      'the treaty does too little for fish migration.',
    'Korvala, where the opposition has vowed to fight ratification over the Halden Dam, and ' +
      'Ondra must still approve the treaty. "The river has waited a long time," said Samir ' +
      'Dallo, Ondra\'s lead negotiator.',
  ].join('\n\n'),
};
const CORRECTION = 'An earlier version of this story gave the wrong day for the vote: it was Friday, not Thursday.';

// The build folder: DATELINE_BINARY is <build>/src/app/dateline.
const artifactsDir = path.join(path.dirname(binary), '..', '..', 'test-artifacts');

// Repeats `probe` (async, returns {ok, detail}) until ok or `timeoutMs`
// passed; returns the last result with `afterMs`, or throws naming `what`
// and the last detail.
async function until(what, probe, { timeoutMs = 15000, everyMs = 250 } = {}) {
  const start = Date.now();
  for (;;) {
    const r = await probe();
    if (r.ok) return { ...r, afterMs: Date.now() - start };
    if (Date.now() - start > timeoutMs) {
      throw new Error(`${what}: still not so after ${timeoutMs} ms (${r.detail})`);
    }
    await sleep(everyMs);
  }
}

// The attributes of every <link> tag in `html`.
function linkTags(html) {
  return [...html.matchAll(/<link\b([^>]*)>/gi)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([a-z-]+)="([^"]*)"/gi)].map((a) => [a[1].toLowerCase(), a[2]])));
}

// The inside of <section id="related-news">, or null.
function relatedNews(html) {
  const m = /<section\b[^>]*\bid="related-news"[^>]*>([\s\S]*?)<\/section>/.exec(html);
  return m ? m[1] : null;
}

// The value a datetime-local input takes for `ms` in time zone `zone`.
function localInputTime(ms, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

const missing = missingTools({ npm: ['playwright-core'], chromium: true });
if (missing) test('newsroom: test tools are installed', () => assert.fail(missing));
else describe('the newsroom in Chromium: write, preview, schedule, correct, unpublish', { timeout: 240000 }, () => {
  let server;
  let browser;
  let context;
  let page;
  const browserErrors = [];
  // What the steps learn and pass on.
  const s = {
    sectionUrl: null,   // the section front, e.g. /category/world/
    feedUrls: [],       // the site feeds the home page announces
    targetUrl: null,    // the demo story ours is related to
    editUrl: null,      // /admin/stories/ID
    draftUrl: null,     // the story's would-be permalink (the preview's canonical path)
    storyUrl: null,     // its permalink once published
    publishAtMs: null,  // the time it was scheduled for
    zone: null,
  };
  let failed = null;    // the first step that failed

  const get = async (p) => {
    const r = await fetch(server.url + p, { redirect: 'manual' });
    return { status: r.status, body: await r.text() };
  };
  const pathOf = (href) => {
    const u = new URL(href, server.url);
    return u.pathname + u.search;
  };

  // Where the story's headline shows on the public side right now:
  // {home, section, search, feeds: {url: bool}}, plus the story URL's status.
  async function publicState() {
    const has = async (p) => {
      const r = await get(p);
      if (r.status !== 200) throw new Error(`GET ${p}: status ${r.status}, want 200`);
      return r.body.replace(/<\/?mark>/g, '').includes(STORY.headline);  // search marks matches
    };
    const state = {
      home: await has('/'),
      section: await has(s.sectionUrl),
      search: await has(`/search/?q=${UNIQUE}`),
      feeds: {},
    };
    for (const f of s.feedUrls) state.feeds[f] = await has(f);
    const url = s.storyUrl || s.draftUrl;
    state.storyStatus = url ? (await get(url)).status : null;
    return state;
  }
  const places = (st) => [['home', st.home], ['section front', st.section], ['search', st.search],
    ...Object.entries(st.feeds).map(([f, v]) => [`feed ${f}`, v])];

  // A step of the story's life: skipped when an earlier one failed, so the
  // first failure is the one reported. A check (blocking: false) that fails
  // does not stop the steps after it.
  function step(name, fn, { blocking = true } = {}) {
    test(name, async (t) => {
      if (failed) { t.skip(`an earlier step failed: ${failed}`); return; }
      try { await fn(t); } catch (e) { if (blocking) failed = name; throw e; }
    });
  }

  // Clicks the editor's button `name` and waits for the redirect that says
  // `done`; returns the notice the page shows.
  async function press(name, done) {
    await page.getByRole('button', { name, exact: true }).click();
    try {
      await page.waitForURL(new RegExp(`/admin/stories/\\d+\\?done=${done}`), { timeout: 10000 });
    } catch (e) {
      const error = await page.locator('#form-error, .field-error').allInnerTexts().catch(() => []);
      throw new Error(`after "${name}" the editor did not come back with done=${done} ` +
        `(at ${page.url()}; errors shown: ${JSON.stringify(error)})`);
    }
    return (await page.locator('p.notice').allInnerTexts()).join(' ');
  }

  before(async () => {
    const { chromium } = requireTool('playwright-core');
    const executablePath = requireChromium();
    mkdirSync(artifactsDir, { recursive: true });
    server = await startDemo();
    addUser(server.dir, EDITOR);

    // The public pages the story will be looked for on.
    const home = await get('/');
    assert.equal(home.status, 200, 'GET /');
    s.feedUrls = linkTags(home.body)
      .filter((l) => (l.rel || '').split(/\s+/).includes('alternate') &&
        /(rss|atom)\+xml|feed\+json/.test(l.type || ''))
      .map((l) => pathOf(l.href));
    const found = await get(`/search/?q=${encodeURIComponent('Saranth treaty signed')}`);
    const target = [...found.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1])
      .find((h) => h.includes(`/${TARGET_SLUG}/`));
    assert.ok(target, `the demo story ${TARGET_SLUG} is not among the search results for "Saranth treaty signed"`);
    s.targetUrl = pathOf(target);
    const targetPage = await get(s.targetUrl);
    assert.equal(targetPage.status, 200, `GET ${s.targetUrl}`);
    const section = /<a class="section-label" href="([^"]+)">([^<]*)<\/a>/.exec(targetPage.body);
    assert.ok(section && section[2] === SECTION_LABEL,
      `${s.targetUrl} has no section label "${SECTION_LABEL}" linking to its section front`);
    s.sectionUrl = pathOf(section[1]);

    browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') browserErrors.push(`console: ${m.text()} (${page.url()})`); });
    page.on('pageerror', (e) => browserErrors.push(`page error: ${e.message} (${page.url()})`));
    page.on('response', (r) => {
      if (r.status() >= 400) browserErrors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('the home page announces at least one site feed', () => {
    assert.ok(s.feedUrls.length > 0, 'no <link rel="alternate"> feed in the home page head');
  });

  step('log in', async () => {
    const r = await page.goto(server.url + '/admin/');
    assert.equal(r.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/admin\/login/, 'a visitor without a session is sent to the login page');
    await page.getByLabel('Email', { exact: true }).fill(EDITOR.email);
    await page.getByLabel('Password', { exact: true }).fill(EDITOR.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'), { timeout: 10000 })
      .catch(async () => {
        const error = await page.locator('#form-error').allInnerTexts();
        throw new Error(`still on the login page after "Log in" (${JSON.stringify(error)})`);
      });
    await assert.doesNotReject(
      page.getByRole('link', { name: new RegExp(`Account \\(${EDITOR.name}, editor\\)`) }).waitFor({ timeout: 5000 }),
      'the admin header names the logged-in editor');
  });

  step('write a story with a subheading and save it as a draft', async () => {
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'New story', exact: true }).click();
    await page.waitForURL(/\/admin\/stories\/new$/);
    await page.getByLabel('Headline', { exact: true }).fill(STORY.headline);
    await page.getByLabel('Dek', { exact: true }).fill(STORY.dek);
    await page.getByLabel('Section', { exact: true }).selectOption({ label: SECTION_LABEL });
    await page.getByLabel('Tags', { exact: true }).fill(STORY.tags);
    await page.getByLabel('Authors', { exact: true }).fill(STORY.authors);
    await page.getByLabel('Body', { exact: true }).fill(STORY.body);
    // The live preview renders the Markdown with the server's renderer.
    await page.locator('#body-preview h2', { hasText: SUBHEADING }).waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(artifactsDir, 'newsroom-editor.png'), fullPage: true });

    const notice = await press('Save draft', 'saved');
    assert.match(notice, /Draft saved/);
    s.editUrl = new URL(page.url()).pathname;
    assert.equal(await page.locator('.status').innerText(), 'Draft');
    assert.equal(await page.getByLabel('Headline', { exact: true }).inputValue(), STORY.headline);
    assert.equal(await page.getByLabel('Body', { exact: true }).inputValue(), STORY.body,
      'the saved body comes back as typed');
  });

  step('the draft is absent from the public site', async () => {
    const st = await publicState();
    for (const [where, present] of places(st)) assert.equal(present, false, `the draft's headline is on the ${where}`);
  });

  step('preview shows the draft with its subheading as <h2>, and its URL is 404', async () => {
    const [preview] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Preview', exact: true }).click(),
    ]);
    await preview.waitForLoadState('load');
    try {
      assert.match(new URL(preview.url()).pathname, /\/preview$/);
      assert.equal(await preview.locator('h1').innerText(), STORY.headline);
      assert.equal(await preview.locator('.story-body h2', { hasText: SUBHEADING }).count(), 1,
        'the Markdown "## " line is an <h2> in the story body');
      assert.ok(await preview.getByText('Preview — not published').isVisible(), 'the preview says it is not published');
      const canonical = await preview.locator('link[rel="canonical"]').getAttribute('href');
      assert.ok(canonical, 'the preview has a canonical link (the permalink the story will have)');
      s.draftUrl = pathOf(canonical);
    } finally {
      await preview.close();
    }
    const r = await get(s.draftUrl);
    assert.equal(r.status, 404, `GET ${s.draftUrl} (the draft's permalink)`);
  });

  step('schedule it a few seconds ahead: absent until due, then on home, section, feeds and search', async (t) => {
    const hint = await page.locator('#published_at-hint').innerText();
    s.zone = /^(\S+) time\./.exec(hint)?.[1];
    assert.ok(s.zone, `the Publish time hint names the site's time zone ("${hint}")`);
    s.publishAtMs = Math.ceil((Date.now() + 6000) / 1000) * 1000;
    // Whole seconds, never :00 (the input would shorten "HH:MM:00" to "HH:MM").
    if (new Date(s.publishAtMs).getUTCSeconds() === 0) s.publishAtMs += 1000;
    await page.getByLabel('Publish time', { exact: true }).fill(localInputTime(s.publishAtMs, s.zone));
    const notice = await press('Schedule', 'scheduled');
    assert.match(notice, /Scheduled/);
    assert.equal(await page.locator('.status').innerText(), 'Scheduled');
    if (Date.now() < s.publishAtMs - 500) {
      const st = await publicState();
      for (const [where, present] of places(st)) assert.equal(present, false, `the scheduled story is on the ${where} before its time`);
      assert.equal(st.storyStatus, 404, `GET ${s.draftUrl} before the publish time`);
    } else {
      t.diagnostic('scheduling took too long to check the public side before the publish time');
    }

    await until('the story on the home page, section front, search and every feed', async () => {
      const st = await publicState();
      const missing = places(st).filter(([, v]) => !v).map(([w]) => w);
      return { ok: missing.length === 0, detail: `not yet on: ${missing.join(', ')}`, st };
    }, { timeoutMs: s.publishAtMs - Date.now() + 15000 });
    t.diagnostic(`public ${Date.now() - s.publishAtMs} ms after the publish time`);
    assert.ok(Date.now() >= s.publishAtMs - 1000, 'the story went public before its publish time');

    // Its permalink: the link on the home page, as the preview announced.
    const home = await get('/');
    const link = [...home.body.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].find((m) => m[2] === STORY.headline);
    assert.ok(link, 'the home page links the headline');
    s.storyUrl = pathOf(link[1]);
    assert.equal(s.storyUrl, s.draftUrl, 'the permalink is the one the preview gave as canonical');
    assert.equal((await get(s.storyUrl)).status, 200, `GET ${s.storyUrl}`);
  });

  step('the published story: page, screenshot, and the editor says Published', async () => {
    const r = await page.goto(server.url + s.storyUrl);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator('h1').innerText(), STORY.headline);
    assert.equal(await page.locator('.story-body h2', { hasText: SUBHEADING }).count(), 1);
    assert.equal(await page.locator('.preview-banner').count(), 0, 'no preview banner on the public page');
    assert.equal(await page.locator('.story-meta .updated').count(), 0, 'not "Updated" before any change');
    await page.screenshot({ path: path.join(artifactsDir, 'newsroom-story.png'), fullPage: true });

    await page.goto(server.url + s.editUrl);
    assert.equal(await page.locator('.status').innerText(), 'Published');
    assert.equal(pathOf(await page.getByRole('link', { name: 'View on the site' }).getAttribute('href')), s.storyUrl);
    for (const name of ['Update', 'Unpublish']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a published story has "${name}"`);
    }
  });

  step('it appears in the Related News of the demo story it follows up', async (t) => {
    const r = await until(`the story in section#related-news of ${s.targetUrl}`, async () => {
      const target = await get(s.targetUrl);
      const block = relatedNews(target.body);
      return { ok: block !== null && block.includes(`>${STORY.headline}<`),
        detail: block === null ? 'no section#related-news' : `it lists: ${[...block.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]).join(' | ')}` };
    }, { timeoutMs: Math.max(s.publishAtMs + 20000 - Date.now(), 2000) });
    t.diagnostic(`in Related News ${Date.now() - s.publishAtMs} ms after the publish time (${r.detail})`);
  });

  step('a correction shows its note and "Updated" on the story', async (t) => {
    // A correction makes the story "Updated" at once (site.cc), even within
    // the first minute after publishing; the clock must only have moved on
    // by a second so the correction's time is after the publish time.
    const wait = s.publishAtMs + 1500 - Date.now();
    if (wait > 0) await sleep(wait);
    await page.goto(server.url + s.editUrl);
    await page.getByLabel('Correction', { exact: true }).fill(CORRECTION);
    await page.getByRole('button', { name: 'Add correction', exact: true }).click();
    await page.waitForURL(/\?done=corrected/, { timeout: 10000 });
    assert.match((await page.locator('p.notice').allInnerTexts()).join(' '), /Correction added/);

    await until(`the correction and "Updated" on ${s.storyUrl}, and the note on /corrections/`, async () => {
      const r = await get(s.storyUrl);
      const note = /<aside class="corrections-note"[\s\S]*?<\/aside>/.exec(r.body)?.[0] || '';
      const hasNote = note.includes(CORRECTION);
      const updated = /<span class="updated">Updated <time datetime="[^"]+">/.test(r.body);
      const list = await get('/corrections/');
      const listed = list.status === 200 && list.body.includes(CORRECTION) && list.body.includes(STORY.headline);
      return { ok: r.status === 200 && hasNote && updated && listed,
        detail: `story status ${r.status}, correction note ${hasNote ? 'shown' : 'missing'}, ` +
          `"Updated" ${updated ? 'shown' : 'missing'}, /corrections/ (status ${list.status}) ${listed ? 'lists it' : 'does not list it'}` };
    }, { timeoutMs: 10000 });
    // Pages are fresh for 60 s in browsers (Cache-Control), and this browser
    // saw the story a moment ago: ask for a URL it has not cached.
    const r = await page.goto(server.url + s.storyUrl + '?after-correction');
    assert.equal(r.status(), 200);
    assert.ok(await page.locator('.corrections-note', { hasText: CORRECTION }).isVisible(), 'the correction note is visible');
    assert.match(await page.locator('.story-meta').innerText(), /Updated/);
  });

  step('unpublished, it is gone from its URL, home, section, feeds, search and Related News', async (t) => {
    await page.goto(server.url + s.editUrl);
    const notice = await press('Unpublish', 'unpublished');
    assert.match(notice, /Unpublished/);
    assert.equal(await page.locator('.status').innerText(), 'Unpublished');
    const since = Date.now();
    await until('the story gone from the public side', async () => {
      const st = await publicState();
      const still = places(st).filter(([, v]) => v).map(([w]) => w);
      if (st.storyStatus !== 404) still.push(`its URL (status ${st.storyStatus})`);
      const related = relatedNews((await get(s.targetUrl)).body) || '';
      if (related.includes(`>${STORY.headline}<`)) still.push(`Related News of ${s.targetUrl}`);
      if ((await get('/corrections/')).body.includes(CORRECTION)) still.push('/corrections/');
      return { ok: still.length === 0, detail: `still on: ${still.join(', ')}` };
    }, { timeoutMs: 10000 });
    t.diagnostic(`gone ${Date.now() - since} ms after "Unpublish"`);
  });

  // Checks of the editor itself, after the story's life so that a failure
  // here does not hide the steps above.
  step('the editor lists the story\'s correction', async () => {
    await page.goto(server.url + s.editUrl);
    const listed = await page.locator('#corrections').innerText();
    assert.ok(listed.includes(CORRECTION),
      `the Corrections section of ${s.editUrl} does not show the correction added to the story; it says: ${JSON.stringify(listed)}`);
  }, { blocking: false });

  step('"New story" offers no typing to restore once the last new story was saved', async () => {
    await page.goto(server.url + '/admin/stories/new');
    await page.waitForLoadState('load');
    const banner = page.locator('#restore-banner');
    assert.ok(await banner.isHidden(),
      `a fresh editor offers to restore typing from the story saved earlier: ${JSON.stringify(await banner.innerText())} ` +
      `(localStorage keys: ${await page.evaluate(() => JSON.stringify(Object.keys(localStorage)))})`);
  }, { blocking: false });

  // (Chromium's own /favicon.ico request, made when a page declares no
  // icon, shows here only as a console 404 without a URL.)
  step('the admin pages ran without console errors or failed requests', () => {
    assert.deepEqual(browserErrors, [], 'a console 404 with no HTTP line is likely /favicon.ico: ' +
      'the page declares no <link rel="icon"> and the server has no /favicon.ico');
  }, { blocking: false });
});
