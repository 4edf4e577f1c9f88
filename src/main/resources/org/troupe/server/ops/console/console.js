// The Troupe operator console: polls the operations endpoint's JSON and redraws. No framework,
// nothing loaded from elsewhere.
(function () {
  'use strict';
  var PERIOD_MS = 1500;
  var COLORS = ['#2d5bd3', '#d35b2d', '#1f8a4c', '#8a3fd1', '#b7791f', '#0f8fa3', '#c62f2f', '#555'];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; }
        else if (k === 'cls') { e.className = attrs[k]; }
        else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); }
    });
    return e;
  }
  function pill(text, cls) { return el('span', {cls: 'pill ' + (cls || ''), text: text}); }
  function fmt(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en'); }
  function age(ms) {
    if (ms === undefined) { return '–'; }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }
  function bytes(n) {
    if (n < 1024) { return n + ' B'; }
    if (n < 1048576) { return (n / 1024).toFixed(1) + ' KiB'; }
    return (n / 1048576).toFixed(1) + ' MiB';
  }
  function time(ms) {
    var d = new Date(ms);
    function p(x) { return (x < 10 ? '0' : '') + x; }
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }
  // A server with an admin secret answers the JSON pages only with it: the page asks its user once
  // and keeps the secret for this tab only (sessionStorage), never in a URL or cookie.
  var SECRET_KEY = 'troupe-admin-secret';
  var asked = false;
  function request(path) {
    var secret = window.sessionStorage.getItem(SECRET_KEY);
    var headers = secret ? {'Authorization': 'Bearer ' + secret} : {};
    return fetch(path, {cache: 'no-store', headers: headers}).then(function (r) {
      if (r.status === 401) {
        window.sessionStorage.removeItem(SECRET_KEY);
        if (!asked) {
          asked = true;
          var given = window.prompt('This Troupe server requires its admin secret (the content of its --admin-secret-file):');
          if (given) {
            window.sessionStorage.setItem(SECRET_KEY, given.trim());
            asked = false;
            return request(path);
          }
        }
        throw new Error('this server requires its admin secret: reload the page to give it');
      }
      return r;
    });
  }
  function getJson(path) {
    return request(path).then(function (r) {
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return r.json();
    });
  }
  function getText(path) {
    return request(path).then(function (r) {
      return r.text().then(function (t) { return {ok: r.ok, text: t.trim()}; });
    });
  }
  function replace(node, children) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    children.forEach(function (c) { node.appendChild(c); });
  }

  // ---- groups -------------------------------------------------------------------------------
  function groupCard(g) {
    var title = el('h3', null, [g.name, pill(g.protocol),
      g.complete ? pill('complete', 'ok') : pill('incomplete', 'bad')]);
    if (g.leader !== undefined) {
      title.appendChild(pill('leader ' + (g.leader || 'unknown') + ' · term ' + g.term, g.leader ? '' : 'warn'));
    }
    var seq = g.sequencer === 0 ? 'the server' : (g.sequencer_member || 'member ' + g.sequencer) + ' (member ' + g.sequencer + ')';
    var facts = el('div', {cls: 'facts'}, [
      'view ', el('b', {cls: 'view-id', text: String(g.view)}), ' · ', el('b', {text: String(g.members.length)}),
      ' member(s) · sequencer on ', el('b', {cls: 'sequencer', text: seq}), ' · sent ', el('b', {text: fmt(g.messages_sent)}),
      ' · sequenced ', el('b', {text: fmt(g.messages_sequenced)}), ' · ', el('b', {text: bytes(g.payload_bytes)}),
      ' · open queries ', el('b', {text: fmt(g.open_queries)})]);
    var why = g.incomplete_why ? el('div', {cls: 'why', text: 'Incomplete: ' + g.incomplete_why}) : null;

    var roles = el('table', {cls: 'grid roles'}, [el('thead', null, [el('tr', null, [
      el('th', {text: 'role'}), el('th', {cls: 'num', text: 'min'}), el('th', {cls: 'num', text: 'max'}),
      el('th', {cls: 'num', text: 'members'}), el('th', {text: 'minimum'})])])]);
    var rb = el('tbody');
    g.roles.forEach(function (r) {
      rb.appendChild(el('tr', {'data-role': r.name}, [el('td', {text: r.name}), el('td', {cls: 'num', text: String(r.min)}),
        el('td', {cls: 'num', text: r.max === null ? 'n' : String(r.max)}), el('td', {cls: 'num', text: String(r.members)}),
        el('td', null, [r.met ? pill('met', 'ok') : pill('needs ' + (r.min - r.members) + ' more', 'bad')])]));
    });
    roles.appendChild(rb);

    var members = el('table', {cls: 'grid members'}, [el('thead', null, [el('tr', null, [
      el('th', {cls: 'num', text: 'id'}), el('th', {text: 'member'}), el('th', {text: 'role'}),
      el('th', {cls: 'num', text: 'heartbeat age'}), el('th', {text: 'queue'}), el('th', {text: 'keeping up'})])])]);
    var mb = el('tbody');
    g.members.forEach(function (m) {
      var q = '–';
      if (m.queue_depth !== undefined) {
        var pct = m.queue_capacity > 0 ? Math.min(100, 100 * m.queue_depth / m.queue_capacity) : 0;
        q = el('span', null, [el('span', {cls: 'bar'}, [el('i', {style: 'width:' + pct.toFixed(0) + '%'})]),
          m.queue_depth + ' / ' + m.queue_capacity]);
      }
      var up = m.keeping_up === undefined ? '–' : (m.keeping_up ? pill('yes', 'ok') : pill('behind', 'bad'));
      var name = m.id === g.sequencer ? [m.name, ' ', pill('sequencer')] : [m.name];
      mb.appendChild(el('tr', {cls: 'member', 'data-name': m.name, 'data-id': String(m.id)}, [
        el('td', {cls: 'num', text: String(m.id)}), el('td', null, name), el('td', {text: m.role}),
        el('td', {cls: 'num heartbeat', text: age(m.heartbeat_age_ms)}), el('td', null, [q]), el('td', null, [up])]));
    });
    if (g.members.length === 0) {
      mb.appendChild(el('tr', null, [el('td', {colspan: '6', cls: 'empty', text: 'no members'})]));
    }
    members.appendChild(mb);
    return el('div', {cls: 'card group', id: 'group-' + g.name, 'data-group': g.name}, [title, facts, why, roles, members]);
  }

  function drawGroups(data) {
    var groups = data.groups;
    document.getElementById('group-count').textContent = '(' + groups.length + ')';
    var box = document.getElementById('groups');
    replace(box, groups.length === 0 ? [el('p', {cls: 'empty', text: 'No group yet.'})] : groups.map(groupCard));
  }

  // ---- view changes ---------------------------------------------------------------------------
  var CAUSE = {joined: 'ok', left: '', crashed: 'bad', removed: 'warn'};
  function drawViews(data) {
    var rows = [];
    data.groups.forEach(function (g) {
      g.changes.forEach(function (v) {
        v.changes.forEach(function (c) { rows.push({group: g.name, view: v.view, at: v.at, c: c}); });
      });
    });
    rows.sort(function (a, b) { return b.at - a.at || b.view - a.view; });
    rows = rows.slice(0, 40);
    var body = document.querySelector('#views tbody');
    replace(body, rows.length === 0 ? [el('tr', null, [el('td', {colspan: '6', cls: 'empty', text: 'none yet'})])]
      : rows.map(function (r) {
        return el('tr', {cls: 'change cause-' + r.c.cause, 'data-group': r.group, 'data-name': r.c.name,
          'data-cause': r.c.cause}, [el('td', {text: time(r.at)}), el('td', {text: r.group}),
          el('td', {cls: 'num', text: String(r.view)}), el('td', {text: r.c.name + ' (' + r.c.role + ', ' + r.c.id + ')'}),
          el('td', null, [pill(r.c.cause, CAUSE[r.c.cause])]), el('td', {cls: 'muted', text: r.c.why || ''})]);
      }));
  }

  // ---- channels -------------------------------------------------------------------------------
  function drawChannels(data) {
    var body = document.querySelector('#channels tbody');
    replace(body, data.channels.length === 0 ? [el('tr', null, [el('td', {colspan: '9', cls: 'empty', text: 'no channel'})])]
      : data.channels.map(function (c) {
        return el('tr', {cls: 'channel', 'data-name': c.name, 'data-kind': c.kind}, [el('td', {text: c.name}),
          el('td', null, [c.kind === 'group' ? pill('group channel', 'group') : pill('public')]),
          el('td', {cls: 'num', text: fmt(c.consumers)}), el('td', {cls: 'num', text: fmt(c.suppliers)}),
          el('td', {cls: 'num', text: fmt(c.delivered)}), el('td', {cls: 'num', text: fmt(c.dropped)}),
          el('td', {cls: 'num', text: fmt(c.evicted)}), el('td', {cls: 'num', text: fmt(c.queue_depth)}),
          el('td', {cls: 'num', text: fmt(c.flow_waits)})]);
      }));
  }

  // ---- rates chart (hand-drawn SVG) -----------------------------------------------------------
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function drawRates(data) {
    var box = document.getElementById('rates');
    var series = data.groups.map(function (g) {
      var pts = [];
      for (var i = 1; i < g.samples.length; i++) {
        var a = g.samples[i - 1], b = g.samples[i], dt = (b[0] - a[0]) / 1000;
        if (dt > 0) { pts.push([b[0], Math.max(0, (b[2] - a[2]) / dt)]); }
      }
      return {name: g.name, pts: pts};
    }).filter(function (s) { return s.pts.length > 0; });
    if (series.length === 0) { replace(box, [el('p', {cls: 'empty', text: 'No samples yet.'})]); return; }
    var W = 600, H = 220, L = 48, R = 10, T = 10, B = 24;
    // the span shown: what was sampled, from one minute up to five
    var now = Date.now(), first = now;
    series.forEach(function (s) { if (s.pts[0][0] < first) { first = s.pts[0][0]; } });
    var span = Math.min(5 * 60000, Math.max(60000, Math.ceil((now - first) / 60000) * 60000)), t0 = now - span;
    var max = 1;
    series.forEach(function (s) { s.pts.forEach(function (p) { if (p[1] > max) { max = p[1]; } }); });
    var mag = Math.pow(10, Math.floor(Math.log10(max))), top = Math.ceil(max / mag) * mag;
    function x(t) { return L + (W - L - R) * Math.max(0, t - t0) / (now - t0); }
    function y(v) { return T + (H - T - B) * (1 - v / top); }
    var g = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img',
      'aria-label': 'messages sequenced per second'});
    for (var i = 0; i <= 4; i++) {
      var v = top * i / 4;
      g.appendChild(svg('line', {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#e2e5eb'}));
      var lab = svg('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#6b7385'});
      lab.textContent = v >= 100 ? Math.round(v) : +v.toFixed(1);
      g.appendChild(lab);
    }
    for (var m = 0; m <= 4; m++) {
      var ago = (span / 1000) * (4 - m) / 4;
      var tx = svg('text', {x: x(t0 + span * m / 4), y: H - 6, 'text-anchor': m === 0 ? 'start' : m === 4 ? 'end' : 'middle',
        'font-size': 11, fill: '#6b7385'});
      tx.textContent = m === 4 ? 'now' : ago >= 60 && ago % 60 === 0 ? '-' + ago / 60 + ' min' : '-' + ago + ' s';
      g.appendChild(tx);
    }
    var legend = el('div', {cls: 'legend'});
    series.forEach(function (s, k) {
      var c = COLORS[k % COLORS.length];
      var d = s.pts.filter(function (p) { return p[0] >= t0; })
        .map(function (p, j) { return (j ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1); }).join(' ');
      g.appendChild(svg('path', {d: d, fill: 'none', stroke: c, 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke'}));
      var last = s.pts[s.pts.length - 1][1];
      legend.appendChild(el('span', {style: '--c:' + c, 'data-group': s.name, text: s.name + ' ' + last.toFixed(1) + '/s'}));
    });
    replace(box, [el('div', {cls: 'chart'}, [g, legend])]);
  }

  // ---- the loop -------------------------------------------------------------------------------
  function show(fn, p) {
    return p.then(fn).catch(function (e) {
      console.warn(e);
      if (String(e.message).indexOf('admin secret') >= 0) {
        needSecret = true;
        var ready = document.getElementById('ready');
        ready.textContent = e.message;
        ready.className = 'pill bad';
      }
    });
  }
  var needSecret = false;
  function tick() {
    var ready = document.getElementById('ready');
    needSecret = false;
    Promise.all([
      show(drawGroups, getJson('api/groups')),
      show(drawViews, getJson('api/views')),
      show(drawChannels, getJson('api/channels')),
      show(drawRates, getJson('api/rates')),
      getText('readyz').then(function (r) {
        if (needSecret) { return; }
        ready.textContent = r.ok ? 'ready' : r.text;
        ready.className = 'pill ' + (r.ok ? 'ok' : 'warn');
      })
    ]).then(function () {
      document.getElementById('updated').textContent = 'updated ' + time(Date.now());
    }).catch(function () {
      ready.textContent = 'server unreachable';
      ready.className = 'pill bad';
    }).then(function () { setTimeout(tick, PERIOD_MS); });
  }
  tick();
})();
