// Switchboard operator console: plain script, no build step. The admin token lives in sessionStorage only.
'use strict';

const TOKEN_KEY = 'switchboard.adminToken';
const state = { tab: 'overview', drains: new Map(), stream: null, lastState: null };

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  });
  children.flat().forEach((child) => node.append(child instanceof Node ? child : String(child ?? '')));
  return node;
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(method, path, body) {
  const response = await fetch(path, { method, body, headers: { Authorization: 'Bearer ' + token() } });
  if (response.status === 401) { logout('The admin token was refused; log in again.'); throw new Error('unauthorized'); }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = json && json.error ? json.error : { code: String(response.status), message: text };
    throw new Error(error.message + ' (' + error.code + ')');
  }
  return json;
}

function say(text, isError) {
  const message = $('#message');
  message.textContent = text;
  message.className = 'message' + (isError ? ' error' : '');
  message.hidden = false;
}

// ---------------------------------------------------------------- login

async function login(candidate) {
  const response = await fetch('/admin/bundles', { headers: { Authorization: 'Bearer ' + candidate } });
  if (response.status !== 200) {
    const error = $('#login-error');
    error.textContent = response.status === 401 ? 'This token is not the server\'s admin token.'
      : 'The server answered ' + response.status + '.';
    error.hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, candidate);
  start();
}

function logout(why) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (state.stream) state.stream.abort();
  state.stream = null;
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  const error = $('#login-error');
  error.textContent = why || '';
  error.hidden = !why;
}

function start() {
  $('#login').hidden = true;
  $('#login-error').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  connect();
  showTab(state.tab);
}

// ---------------------------------------------------------------- live state (server-sent events over fetch)

async function connect() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  try {
    const response = await fetch('/admin/console/events', {
      headers: { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' }, signal: controller.signal });
    if (response.status === 401) { logout('The admin token was refused; log in again.'); return; }
    $('#live').textContent = 'live';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.substring(0, end));
        buffer = buffer.substring(end + 2);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  }
  if (state.stream === controller) {
    $('#live').textContent = 'reconnecting…';
    setTimeout(connect, 2000);
  }
}

function dispatch(block) {
  let event = 'message';
  const data = [];
  block.split('\n').forEach((line) => {
    if (line.startsWith('event:')) event = line.substring(6).trim();
    else if (line.startsWith('data:')) data.push(line.substring(5).trim());
  });
  if (event === 'state' && data.length) render(JSON.parse(data.join('\n')));
}

function render(s) {
  state.lastState = s;
  $('#live').textContent = 'live · ' + new Date(s.at).toLocaleTimeString();
  $('#node-info').textContent = 'node ' + s.node;
  $('#version').textContent = s.version;
  $('#uptime').textContent = duration(s.uptimeSeconds);
  $('#health').textContent = s.ready ? 'ready' : 'not ready';
  $('#health').className = s.ready ? 'ok' : 'error';
  $('#problems').replaceChildren(...s.problems.map((p) => el('li', {}, p)));
  $('#calls-count').textContent = s.calls.length;
  const end = Date.parse(s.at);
  chart('#chart-calls', s.series, (p) => p.callsActive, end);
  chart('#chart-throughput', s.series, (p) => p.callbacksPerSecond, end);
  renderBundles(s.bundles);
  renderDrains(s.routing);
  renderCalls(s.calls, s.at);
}

// The last ten minutes up to `end` (the server's time) across the chart: each sample where its time falls.
const WINDOW_MS = 10 * 60 * 1000;

function chart(selector, samples, value, end) {
  const svg = $(selector);
  $(selector + '-note').hidden = samples.length >= 2;
  if (samples.length < 2) { svg.replaceChildren(); return; }
  const max = Math.max(1, ...samples.map(value));
  const points = samples.map((p) => (Math.max(0, 600 - (end - p.at) * 600 / WINDOW_MS)).toFixed(1) + ','
    + (98 - value(p) * 96 / max).toFixed(1));
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points.join(' '));
  const label = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  label.textContent = 'max ' + max;
  svg.replaceChildren(line, label);
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = Math.floor(seconds % 60);
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
}

// ---------------------------------------------------------------- bundles

function renderBundles(bundles) {
  const body = $('#bundles-table tbody');
  const seen = new Set();
  bundles.forEach((b) => {
    const key = b.name + '@' + b.version + '#' + b.id;
    seen.add(key);
    let row = body.querySelector('tr[data-key="' + CSS.escape(key) + '"]');
    if (!row) {
      row = bundleRow(b, key);
      body.append(row);
    }
    row.querySelector('.state').textContent = b.state;
    row.querySelector('.keys').textContent = b.keys;
    row.querySelector('.problems').textContent = b.problems.join('; ');
  });
  body.querySelectorAll('tr').forEach((row) => { if (!seen.has(row.dataset.key)) row.remove(); });
}

function bundleRow(b, key) {
  const jar = el('input', { type: 'file', accept: '.jar', class: 'update-jar' });
  const mode = el('select', { class: 'mode' }, el('option', { value: 'drain' }, 'drain'),
    el('option', { value: 'takeover' }, 'takeover'));
  return el('tr', { 'data-key': key, 'data-bundle': b.name, 'data-version': b.version },
    el('td', {}, b.name), el('td', { class: 'version' }, b.version), el('td', { class: 'state' }),
    el('td', { class: 'keys' }), el('td', { class: 'problems' }),
    el('td', {}, jar, mode, el('button', { type: 'button', class: 'update', onclick: () => update(b.name, jar, mode) },
      'Update')),
    el('td', {},
      el('button', { type: 'button', class: 'rollback', onclick: () => rollback(b.name, mode) }, 'Roll back'),
      el('button', { type: 'button', class: 'diag', onclick: () => diag(b.name) }, 'Diagnose'),
      el('button', { type: 'button', class: 'uninstall', onclick: () => uninstall(b.name) }, 'Uninstall')));
}

async function install(file) {
  if (!file) { say('Choose a bundle jar first.', true); return; }
  say('Installing ' + file.name + '…');
  try {
    const b = await api('POST', '/admin/bundles', file);
    say('Installed ' + b.name + ' ' + b.version + '.');
  } catch (e) { say('Install failed: ' + e.message, true); }
}

async function update(name, jar, mode) {
  const file = jar.files[0];
  if (!file) { say('Choose the new jar of ' + name + ' first.', true); return; }
  say('Updating ' + name + ' (' + mode.value + ')…');
  try {
    const b = await api('PUT', '/admin/bundles/' + encodeURIComponent(name) + '?mode=' + mode.value, file);
    say('Updated ' + name + ' to ' + b.version + ' (' + mode.value + ').');
  } catch (e) { say('Update of ' + name + ' failed: ' + e.message, true); }
}

async function rollback(name, mode) {
  if (!confirm('Roll ' + name + ' back to its previous version (' + mode.value + ')?')) return;
  try {
    const b = await api('POST', '/admin/bundles/' + encodeURIComponent(name) + '/rollback?mode=' + mode.value);
    say('Rolled ' + name + ' back to ' + b.version + '.');
  } catch (e) { say('Rollback of ' + name + ' failed: ' + e.message, true); }
}

async function uninstall(name) {
  if (!confirm('Uninstall ' + name + '? Its calls are dropped.')) return;
  try {
    await api('DELETE', '/admin/bundles/' + encodeURIComponent(name));
    say('Uninstalled ' + name + '.');
  } catch (e) { say('Uninstall of ' + name + ' failed: ' + e.message, true); }
}

async function diag(name) {
  try {
    const d = await api('GET', '/admin/bundles/' + encodeURIComponent(name) + '/diag');
    const pre = $('#diag');
    pre.textContent = name + ': ' + (d.message || (d.resolved ? 'resolved' : 'not resolved')) +
      d.missing.map((m) => '\n  missing ' + m.message).join('');
    pre.hidden = false;
  } catch (e) { say('Diagnosis of ' + name + ' failed: ' + e.message, true); }
}

// A plugin version that drains or hands over stays listed with 0 keys left once it is gone.
function renderDrains(routing) {
  const now = new Set();
  routing.filter((r) => r.state !== 'active').forEach((r) => {
    const id = r.plugin + '@' + r.version + ' ' + r.address;
    now.add(id);
    state.drains.set(id, { ...r, done: false });
  });
  state.drains.forEach((d, id) => { if (!now.has(id)) { d.keys = 0; d.done = true; } });
  const body = $('#drains tbody');
  body.replaceChildren(...[...state.drains.entries()].map(([id, d]) =>
    el('tr', { 'data-drain': id, 'data-plugin': d.plugin, 'data-version': d.version },
      el('td', {}, d.plugin + ' ' + d.version), el('td', {}, d.address),
      el('td', { class: 'drain-state' }, d.done ? 'done' : d.state), el('td', { class: 'keys-left' }, d.keys))));
}

// ---------------------------------------------------------------- calls

function renderCalls(calls, at) {
  const body = $('#calls-table tbody');
  body.replaceChildren(...calls.map((c) => el('tr', { 'data-call': c.id },
    el('td', {}, c.id), el('td', { class: 'call-state' }, c.state), el('td', {}, c.direction || ''),
    el('td', { class: 'owner' }, c.owner || 'waiting'), el('td', {}, c.node),
    el('td', {}, c.createdAt ? duration((Date.parse(at) - Date.parse(c.createdAt)) / 1000) : ''),
    el('td', {}, el('button', { type: 'button', class: 'hangup', onclick: () => hangUp(c.id) }, 'Hang up')))));
}

async function hangUp(id) {
  try {
    await api('DELETE', '/admin/calls/' + encodeURIComponent(id));
    say('Hanging up ' + id + '.');
  } catch (e) { say('Hanging up ' + id + ' failed: ' + e.message, true); }
}

// ---------------------------------------------------------------- tabs read on demand

async function loadIvr() {
  const target = $('#ivr');
  try {
    const ivr = await api('GET', '/admin/ivr/flows');
    target.replaceChildren(el('p', { class: 'muted' }, 'Folder ' + ivr.folder),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'File'), el('th', {}, 'Version'),
        el('th', {}, 'Problems'))), el('tbody', {}, ivr.flows.map((f) => el('tr', { 'data-flow': f.file },
        el('td', {}, f.file + (f.name ? ' (' + f.name + ')' : '')), el('td', {}, f.version ?? ''),
        el('td', { class: (f.errors || []).length ? 'error problems' : 'ok problems' },
          (f.errors || []).length ? f.errors.map((p) => p.text).join('\n') : 'valid'))))));
  } catch (e) {
    target.replaceChildren(el('p', { class: 'muted' }, 'No IVR flows: ' + e.message));
  }
}

async function loadSubscriptions() {
  const list = await api('GET', '/admin/subscriptions');
  $('#subscriptions-table tbody').replaceChildren(...list.map((s) => el('tr', {},
    el('td', {}, s.plugin), el('td', {}, s.resource),
    el('td', {}, s.failure ? s.status + ': ' + s.failure : s.status), el('td', {}, s.expirationDateTime || ''),
    el('td', {}, s.lastNotificationAt || 'none yet'), el('td', {}, s.notifications))));
}

async function loadAudit() {
  const entries = await api('GET', '/admin/audit?limit=200');
  $('#audit-table tbody').replaceChildren(...entries.slice().reverse().map((a) => el('tr', {},
    el('td', {}, a.time || ''), el('td', {}, a.who ? a.who.name : ''), el('td', {}, a.action || ''),
    el('td', {}, a.path || ''), el('td', {}, a.bundle || ''), el('td', {}, a.status ?? ''))));
}

const loaders = { ivr: loadIvr, subscriptions: loadSubscriptions, audit: loadAudit };

function showTab(tab) {
  state.tab = tab;
  document.querySelectorAll('nav button[data-tab]').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  document.querySelectorAll('.tab').forEach((s) => { s.hidden = s.id !== 'tab-' + tab; });
  refreshTab();
}

function refreshTab() {
  const loader = loaders[state.tab];
  if (loader && token()) loader().catch((e) => say('Reading ' + state.tab + ' failed: ' + e.message, true));
}

// ---------------------------------------------------------------- wiring

document.querySelectorAll('nav button[data-tab]').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
$('#login-form').addEventListener('submit', (e) => { e.preventDefault(); login($('#token').value.trim()); });
$('#logout').addEventListener('click', () => logout());
$('#install-button').addEventListener('click', () => install($('#install-jar').files[0]));
const drop = $('#drop-zone');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); install(e.dataTransfer.files[0]); });
setInterval(refreshTab, 5000);
if (token()) start();
