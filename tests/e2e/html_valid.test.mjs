// Every page kind of the demo site is valid HTML according to the Nu Html
// Checker (vnu.jar, the W3C validator's engine), run once over all pages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { demoPages, missingTools, requireJava, requireTool, startDemo } from './server.mjs';

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const missing = missingTools({ npm: ['vnu-jar'], java: true });
if (missing) test('HTML validity: test tools are installed', () => assert.fail(missing));
else describe('HTML validity (Nu Html Checker)', () => {
  let server;
  let dir;
  let vnuJar;
  let java;

  before(async () => {
    vnuJar = String(requireTool('vnu-jar'));
    java = requireJava();
    dir = mkdtempSync(path.join(tmpdir(), 'dateline-vnu-'));
    server = await startDemo();
  });

  after(async () => {
    if (server) await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every page kind has no validator errors', async () => {
    // The demo pages, plus the corrections page (the demo has no
    // corrections: this checks its empty state and the footer link).
    const pages = [...await demoPages(server.url), { name: 'corrections', url: '/corrections/', status: 200 }];
    const byFile = new Map();
    for (const p of pages) {
      const r = await fetch(server.url + p.url);
      assert.equal(r.status, p.status, `GET ${p.url} (${p.name})`);
      assert.match(r.headers.get('content-type') || '', /^text\/html/, `${p.url} content type`);
      const file = path.join(dir, `${p.name}.html`);
      writeFileSync(file, await r.text());
      byFile.set(path.basename(file), p);
    }

    const files = [...byFile.keys()].map((f) => path.join(dir, f));
    const r = await run(java, ['-jar', vnuJar, '--format', 'json', '--errors-only', ...files]);
    // vnu writes its JSON report to stderr; exit 1 means it found errors.
    let report;
    try {
      report = JSON.parse(r.stderr || r.stdout);
    } catch {
      assert.fail(`vnu did not print a JSON report (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    const errors = report.messages.filter((m) => m.type !== 'info');
    const lines = errors.map((m) => {
      const p = byFile.get(path.basename(m.url || '')) || { name: '?', url: m.url };
      const where = m.lastLine ? `line ${m.firstLine || m.lastLine}${m.firstColumn ? `:${m.firstColumn}` : ''}` : 'no line';
      const extract = m.extract ? `\n      ${JSON.stringify(m.extract)}` : '';
      return `  ${p.name} page ${p.url} (${path.basename(m.url || '')}) ${where}: [${m.type}${m.subType ? `/${m.subType}` : ''}] ${m.message}${extract}`;
    });
    assert.equal(errors.length, 0,
      `${errors.length} HTML validator error(s) over ${pages.length} pages:\n${lines.join('\n')}`);
    assert.equal(r.code, 0, `vnu exited ${r.code}\n${r.stderr}`);
  });
});
