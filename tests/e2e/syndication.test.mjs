// Feeds, sitemaps and structured data of a fixture site, checked by tools
// Dateline did not write: feedparser (RSS 2.0 and Atom), xmllint with the
// sitemaps.org schema shipped by the npm "sitemap" package (plus the index
// and Google News schemas in ./schemas, transcribed from the protocols),
// the "sitemap" package's own parser, structured-data-testing-tool with
// its Google, Twitter and Facebook presets, and the Nu Html Checker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';

import { HOSTILE, permalink, startFixtureSite, visibleStories } from './fixture_site.mjs';
import { missingTools, repoRoot, requireJava, requireTool } from './server.mjs';

const TOOLS = ['feedparser', 'sitemap', 'structured-data-testing-tool', 'vnu-jar'];

function parseFeed(xml) {
  const FeedParser = requireTool('feedparser');
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ normalize: true, addmeta: false });
    const items = [];
    let meta;
    parser.on('error', reject);
    parser.on('meta', (m) => { meta = m; });
    parser.on('readable', () => { let i; while ((i = parser.read())) items.push(i); });
    parser.on('end', () => resolve({ meta, items }));
    Readable.from([xml]).pipe(parser);
  });
}

function xmllint(schema, file) {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint does not run (${r.error.message}): install libxml2-utils (scripts/install-deps)`);
  return r;
}

const missing = missingTools({ npm: TOOLS, java: true });
if (missing) test('syndication: test tools are installed', () => assert.fail(missing));
else describe('feeds, sitemaps and structured data (outside validators)', () => {
  let site;
  let tmp;
  const get = async (p, want = 200) => {
    const r = await fetch(site.url + p);
    assert.equal(r.status, want, `GET ${p}`);
    return { type: r.headers.get('content-type'), body: await r.text(), headers: r.headers };
  };

  before(async () => {
    site = await startFixtureSite();
    tmp = mkdtempSync(path.join(tmpdir(), 'dateline-syndication-'));
  });
  after(async () => {
    if (site) await site.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const scopes = [
    { name: 'site', base: '/', keep: () => true },
    { name: 'section', base: '/category/world/', keep: (s) => s.section === 'world' },
    { name: 'tag', base: '/tag/all-stories/', keep: (s) => s.tags.includes('All stories') },
    { name: 'author', base: '/author/ana-a-diaz/', keep: (s) => s.authors.includes('Ana “A” Díaz') },
  ];

  for (const scope of scopes) {
    for (const [format, file, type] of [['RSS', 'feed/', 'application/rss+xml'], ['Atom', 'feed/atom/', 'application/atom+xml']]) {
      test(`${scope.name} ${format} feed parses with feedparser and matches the store`, async () => {
        const r = await get(scope.base + file);
        assert.match(r.type, new RegExp(`^${type.replace('+', '\\+')}`));
        assert.ok(!r.body.includes('LEAKED'), 'a hidden story leaked');
        const { meta, items } = await parseFeed(r.body);
        assert.equal(meta.link, site.base + scope.base);
        const want = visibleStories(site.stories).filter(scope.keep);
        assert.equal(items.length, want.length);
        items.forEach((item, i) => {
          const s = want[i];
          // feedparser strips anything tag-like from titles (RSS titles are
          // often HTML in the wild); the exact text is checked with xmllint below.
          assert.equal(item.title, s.headline === HOSTILE ? HOSTILE.replace(/<\/?script>/g, '') : s.headline, 'title');
          assert.equal(item.link, site.base + permalink(s), 'link');
          assert.equal(item.pubdate.getTime(), Date.parse(s.published_at), 'date');
          // feedparser's `author` keeps one name (and none for an Atom entry
          // with several); its raw elements hold every byline.
          const raw = format === 'Atom' ? [].concat(item['atom:author']).map((a) => a.name['#'])
            : [].concat(item['dc:creator']).map((a) => a['#']);
          assert.deepEqual(raw, s.authors, 'authors');
          if (s.authors.length === 1) assert.equal(item.author, s.authors[0], 'author');
          const cats = item.categories;
          assert.ok(cats.includes(s.section === 'world' ? 'World' : 'Sport'), `section in ${cats}`);
          for (const t of s.tags) assert.ok(cats.includes(t), `tag ${t} in ${cats}`);
          assert.match(item.description, /<h2/, 'full content');
        });
      });
    }

    test(`${scope.name} JSON Feed has the 1.1 fields and matches the store`, async () => {
      const r = await get(scope.base + 'feed.json');
      assert.match(r.type, /^application\/feed\+json/);
      const f = JSON.parse(r.body);
      assert.equal(f.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(typeof f.title, 'string');
      assert.equal(f.home_page_url, site.base + scope.base);
      assert.equal(f.feed_url, site.base + scope.base + 'feed.json');
      assert.ok(Array.isArray(f.items));
      const want = visibleStories(site.stories).filter(scope.keep);
      assert.equal(f.items.length, want.length);
      f.items.forEach((item, i) => {
        const s = want[i];
        assert.equal(typeof item.id, 'string');
        assert.ok(item.content_html || item.content_text, 'content_html or content_text');
        assert.equal(item.title, s.headline);
        assert.equal(item.url, site.base + permalink(s));
        assert.match(item.date_published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
        assert.equal(Date.parse(item.date_published), Date.parse(s.published_at));
        assert.deepEqual(item.authors.map((a) => a.name), s.authors);
        for (const t of s.tags) assert.ok(item.tags.includes(t));
        if (s.lead_image) assert.equal(item.image, site.base + s.lead_image.url);
        if (s.language) assert.equal(item.language, s.language);
      });
    });
  }

  test('the hostile headline survives every feed and sitemap intact', async () => {
    // libxml2 decodes the XML; the first item is the hostile story.
    const xpath = (body, expr) => {
      const file = path.join(tmp, 'feed.xml');
      writeFileSync(file, body);
      const r = spawnSync('xmllint', ['--nonet', '--xpath', expr, file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.replace(/\n$/, '');
    };
    assert.equal(xpath((await get('/feed/')).body, 'string(/rss/channel/item[1]/title)'), HOSTILE);
    assert.equal(xpath((await get('/feed/atom/')).body,
      "string(/*[local-name()='feed']/*[local-name()='entry'][1]/*[local-name()='title'])"), HOSTILE);
    assert.equal(xpath((await get('/feed/')).body, 'string(/rss/channel/item[1]/description)'),
      site.stories[0].excerpt);
    const json = JSON.parse((await get('/feed.json')).body);
    assert.equal(json.items[0].title, HOSTILE);
    assert.equal(json.items[0].summary, site.stories[0].excerpt);
    const { parseSitemap } = requireTool('sitemap');
    const news = await parseSitemap(Readable.from([(await get('/news-sitemap.xml')).body]));
    assert.ok(news.some((u) => u.news && u.news.title === HOSTILE));
  });

  test('sitemaps validate against the sitemaps.org schemas', async () => {
    const schemas = path.join(repoRoot, 'tests', 'e2e', 'schemas');
    const urlsetXsd = path.join(repoRoot, 'node_modules', 'sitemap', 'schema', 'sitemap.xsd');
    const index = await get('/sitemap.xml');
    assert.match(index.type, /^application\/xml/);
    const indexFile = path.join(tmp, 'sitemap.xml');
    writeFileSync(indexFile, index.body);
    let r = xmllint(path.join(schemas, 'siteindex.xsd'), indexFile);
    assert.equal(r.status, 0, `sitemap index: ${r.stderr}`);
    const locs = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.ok(locs.some((l) => /\/sitemaps\/articles-\d{4}-\d\d\.xml$/.test(l)));
    for (const kind of ['sections', 'tags', 'authors']) assert.ok(locs.includes(`${site.base}/sitemaps/${kind}.xml`), kind);
    const listed = new Set();
    for (const loc of locs) {
      const child = await get(loc.slice(site.base.length));
      assert.ok(!child.body.includes('LEAKED') && !child.body.includes('hidden-'), loc);
      const file = path.join(tmp, 'child.xml');
      writeFileSync(file, child.body);
      r = xmllint(urlsetXsd, file);
      assert.equal(r.status, 0, `${loc}: ${r.stderr}`);
      for (const m of child.body.matchAll(/<loc>([^<]+)<\/loc>/g)) listed.add(m[1]);
    }
    for (const s of visibleStories(site.stories)) assert.ok(listed.has(site.base + permalink(s)), s.slug);

    const news = await get('/news-sitemap.xml');
    const newsFile = path.join(tmp, 'news.xml');
    writeFileSync(newsFile, news.body);
    r = xmllint(path.join(schemas, 'news-urlset.xsd'), newsFile);
    assert.equal(r.status, 0, `news sitemap: ${r.stderr}`);
  });

  test('the news sitemap holds only the last 48 hours (1 h and 47 h in, 49 h out)', async () => {
    const { parseSitemap } = requireTool('sitemap');
    const urls = await parseSitemap(Readable.from([(await get('/news-sitemap.xml')).body]));
    const bySlug = Object.fromEntries(site.stories.map((s) => [site.base + permalink(s), s.slug]));
    assert.deepEqual(urls.map((u) => bySlug[u.url]), ['story-0', 'story-1']);
    for (const u of urls) {
      assert.equal(u.news.publication.name, 'Fixture & <News>');
      assert.match(u.news.publication.language, /^[a-z]{2,3}$/);
      assert.match(u.news.publication_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    const robots = await get('/robots.txt');
    assert.match(robots.body, /^Sitemap: http:\/\/127\.0\.0\.1:1\/sitemap\.xml$/m);
    assert.match(robots.body, /^Sitemap: http:\/\/127\.0\.0\.1:1\/news-sitemap\.xml$/m);
  });

  test('JSON-LD and social tags pass structured-data-testing-tool (Google, Twitter, Facebook)', async () => {
    const { structuredDataTest } = requireTool('structured-data-testing-tool');
    const { Google, Twitter, Facebook } = requireTool('structured-data-testing-tool/presets');
    const visible = visibleStories(site.stories);
    const pages = [
      { url: permalink(visible[0]), schemas: ['NewsArticle', 'BreadcrumbList'] },
      { url: permalink(visible[1]), schemas: ['NewsArticle', 'BreadcrumbList'] },
      { url: '/', schemas: ['WebSite', 'ItemList'] },
      { url: '/category/world/', schemas: ['CollectionPage'] },
      { url: '/tag/all-stories/', schemas: ['CollectionPage'] },
    ];
    for (const p of pages) {
      const html = (await get(p.url)).body;
      let res;
      try {
        res = await structuredDataTest(Buffer.from(html), { presets: [Google, Twitter, Facebook], schemas: p.schemas });
      } catch (e) {
        res = e.res;
        if (!res) throw e;
      }
      const failed = res.failed.map((f) => `${f.description || ''} ${f.test}: ${f.error ? f.error.message : ''}`);
      assert.equal(res.failed.length, 0, `${p.url}:\n  ${failed.join('\n  ')}`);
      assert.ok(res.passed.length > 10, `${p.url}: only ${res.passed.length} checks ran`);
    }
  });

  test('JSON-LD carries the schema.org fields the issue names (checked by JSON.parse)', async () => {
    const s = visibleStories(site.stories)[0];
    const html = (await get(permalink(s))).body;
    const docs = [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]));
    const news = docs.find((d) => d['@type'] === 'NewsArticle');
    assert.equal(news.headline, HOSTILE);
    assert.equal(news.description, s.dek || s.excerpt);  // the page's description: dek, else excerpt
    assert.match(news.datePublished, /[+-]\d\d:\d\d$/);
    assert.match(news.dateModified, /[+-]\d\d:\d\d$/);
    assert.deepEqual(news.author.map((a) => [a['@type'], a.name]), s.authors.map((n) => ['Person', n]));
    assert.ok(news.author.every((a) => a.url.startsWith(site.base + '/author/')));
    assert.equal(news.publisher['@type'], 'Organization');
    assert.ok(news.publisher.logo.url.startsWith(site.base));
    assert.equal(news.mainEntityOfPage['@id'], site.base + permalink(s));
    assert.equal(news.articleSection, 'World');
    assert.deepEqual(news.keywords, s.tags);
    assert.equal(news.inLanguage, 'en');
    const crumbs = docs.find((d) => d['@type'] === 'BreadcrumbList');
    assert.deepEqual(crumbs.itemListElement.map((i) => i.name), ['Home', 'World', HOSTILE]);
    const home = (await get('/')).body;
    const website = [...home.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)]
      .map((m) => JSON.parse(m[1])).find((d) => d['@type'] === 'WebSite');
    assert.equal(website.potentialAction['@type'], 'SearchAction');
    assert.match(website.potentialAction.target.urlTemplate, /\{search_term_string\}/);
    assert.equal(website.potentialAction['query-input'], 'required name=search_term_string');
  });

  test('conditional GET: ETag and Last-Modified answer 304', async () => {
    for (const p of ['/feed/', '/feed/atom/', '/feed.json', '/tag/all-stories/feed/']) {
      const first = await fetch(site.url + p);
      const etag = first.headers.get('etag');
      const lm = first.headers.get('last-modified');
      assert.ok(etag && lm, `${p} validators`);
      assert.equal((await fetch(site.url + p, { headers: { 'If-None-Match': etag } })).status, 304, p);
      assert.equal((await fetch(site.url + p, { headers: { 'If-Modified-Since': lm } })).status, 304, p);
      assert.equal((await fetch(site.url + p, { headers: { 'If-None-Match': '"nope"' } })).status, 200, p);
    }
  });

  test('every page kind of the hostile fixture has no Nu Html Checker errors', async () => {
    const vnuJar = String(requireTool('vnu-jar'));
    const visible = visibleStories(site.stories);
    const pages = [['home', '/', 200], ['article-hostile', permalink(visible[0]), 200],
      ['article-image', permalink(visible[1]), 200], ['section', '/category/world/', 200],
      ['tag', '/tag/all-stories/', 200], ['author', '/author/ana-a-diaz/', 200],
      ['archive', permalink(visible[0]).split('/').slice(0, 3).join('/') + '/', 200],
      ['not-found', '/no-such-page/', 404]];
    const files = [];
    for (const [name, url, status] of pages) {
      const file = path.join(tmp, `${name}.html`);
      writeFileSync(file, (await get(url, status)).body);
      files.push(file);
    }
    const r = spawnSync(requireJava(), ['-jar', vnuJar, '--format', 'json', '--errors-only', ...files], { encoding: 'utf8' });
    const report = JSON.parse(r.stderr || r.stdout);
    const errors = report.messages.filter((m) => m.type !== 'info');
    assert.equal(errors.length, 0, errors.map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message} ${JSON.stringify(m.extract || '')}`).join('\n'));
  });
});
