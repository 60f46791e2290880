// The playground page: sends the rule to the JSON API as the author types (debounced) and
// shows what comes back. Every text from the server or the rule is set with textContent, never
// parsed as HTML.
'use strict';

const SAMPLE_RULE = `title: Network share connection removed
id: 54a6f2a3-9c1e-4bd4-8b1e-3d0e7a6e3f21
status: test
description: A network share is removed with net.exe
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith:
      - '\\\\net.exe'
      - '\\\\net1.exe'
    CommandLine|contains|all:
      - ' share'
      - ' /delete'
  condition: selection
level: low
`;

const SAMPLE_EVENTS = `{"Image": "C:\\\\Windows\\\\System32\\\\net.exe", "CommandLine": "net share x /delete"}
{"Image": "C:\\\\Windows\\\\explorer.exe", "CommandLine": "explorer.exe"}
`;

const DEBOUNCE_MS = 250;

const $ = (id) => document.getElementById(id);

/** A new element with a class and a text. */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The marker class of a severity: error, warning or info. */
function marker(severity) {
  if (severity === 'error' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'info';
}

async function post(path, body, signal) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const answer = await r.json();
  if (!r.ok) throw new Error(answer.error || r.statusText);
  return answer;
}

let targets = [];
let running = null;
let timer = null;

function selectedPipelines() {
  return Array.from(document.querySelectorAll('#pipelines input:checked')).map((i) => i.value);
}

function buildTargets(names) {
  const box = $('targets');
  box.replaceChildren();
  for (const name of names) {
    const section = el('section', 'target');
    section.append(el('h2', '', name));
    const pre = el('pre');
    pre.id = 'query-' + name;
    const errors = el('ul');
    errors.id = 'errors-' + name;
    section.append(pre, errors);
    box.append(section);
  }
}

function buildPipelines(list) {
  const box = $('pipelines');
  box.replaceChildren();
  for (const p of list) {
    const label = el('label');
    label.title = p.description + (p.targets.length ? ' (' + p.targets.join(', ') + ')' : '');
    const tick = el('input');
    tick.type = 'checkbox';
    tick.value = p.name;
    tick.addEventListener('change', schedule);
    label.append(tick, document.createTextNode(' ' + p.name));
    box.append(label);
  }
}

/** `line:col severity code: message` as a list item. */
function diagnosticItem(d) {
  const li = el('li', d.severity);
  const where = d.line ? d.line + ':' + d.column : '-';
  li.append(el('span', 'where', where), el('span', 'code-name', d.code), document.createTextNode(': ' + d.message));
  if (d.help) li.append(el('div', 'note', 'help: ' + d.help));
  if (d.line) li.addEventListener('click', () => select(d));
  return li;
}

/** Selects a diagnostic's range in the editor. */
function select(d) {
  const text = $('rule').value;
  const offset = (line, col) => {
    let at = 0;
    for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
    return at + Math.max(col - 1, 0);
  };
  const editor = $('rule');
  editor.focus();
  editor.setSelectionRange(offset(d.line, d.column), offset(d.end_line || d.line, d.end_column || d.column));
}

/** The gutter and the backdrop: line numbers, and each line's most severe finding. */
function markLines(findings) {
  const lines = $('rule').value.split('\n');
  const rank = { info: 1, warning: 2, error: 3 };
  const marks = new Map();
  for (const d of findings) {
    if (!d.line) continue;
    const last = Math.min(d.end_line || d.line, lines.length);
    for (let l = d.line; l <= Math.max(d.line, last); l++) {
      const m = marker(d.severity);
      const old = marks.get(l);
      if (!old || rank[m] > rank[old.m]) marks.set(l, { m, text: d.code + ': ' + d.message });
    }
  }
  const gutter = $('gutter');
  const backdrop = $('backdrop');
  gutter.replaceChildren();
  backdrop.replaceChildren();
  lines.forEach((text, i) => {
    const mark = marks.get(i + 1);
    const number = el('div', mark ? mark.m : '', String(i + 1));
    const line = el('div', mark ? mark.m : '', text || ' ');
    if (mark) number.title = mark.text;
    gutter.append(number);
    backdrop.append(line);
  });
  syncScroll();
}

function syncScroll() {
  const editor = $('rule');
  $('backdrop').scrollTop = editor.scrollTop;
  $('backdrop').scrollLeft = editor.scrollLeft;
  $('gutter').scrollTop = editor.scrollTop;
}

function showConversion(conversion) {
  for (const r of conversion.results) {
    const pre = $('query-' + r.target);
    if (!pre) continue;
    pre.textContent = r.queries.join('\n\n');
    const errors = $('errors-' + r.target);
    errors.replaceChildren(...r.errors.map(diagnosticItem));
  }
}

let lastFindings = [];

function showFindings(findings) {
  lastFindings = findings;
  const list = $('diagnostics');
  if (findings.length === 0) {
    list.replaceChildren(el('li', 'clean', 'no findings'));
  } else {
    list.replaceChildren(...findings.map(diagnosticItem));
  }
  markLines(findings);
}

/** The matches of each event, and what the evaluation found that check did not. */
function showMatches(tested, findings) {
  const list = $('matches');
  list.replaceChildren();
  if (!tested) return;
  for (const e of tested.events) {
    const where = e.line ? 'line ' + e.line : e.event;
    const li = el('li', e.matches.length ? 'matched' : 'clean');
    li.append(el('span', 'where', where));
    li.append(document.createTextNode(e.matches.length
      ? 'matches: ' + e.matches.map((m) => m.title).join(', ')
      : 'no match'));
    list.append(li);
  }
  for (const error of tested.errors) list.append(el('li', 'error', error));
  const key = (d) => [d.line, d.column, d.code, d.message].join('\u0000');
  const known = new Set(findings.map(key));
  for (const d of tested.diagnostics) {
    if (!known.has(key(d))) list.append(diagnosticItem(d));
  }
}

async function update() {
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  const rule = $('rule').value;
  const events = $('events').value;
  const status = $('status');
  status.className = 'status';
  status.textContent = 'working…';
  try {
    const [conversion, findings, tested] = await Promise.all([
      post('/api/convert', { rule, targets, pipelines: selectedPipelines() }, controller.signal),
      post('/api/check', { rule }, controller.signal),
      events.trim() ? post('/api/test', { rule, events }, controller.signal) : null,
    ]);
    if (controller !== running) return;
    showConversion(conversion);
    showFindings(findings);
    showMatches(tested, findings);
    status.textContent = 'up to date';
  } catch (e) {
    if (e.name === 'AbortError') return;
    status.className = 'status failed';
    status.textContent = e.message;
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(update, DEBOUNCE_MS);
}

async function start() {
  const editor = $('rule');
  editor.value = SAMPLE_RULE;
  $('events').value = SAMPLE_EVENTS;
  editor.addEventListener('input', () => {
    markLines(lastFindings);
    schedule();
  });
  editor.addEventListener('scroll', syncScroll);
  $('events').addEventListener('input', schedule);
  try {
    const r = await fetch('/api/meta');
    const meta = await r.json();
    targets = meta.targets;
    buildTargets(targets);
    buildPipelines(meta.pipelines);
  } catch (e) {
    $('status').textContent = 'cannot reach sigc: ' + e.message;
    return;
  }
  update();
}

document.addEventListener('DOMContentLoaded', start);
