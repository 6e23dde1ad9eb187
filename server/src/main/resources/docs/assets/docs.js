// Renders /openapi.json as a page: one section per operation with its parameters, request body and responses.
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

  // A table with a header row, in a wrapper that scrolls sideways when a narrow window cannot hold it.
  function table(headings, rows) {
    var head = el('thead', {}, [el('tr', {}, headings.map(function (h) { return el('th', {scope: 'col'}, [h]); }))]);
    return el('div', {'class': 'table-scroll'}, [el('table', {}, [head, el('tbody', {}, rows)])]);
  }

  // A parameter's or field's name, never broken inside.
  function name(text) {
    return el('td', {'class': 'name'}, [el('code', {}, [text])]);
  }

  function parameters(spec, list) {
    if (!list.length) { return []; }
    var rows = list.map(function (p) {
      p = resolve(spec, p);
      return el('tr', {}, [name(p.name), el('td', {}, [p['in']]),
        el('td', {}, [typeOf(p.schema)]), el('td', {}, inline(p.description))]);
    });
    return [el('h4', {}, ['Parameters']), table(['Name', 'In', 'Type', 'Description'], rows)];
  }

  // The item type of an array joins its own: "array of string".
  function fieldType(spec, schema) {
    schema = resolve(spec, schema) || {};
    if (schema.type === 'array' && schema.items) { return 'array of ' + fieldType(spec, schema.items); }
    return typeOf(schema) || schema.contentMediaType || '';
  }

  // One content type of a request body: its name, and the fields of an object schema.
  function content(spec, type, media) {
    var schema = resolve(spec, media.schema) || {};
    var parts = [el('h5', {}, [el('code', {}, [type])].concat(schema.description ? [' — '].concat(inline(schema.description)) : []))];
    var fields = schema.properties || {};
    if (Object.keys(fields).length) {
      parts.push(table(['Field', 'Type', 'Description'], Object.keys(fields).map(function (f) {
        var field = resolve(spec, fields[f]);
        return el('tr', {}, [name(f), el('td', {}, [fieldType(spec, field)]), el('td', {}, inline(field.description))]);
      })));
    } else {
      parts.push(el('p', {}, [fieldType(spec, schema) || 'any']));
    }
    return parts;
  }

  function requestBody(spec, body) {
    body = resolve(spec, body);
    if (!body) { return []; }
    var parts = [el('h4', {}, ['Request body' + (body.required ? '' : ' (optional)')])];
    if (body.description) { parts.push(el('p', {}, inline(body.description))); }
    Object.keys(body.content || {}).forEach(function (type) {
      parts = parts.concat(content(spec, type, body.content[type]));
    });
    return parts;
  }

  function responses(spec, map) {
    var rows = Object.keys(map || {}).map(function (status) {
      var r = resolve(spec, map[status]);
      return el('tr', {}, [el('td', {'class': 'status'}, [status]), el('td', {}, inline(r.description)),
        el('td', {}, [Object.keys(r.content || {}).join(', ')])]);
    });
    return [el('h4', {}, ['Responses']), table(['Status', 'Description', 'Content'], rows)];
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
        // A HEAD beside a GET answers as it does without the body: said once here, not as an operation of its own.
        if (method === 'get' && item.head) {
          children.push(el('p', {'class': 'also-head'}, ['HEAD answers the same, without the body.']));
        }
        main.appendChild(el('section', {'class': 'op'},
          children.concat(parameters(spec, params), requestBody(spec, op.requestBody), responses(spec, op.responses))));
      });
    });
  }

  fetch('/openapi.json')
    .then(function (r) { return r.json(); })
    .then(render)
    .catch(function (e) { document.getElementById('operations').textContent = 'Could not load /openapi.json: ' + e; });
}());
