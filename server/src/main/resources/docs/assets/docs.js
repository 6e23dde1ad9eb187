// Renders /openapi.json as a page: one section per operation with its parameters and responses.
// Deliberately tiny and dependency-free, so the docs work offline from the jar.
(function () {
  'use strict';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  // A description's `backticked` spans become <code>. Every piece stays a text node, so nothing in the
  // document is ever parsed as HTML. An unmatched backtick is shown as it is.
  function inline(text) {
    var parts = String(text || '').split('`');
    if (parts.length % 2 === 0) {
      var last = parts.pop();
      parts[parts.length - 1] += '`' + last;
    }
    return parts.map(function (part, i) { return i % 2 ? el('code', {}, [part]) : part; });
  }

  function resolve(spec, obj) {
    if (!obj || !obj.$ref) { return obj; }
    return obj.$ref.replace(/^#\//, '').split('/').reduce(function (o, k) { return o[k]; }, spec);
  }

  function typeOf(schema) {
    if (!schema) { return ''; }
    if (schema.enum) { return schema.enum.join(' | '); }
    var t = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type || '');
    if (schema.minimum !== undefined) { t += ' ' + schema.minimum + '–' + schema.maximum; }
    return t + (schema['default'] !== undefined ? ' (default ' + schema['default'] + ')' : '');
  }

  function parameters(spec, list) {
    if (!list.length) { return []; }
    var rows = list.map(function (p) {
      p = resolve(spec, p);
      return el('tr', {}, [el('td', {}, [el('code', {}, [p.name])]), el('td', {}, [p['in']]),
        el('td', {}, [typeOf(p.schema)]), el('td', {}, inline(p.description))]);
    });
    return [el('h4', {}, ['Parameters']), el('table', {}, rows)];
  }

  function responses(spec, map) {
    var rows = Object.keys(map || {}).map(function (status) {
      var r = resolve(spec, map[status]);
      return el('tr', {}, [el('td', {'class': 'status'}, [status]), el('td', {}, inline(r.description)),
        el('td', {}, [Object.keys(r.content || {}).join(', ')])]);
    });
    return [el('h4', {}, ['Responses']), el('table', {}, rows)];
  }

  function render(spec) {
    document.getElementById('title').textContent = spec.info.title + ' ' + spec.info.version;
    var summary = document.getElementById('summary');
    summary.textContent = '';
    inline(spec.info.summary).forEach(function (c) {
      summary.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    var main = document.getElementById('operations');
    main.textContent = '';
    Object.keys(spec.paths).forEach(function (path) {
      var item = spec.paths[path];
      ['post', 'get', 'put', 'delete'].forEach(function (method) {
        var op = item[method];
        if (!op) { return; }
        var params = (item.parameters || []).concat(op.parameters || []);
        var children = [el('h3', {}, [el('span', {'class': 'method ' + method}, [method]),
          el('span', {'class': 'path'}, [path]), ' — '].concat(inline(op.summary)))];
        if (op.description) { children.push(el('p', {}, inline(op.description))); }
        main.appendChild(el('section', {'class': 'op'},
          children.concat(parameters(spec, params), responses(spec, op.responses))));
      });
    });
  }

  fetch('/openapi.json')
    .then(function (r) { return r.json(); })
    .then(render)
    .catch(function (e) { document.getElementById('operations').textContent = 'Could not load /openapi.json: ' + e; });
}());
