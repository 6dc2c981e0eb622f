// Helpers for the browser tests (tests/e2e): a throwaway demo site served by
// the real dateline binary, and the checks that the npm test tools, Debian's
// Chromium and Java are installed (failing loudly, never skipping, if not).
//
// startDemo() creates a fresh demo site in a new temp folder with
// `dateline demo --dir TMP/site --listen 127.0.0.1:0`, waits for its
// "listening on http://HOST:PORT" line and returns {url, origin, dir, stop}
// (dir: the site's folder, for commands such as addUser).
// stop() sends SIGTERM, waits for the process to exit (SIGKILL after 10 s)
// and removes the temp folder; it is safe to call twice.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.DATELINE_BINARY ||
  path.join(repoRoot, 'build', 'src', 'app', 'dateline');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const INSTALL_HINT = 'run scripts/install-test-tools (from the repository root) to install it';

// Loads an npm devDependency from the repository's node_modules, or throws an
// error that says how to install it.
export function requireTool(name) {
  const dir = path.join(repoRoot, 'node_modules', name);
  if (!existsSync(dir)) {
    throw new Error(`${name} is not installed (no ${path.relative(repoRoot, dir)}): ${INSTALL_HINT}`);
  }
  return createRequire(path.join(repoRoot, 'package.json'))(name);
}

// What keeps these tests from running: a missing npm tool, Chromium or
// Java, as one message that says how to install them; null when all is there.
export function missingTools({ npm = [], chromium = false, java = false } = {}) {
  const problems = [];
  for (const name of npm) {
    try { requireTool(name); } catch (e) { problems.push(e.message); }
  }
  if (chromium) { try { requireChromium(); } catch (e) { problems.push(e.message); } }
  if (java) { try { requireJava(); } catch (e) { problems.push(e.message); } }
  return problems.length ? `the browser tests cannot run:\n  ${problems.join('\n  ')}` : null;
}

// Throws unless Debian's Chromium is there.
export function requireChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: ${INSTALL_HINT} (Debian package chromium)`);
  }
  return chromiumPath;
}

// Throws unless a java command runs.
export function requireJava() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`java does not run (${r.error ? r.error.message : r.stderr.trim()}): ${INSTALL_HINT} (Debian package default-jre-headless)`);
  }
  return 'java';
}

export async function startDemo({ timeoutMs = 30000 } = {}) {
  if (!existsSync(binary)) {
    throw new Error(`dateline binary not found at ${binary} (set DATELINE_BINARY or build it first)`);
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'dateline-e2e-'));
  const child = spawn(binary, ['demo', '--dir', path.join(tmp, 'site'), '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(tmp, { recursive: true, force: true });
  }

  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `dateline demo printed no "listening on" line within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)),
      timeoutMs);
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /listening on (http:\/\/[^\s]+)/.exec(stdout);
        if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
      });
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`dateline demo exited (code ${code}, signal ${signal}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
      });
    });
    child.stdout.resume();
    return { url, origin: new URL(url).origin, dir: path.join(tmp, 'site'), stop, stderr: () => stderr };
  } catch (e) {
    await stop();
    throw e;
  }
}

// Adds a newsroom user to the site in `dir` (the server may be running:
// SQLite lets the command write beside it) with
// `dateline user add EMAIL --name NAME --role ROLE --site DIR --password-stdin`.
// Throws with the command's output if it fails.
export function addUser(dir, { email, name, role, password }) {
  const r = spawnSync(binary, ['user', 'add', email, '--name', name, '--role', role, '--site', dir,
    '--password-stdin'], { input: `${password}\n`, encoding: 'utf8', timeout: 30000 });
  if (r.error || r.status !== 0) {
    throw new Error(`dateline user add ${email} failed (${r.error ? r.error.message : `exit ${r.status}`})` +
      `\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r.stdout;
}

// The URLs of one of every page kind of the demo site, found by following
// links from the home page the way a reader would. Returns [{name, url,
// status}] with the status each page must answer with.
export async function demoPages(base) {
  const get = async (p) => {
    const r = await fetch(base + p);
    if (r.status !== 200) throw new Error(`GET ${p}: status ${r.status}, want 200`);
    return r.text();
  };
  const hrefs = (html) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  const first = (list, re, what, where) => {
    const found = list.find((h) => re.test(h));
    if (!found) throw new Error(`no ${what} link (${re}) on ${where}`);
    return found;
  };

  const home = await get('/');
  const homeLinks = hrefs(home);
  // The lead story: the first permalink on the home page.
  const article = first(homeLinks, /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/, 'article', '/');
  const section = first(homeLinks, /^\/category\/[^/]+\/$/, 'section', '/');
  const page2 = first(homeLinks, /^\/page\/2\/$/, '/page/2/', '/');
  const articleLinks = hrefs(await get(article));
  const tag = first(articleLinks, /^\/tag\/[^/]+\/$/, 'tag', article);
  const author = first(articleLinks, /^\/author\/[^/]+\/$/, 'author', article);
  const [, y, m, d] = /^\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(article);
  return [
    { name: 'home', url: '/', status: 200 },
    { name: 'article', url: article, status: 200 },
    { name: 'section', url: section, status: 200 },
    { name: 'tag', url: tag, status: 200 },
    { name: 'author', url: author, status: 200 },
    { name: 'year', url: `/${y}/`, status: 200 },
    { name: 'month', url: `/${y}/${m}/`, status: 200 },
    { name: 'day', url: `/${y}/${m}/${d}/`, status: 200 },
    { name: 'page-2', url: page2, status: 200 },
    { name: 'not-found', url: '/no-such-page-e2e/', status: 404 },
    { name: 'search', url: '/search/?q=river+treaty', status: 200 },
    { name: 'search-no-results', url: '/search/?q=qqqxqqq', status: 200 },
    { name: 'search-empty', url: '/search/', status: 200 },
    { name: 'search-suggestion', url: '/search/?q=treatyy', status: 200 },
  ];
}
