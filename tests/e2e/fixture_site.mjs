// A throwaway site for the syndication tests: `dateline init` + `dateline
// import jsonl` of stories built here (hostile titles, right-to-left and
// Bengali text, emoji; stories 1, 47 and 49 hours old by the real clock;
// a draft and a future story that must never appear), then `dateline serve`
// on a free port. startFixtureSite() returns {url, stories, stop}; `stories`
// are the imported objects, so tests can compute what each feed must hold.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { binary } from './server.mjs';

export const HOSTILE = 'Tom & Jerry <script>alert("x")</script> \'q\' ]]> 😀 مرحبا بالعالم শিরোনাম বাংলা';

const hours = (h) => new Date(Date.now() - h * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export function fixtureStories() {
  const stories = [];
  const sections = ['world', 'sport'];
  for (let i = 0; i < 8; i++) {
    stories.push({
      slug: `story-${i}`,
      headline: i === 0 ? HOSTILE : `Story ${i} & <friends> “quoted” ${i % 2 ? 'שלום' : 'বাংলা'}`,
      dek: `Dek ${i}`,
      body: `Opening paragraph ${i} with **bold** & <em>em</em>.\n\n## Part\n\nMore text ${i}.`,
      excerpt: i === 0 ? `Excerpt & <b>not bold</b> ${HOSTILE}` : '',
      section: sections[i % 2],
      tags: [`Tag & ${i % 3}`, 'All stories'],
      authors: i % 3 === 0 ? ['Ana “A” Díaz', 'রবি ঠাকুর'] : ['Ana “A” Díaz'],
      status: 'published',
      published_at: hours([1, 47, 49, 72, 100, 200, 400, 900][i]),
      lead_image: i % 2 ? { url: '/media/photo.jpg', alt: `Photo ${i} & <alt>`, caption: 'Cap', credit: 'Cred' } : undefined,
      language: i === 1 ? 'he' : undefined,
    });
  }
  stories.push({ slug: 'hidden-draft', headline: 'LEAKED draft', body: 'LEAKED', section: 'world',
    tags: ['All stories'], authors: ['Ana “A” Díaz'], status: 'draft', published_at: hours(2) });
  stories.push({ slug: 'hidden-future', headline: 'LEAKED future', body: 'LEAKED', section: 'world',
    tags: ['All stories'], authors: ['Ana “A” Díaz'], status: 'scheduled', published_at: hours(-5) });
  return stories.map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== '')));
}

export async function startFixtureSite({ timeoutMs = 30000 } = {}) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'dateline-feeds-'));
  const dir = path.join(tmp, 'site');
  const stop = async () => rmSync(tmp, { recursive: true, force: true });
  const init = spawnSync(binary, ['init', dir, '--name', 'Fixture & <News>', '--base-url', 'http://127.0.0.1:1'], { encoding: 'utf8' });
  if (init.status !== 0) { await stop(); throw new Error(`init failed: ${init.stderr}`); }
  const stories = fixtureStories();
  const imp = spawnSync(binary, ['import', 'jsonl', '-', '--site', dir],
    { input: stories.map((s) => JSON.stringify(s)).join('\n') + '\n', encoding: 'utf8' });
  if (imp.status !== 0) { await stop(); throw new Error(`import failed: ${imp.stderr}`); }
  const child = spawn(binary, ['serve', '--site', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line: ${out}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    exited.then(() => { clearTimeout(timer); reject(new Error(`serve exited: ${out}`)); });
  });
  child.stdout.resume();
  return {
    url,
    base: 'http://127.0.0.1:1',  // the configured base_url: what absolute URLs use
    stories,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) { child.kill('SIGTERM'); await exited; }
      await stop();
    },
  };
}

// What readers may see, newest first (the order of every feed).
export function visibleStories(stories) {
  const now = Date.now();
  return stories
    .filter((s) => s.status === 'published' && Date.parse(s.published_at) <= now)
    .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at));
}

// The default permalink, /%year%/%monthnum%/%day%/%postname%/, in UTC.
export function permalink(s) {
  const d = new Date(s.published_at);
  const p = (n) => String(n).padStart(2, '0');
  return `/${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${s.slug}/`;
}

// The store's slug of a name: lower-case ASCII words joined by '-'.
export const slugOf = (name) => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
