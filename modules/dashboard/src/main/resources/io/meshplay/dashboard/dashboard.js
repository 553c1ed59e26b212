// The dashboard's only script: refreshes the live parts of the server-rendered page from their HTML fragments,
// builds the call form from the gateway's method schema, and sends replay and purge. No framework, no build step.
'use strict';
(() => {
  const refreshMs = Number(document.body.dataset.refreshMs) || 2000;
  const byId = (id) => document.getElementById(id);
  const live = [byId('mesh'), byId('queues')];
  const MAX_DEPTH = 6; // recursive message types would otherwise nest forever

  // ---- live parts -------------------------------------------------------------------------------------------
  async function refresh(container) {
    const response = await fetch(container.dataset.fragment, { cache: 'no-store' });
    if (!response.ok) throw new Error(container.id + ': HTTP ' + response.status);
    const html = await response.text();
    if (html === container.dataset.shown) return;
    // a swap must not take away what the person was doing: focus and opened details survive it
    const focusedId = container.contains(document.activeElement) ? document.activeElement.id : '';
    const opened = [...container.querySelectorAll('details[open][data-key]')].map((d) => d.dataset.key);
    container.innerHTML = html;
    container.dataset.shown = html;
    opened.forEach((key) => {
      const details = [...container.querySelectorAll('details[data-key]')].find((d) => d.dataset.key === key);
      if (details) details.open = true;
    });
    if (focusedId && byId(focusedId)) byId(focusedId).focus();
  }

  function summary() {
    const services = document.querySelectorAll('#mesh [data-service]').length;
    const instances = document.querySelectorAll('#mesh tr[data-instance]').length;
    const passing = document.querySelectorAll('#mesh tr[data-instance] .health.passing').length;
    const poisoned = [...document.querySelectorAll('#queues [data-poisoned]')]
      .reduce((sum, q) => sum + Number(q.dataset.poisoned), 0);
    return services + ' service(s), ' + instances + ' instance(s), ' + passing + ' passing; ' + poisoned
      + ' poisoned message(s).';
  }

  async function refreshAll() {
    try {
      await Promise.all(live.map(refresh));
      const text = summary();
      if (byId('summary').textContent !== text) byId('summary').textContent = text; // announced only when it changes
      byId('updated').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
      syncServices();
    } catch (e) {
      byId('updated').textContent = 'Could not refresh (' + e.message + '); trying again.';
    }
  }

  async function loop() {
    await refreshAll();
    setTimeout(loop, refreshMs);
  }
  live.forEach((c) => { c.dataset.shown = c.innerHTML; });

  // ---- call form ----------------------------------------------------------------------------------------------
  const form = byId('call-form');
  const serviceSelect = byId('call-service');
  const methodSelect = byId('call-method');
  const fields = byId('call-fields');
  let methods = [];

  function syncServices() {
    const names = [...document.querySelectorAll('#mesh [data-service]')].map((s) => s.dataset.service);
    const current = [...serviceSelect.options].map((o) => o.value);
    if (names.join('\n') === current.join('\n')) return;
    const selected = serviceSelect.value;
    serviceSelect.replaceChildren(...names.map((n) => new Option(n, n, false, n === selected)));
  }

  function status(text) { byId('call-status').textContent = text; }

  async function errorText(response) {
    const text = await response.text();
    try {
      const e = JSON.parse(text);
      return [e.code, e.message || e.error, e.details && JSON.stringify(e.details)].filter(Boolean).join(': ');
    } catch (ignored) {
      return text || response.statusText;
    }
  }

  async function loadMethods(service) {
    methods = [];
    methodSelect.replaceChildren();
    methodSelect.disabled = true;
    byId('call-submit').disabled = true;
    fields.replaceChildren(legend('Request'));
    status('Loading the methods of ' + service + '…');
    const response = await fetch('/_/api/services/' + encodeURIComponent(service) + '/methods', { cache: 'no-store' });
    if (!response.ok) {
      status('Cannot list the methods of ' + service + ': HTTP ' + response.status + ' ' + await errorText(response));
      return;
    }
    methods = await response.json();
    methods.forEach((m, i) => methodSelect.add(new Option(m.grpcService + '/' + m.method + kind(m), String(i))));
    methodSelect.disabled = methods.length === 0;
    status(methods.length + ' method(s) of ' + service + '.');
    if (methods.length) showMethod();
  }

  function kind(m) {
    if (m.clientStreaming && m.serverStreaming) return ' (bidirectional stream)';
    if (m.clientStreaming) return ' (client stream)';
    return m.serverStreaming ? ' (server stream)' : '';
  }

  function legend(text) {
    const l = document.createElement('legend');
    l.textContent = text;
    return l;
  }

  function showMethod() {
    const m = methods[Number(methodSelect.value)];
    byId('call-method-info').textContent = m.inputType + ' → ' + m.outputType + kind(m)
      + (m.clientStreaming ? '; the form sends one request message' : '');
    fields.replaceChildren(legend('Request: ' + m.inputType));
    addFields(fields, (m.input && m.input.fields) || [], 'f', 0);
    byId('call-submit').disabled = false;
  }

  function addFields(parent, list, prefix, depth) {
    if (!list.length) {
      const p = document.createElement('p');
      p.textContent = 'No fields.';
      parent.append(p);
    }
    list.forEach((f) => {
      const id = prefix + '-' + f.jsonName;
      if (f.type === 'message' && !f.repeated && !f.map && depth < MAX_DEPTH) {
        const set = document.createElement('fieldset');
        set.dataset.message = f.jsonName;
        set.append(legend(f.jsonName + ' (message)'));
        addFields(set, f.fields || [], id, depth + 1);
        parent.append(set);
        return;
      }
      const row = document.createElement('div');
      row.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      let input;
      if (f.repeated || f.map || f.type === 'message') {
        input = document.createElement('textarea');
        input.rows = 2;
        input.dataset.kind = 'json';
        label.textContent = f.jsonName + ' (' + (f.map ? 'JSON object' : f.repeated ? 'JSON array' : 'JSON') + ' of ' + f.type + ')';
      } else if (f.type === 'enum') {
        input = document.createElement('select');
        input.add(new Option('(default)', ''));
        (f.enumValues || []).forEach((v) => input.add(new Option(v, v)));
        label.textContent = f.jsonName + ' (enum)';
      } else if (f.type === 'bool') {
        input = document.createElement('input');
        input.type = 'checkbox';
        input.dataset.kind = 'bool';
        label.textContent = f.jsonName + ' (bool)';
      } else {
        input = document.createElement('input');
        input.type = /^(u?int32|s?fixed32|sint32|float|double)$/.test(f.type) ? 'number' : 'text';
        if (input.type === 'number') input.step = /float|double/.test(f.type) ? 'any' : '1';
        input.dataset.kind = /int64|fixed64/.test(f.type) ? 'int64' : input.type;
        label.textContent = f.jsonName + ' (' + f.type + ')';
      }
      input.id = id;
      input.dataset.name = f.jsonName;
      row.append(label, input);
      parent.append(row);
    });
  }

  // what the person filled in, as the request's JSON; empty inputs are left out so proto3 defaults apply
  function collect(container) {
    const out = {};
    [...container.children].forEach((child) => {
      if (child.tagName === 'FIELDSET' && child.dataset.message) {
        const nested = collect(child);
        if (Object.keys(nested).length) out[child.dataset.message] = nested;
      } else if (child.classList && child.classList.contains('field')) {
        const input = child.querySelector('[data-name]');
        const name = input.dataset.name;
        if (input.dataset.kind === 'bool') {
          if (input.checked) out[name] = true;
        } else if (input.value !== '') {
          if (input.dataset.kind === 'json') out[name] = JSON.parse(input.value);
          else if (input.dataset.kind === 'number') out[name] = Number(input.value);
          else out[name] = input.value;
        }
      }
    });
    return out;
  }

  async function send(event) {
    event.preventDefault();
    const m = methods[Number(methodSelect.value)];
    const result = byId('call-result');
    let body;
    try {
      body = JSON.stringify(collect(fields));
    } catch (e) {
      status('A JSON field is not valid JSON: ' + e.message);
      return;
    }
    result.textContent = '';
    status('Calling ' + m.grpcService + '/' + m.method + '…');
    const started = performance.now();
    const response = await fetch(m.path, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', Accept: m.serverStreaming ? 'application/x-ndjson' : 'application/json' } });
    if (!response.ok) {
      status('Failed: HTTP ' + response.status + ' ' + await errorText(response));
      return;
    }
    if (m.serverStreaming && response.body) {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let count = 0;
      for (;;) { // ends when the server closes the stream
        const { value, done } = await reader.read();
        if (done) break;
        count += (value.match(/\n/g) || []).length;
        result.textContent += value;
      }
      status('Stream ended: ' + count + ' message(s) in ' + Math.round(performance.now() - started) + ' ms.');
      return;
    }
    const text = await response.text();
    try {
      result.textContent = JSON.stringify(JSON.parse(text), null, 2);
    } catch (ignored) {
      result.textContent = text;
    }
    status('OK in ' + Math.round(performance.now() - started) + ' ms.');
  }

  serviceSelect.addEventListener('change', () => loadMethods(serviceSelect.value));
  methodSelect.addEventListener('change', showMethod);
  form.addEventListener('submit', (e) => send(e).catch((err) => status('Failed: ' + err.message)));
  byId('mesh').addEventListener('click', (e) => {
    const button = e.target.closest('button[data-call]');
    if (!button) return;
    syncServices();
    serviceSelect.value = button.dataset.call;
    loadMethods(button.dataset.call).then(() => methodSelect.focus()).catch((err) => status('Failed: ' + err.message));
  });

  // ---- queues -------------------------------------------------------------------------------------------------
  const dialog = byId('purge-dialog');
  let purging = null;

  async function post(url, payload) {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload) });
    if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + await errorText(response));
    return response.json();
  }

  function queueResult(text) { byId('queue-result').textContent = text; }

  byId('queues').addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const queue = button.dataset.queue;
    const api = '/_/dashboard/api/queues/' + encodeURIComponent(queue) + '/';
    if (button.dataset.action === 'replay') {
      post(api + 'replay', {})
        .then((r) => queueResult('Replayed ' + r.replayed.length + ' message(s) from ' + queue + '-poison to ' + queue + '.'
          + (r.stoppedAt ? ' Stopped: ' + r.stoppedAt + '.' : '')))
        .catch((err) => queueResult('Replay failed: ' + err.message))
        .finally(refreshAll);
    } else if (button.dataset.action === 'purge') {
      purging = { queue, api, opener: button.id };
      byId('purge-text').textContent = 'Delete about ' + button.dataset.count + ' message(s) from ' + queue
        + '-poison? They cannot be recovered.';
      dialog.showModal();
      byId('purge-cancel').focus();
    }
  });

  dialog.addEventListener('close', () => {
    const p = purging;
    purging = null;
    if (!p) return;
    if (dialog.returnValue !== 'confirm') {
      queueResult('Nothing deleted.');
    } else {
      post(p.api + 'purge', { confirm: p.queue + '-poison' })
        .then((r) => queueResult('Purged about ' + r.purged + ' message(s) from ' + r.queue + '.'))
        .catch((err) => queueResult('Purge failed: ' + err.message))
        .finally(refreshAll);
    }
    if (byId(p.opener)) byId(p.opener).focus();
  });

  form.hidden = false;
  syncServices();
  setTimeout(loop, refreshMs);
})();
