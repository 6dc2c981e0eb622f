// The newsroom editor's behaviour: live body preview, lead image upload,
// autosave (drafts to the server, every story to localStorage) and the
// offer to restore typing a closed tab left behind. Plain DOM, no
// framework; loaded with `defer` from a file because the pages' CSP
// forbids inline scripts. Pages work without it.
'use strict';

(function () {
  const csrf = document.body.dataset.csrf || '';
  const AUTOSAVE_IDLE_MS = 3000;
  const LOCAL_IDLE_MS = 400;
  const PREVIEW_IDLE_MS = 500;
  const MAX_UPLOAD = 8 * 1024 * 1024;
  const SKIP = new Set(['csrf_token', 'action']);

  function postJson(url, data, keepalive) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(data),
    });
  }

  function readJson(res) {
    return res.json().catch(function () { return {}; });
  }

  const store = {
    get(key) {
      try { return JSON.parse(window.localStorage.getItem(key) || 'null'); } catch (e) { return null; }
    },
    set(key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
    },
    remove(key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
    },
  };

  const form = document.getElementById('story-form');
  if (!form) return;

  const statusLine = document.getElementById('autosave-status');
  function say(text) { if (statusLine) statusLine.textContent = text; }

  function readFields() {
    const out = {};
    for (const el of form.elements) {
      if (!el.name || SKIP.has(el.name) || el.type === 'file' || el.type === 'submit') continue;
      out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    }
    return out;
  }

  function contentOf(fields) {
    const c = Object.assign({}, fields);
    delete c.version;
    return c;
  }

  function sameContent(a, b) {
    const keys = new Set(Object.keys(a).concat(Object.keys(b)));
    for (const k of keys) {
      const x = a[k] === undefined ? '' : a[k];
      const y = b[k] === undefined ? '' : b[k];
      if (String(x) !== String(y)) return false;
    }
    return true;
  }

  function writeFields(fields) {
    for (const el of form.elements) {
      if (!el.name || SKIP.has(el.name) || el.name === 'version' || !(el.name in fields)) continue;
      if (el.type === 'checkbox') el.checked = !!fields[el.name];
      else if (el.type !== 'file' && el.type !== 'submit') el.value = fields[el.name];
    }
  }

  let key = form.dataset.storageKey;
  const mode = form.dataset.autosave;  // "server", "local" or "off"
  const params = new URLSearchParams(window.location.search);

  // --- The local copy (a second line of defence for every story) ---

  function saveLocal(synced) {
    if (mode === 'off') return;
    store.set(key, { at: Date.now(), synced: !!synced, fields: contentOf(readFields()) });
  }

  // A form just submitted from this story's page (or from "New story",
  // which lands here under the new story's own key): when the server took
  // it ("done"), its local copy is no longer needed.
  for (const k of new Set([key, 'dateline:story:new'])) {
    const mark = 'dateline:submitted:' + k;
    let submitted = false;
    try { submitted = window.sessionStorage.getItem(mark) !== null; } catch (e) { /* blocked */ }
    if (!submitted) continue;
    try { window.sessionStorage.removeItem(mark); } catch (e) { /* blocked */ }
    if (params.has('done')) store.remove(k);
  }

  const banner = document.getElementById('restore-banner');
  const left = store.get(key);
  if (left && left.fields && mode !== 'off') {
    if (left.synced || sameContent(left.fields, contentOf(readFields()))) {
      store.remove(key);
    } else if (banner) {
      const when = new Date(left.at);
      document.getElementById('restore-text').textContent =
        'Unsaved typing from ' + when.toLocaleString() + ' was found in this browser.';
      banner.hidden = false;
      document.getElementById('restore-apply').addEventListener('click', function () {
        writeFields(left.fields);
        banner.hidden = true;
        changed();
        renderPreview();
      });
      document.getElementById('restore-discard').addEventListener('click', function () {
        store.remove(key);
        banner.hidden = true;
      });
    }
  }

  // --- Autosave to the server (drafts and stories in review) ---

  let autosaveTimer = null;
  let localTimer = null;
  let inflight = false;
  let dirty = false;
  let stopped = false;
  let pendingSubmitter = undefined;

  async function autosave(keepalive) {
    if (mode !== 'server' || stopped || !dirty) return;
    if (inflight) { schedule(); return; }
    inflight = true;
    dirty = false;
    const fields = readFields();
    try {
      const res = await postJson(form.dataset.autosaveUrl, fields, keepalive);
      const data = await readJson(res);
      if (res.ok) {
        if (data.version !== undefined) form.elements.version.value = data.version;
        if (data.edit_url) {  // the first autosave of a new story created it
          window.history.replaceState(null, '', data.edit_url);
          form.action = data.edit_url;
          form.dataset.autosaveUrl = data.autosave_url;
          store.remove(key);
          key = data.storage_key;
          form.dataset.storageKey = key;
        }
        if (!dirty) saveLocal(true);
        say(data.unchanged ? 'No changes to save.' : 'Saved automatically at ' + (data.saved_at || new Date().toLocaleTimeString()) + '.');
      } else if (res.status === 409) {
        stopped = true;
        say((data.error || 'Someone else changed this story.') + ' Automatic saving stopped; your typing is kept in this browser.');
      } else if (res.status === 422) {
        say('Not saved automatically yet: ' + (data.error || 'a field needs attention') + '.');
      } else {
        dirty = true;
        say((data.error || 'Automatic save failed (' + res.status + ').') + ' Your typing is kept in this browser.');
      }
    } catch (e) {
      dirty = true;
      say('Automatic save failed (offline?). Your typing is kept in this browser.');
    } finally {
      inflight = false;
      if (pendingSubmitter !== undefined) {
        const b = pendingSubmitter;
        pendingSubmitter = undefined;
        stopped = true;
        form.requestSubmit(b || undefined);
      }
    }
  }

  function schedule() {
    clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(function () { autosave(false); }, AUTOSAVE_IDLE_MS);
  }

  function changed() {
    dirty = true;
    clearTimeout(localTimer);
    localTimer = setTimeout(function () { saveLocal(false); }, LOCAL_IDLE_MS);
    if (mode === 'server' && !stopped) schedule();
    else if (mode === 'local') say('Changes are kept in this browser until you press Update.');
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  form.addEventListener('submit', function (ev) {
    clearTimeout(autosaveTimer);
    if (inflight) {  // let the running autosave finish so the version is current
      ev.preventDefault();
      pendingSubmitter = ev.submitter || null;
      return;
    }
    stopped = true;
    saveLocal(false);
    try { window.sessionStorage.setItem('dateline:submitted:' + key, '1'); } catch (e) { /* blocked */ }
  });

  function flush() {
    if (dirty) saveLocal(false);
    if (dirty && mode === 'server' && !stopped && !inflight) autosave(true);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('pagehide', flush);

  // --- Live preview of the body, rendered by the server's own renderer ---

  const body = document.getElementById('body');
  const preview = document.getElementById('body-preview');
  let previewTimer = null;
  let previewSeq = 0;

  async function renderPreview() {
    if (!body || !preview) return;
    const seq = ++previewSeq;
    try {
      const format = form.elements.body_format ? form.elements.body_format.value : 'markdown';
      const res = await postJson('/admin/preview', { body: body.value, body_format: format });
      const data = await readJson(res);
      if (seq !== previewSeq) return;  // a newer one is on its way
      if (res.ok) preview.innerHTML = data.html;  // sanitized by the server
    } catch (e) { /* the preview is a convenience */ }
  }

  if (body && preview) {
    body.addEventListener('input', function () {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(renderPreview, PREVIEW_IDLE_MS);
    });
    if (body.value.trim() !== '') renderPreview();
  }

  // --- Lead image upload: raw bytes to /admin/media ---

  const file = document.getElementById('lead_image_file');
  const uploadStatus = document.getElementById('upload-status');
  const urlInput = document.getElementById('lead_image_url');
  const thumb = document.getElementById('lead-image-thumb');

  if (file && urlInput) {
    file.addEventListener('change', async function () {
      const f = file.files && file.files[0];
      if (!f) return;
      const tell = function (text) { if (uploadStatus) uploadStatus.textContent = text; };
      if (f.size > MAX_UPLOAD) { tell('The image is larger than 8 MiB; make it smaller and try again.'); return; }
      tell('Uploading ' + f.name + '…');
      try {
        const res = await fetch('/admin/media?name=' + encodeURIComponent(f.name), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf, 'Content-Type': f.type || 'application/octet-stream' },
          body: f,
        });
        const data = await readJson(res);
        if (!res.ok) { tell(data.error || 'The upload failed (' + res.status + ').'); return; }
        urlInput.value = data.url;
        if (thumb) {
          const img = document.createElement('img');
          img.src = data.url;
          img.alt = 'The uploaded lead image';
          thumb.replaceChildren(img);
        }
        tell('Uploaded. Describe the picture in Alt text.');
        changed();
      } catch (e) {
        tell('The upload failed (offline?).');
      }
    });
  }
})();
