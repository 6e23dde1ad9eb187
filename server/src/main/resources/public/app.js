// The upload page: the form (files, drop zone, URLs, options, API key), the status line, and wiring. Plain ES
// modules served from the jar: no framework and no build step.
import { API, authHeaders, errorText, api, json, uploadAccept } from './api.js';
import { $, announce, bytes } from './dom.js';
import { Item, follow, showItems, forgetJob } from './items.js';
import { gallery } from './gallery.js';
import { sizesProblem, urlLines, urlsProblem } from './checks.js';

const KEY_STORAGE = 'thumbnail.apiKey';
const HEALTH_EVERY_MS = 5000;
/** Counts the choices of files (chooser or drop): an answer clears the chooser only if no other choice came since. */
let fileChoice = 0;

/** The sizes asked for, such as ['100x100', '1200x'], or none: then width and height say the one size. */
function chosenSizes() {
  return $('sizes').value.split(/[\s,]+/).filter(function (s) { return s.length > 0; });
}

/**
 * A refusal of the whole request (400: an option or URL it cannot take) is said once, in the form's error area, and
 * the items made for it leave the page: no job was made for any of them.
 */
function refused(items, message) {
  items.forEach(function (item) { item.leave(); });
  var formError = $('form-error');
  formError.textContent = (formError.textContent ? formError.textContent + ' ' : '')
    + 'Nothing was sent: ' + message;
}

/** The words for a file over the server's upload limit, which its 413 message gives in bytes. */
function tooLargeText(file, body) {
  var message = body && body.error && body.error.message;
  var limit = /limit of ([0-9]+) bytes/.exec(message || '');
  return file.name + ' (' + bytes(file.size) + ') is too large: the server takes uploads of at most '
    + (limit ? bytes(Number(limit[1])) : 'a smaller size') + '.';
}

function specParams() {
  var params = new URLSearchParams();
  var sizes = chosenSizes();
  ['width', 'height', 'fit', 'gravity', 'format'].forEach(function (name) {
    var value = $(name).value.trim();
    var replaced = sizes.length && (name === 'width' || name === 'height');
    if (value && !$(name).disabled && !replaced) { params.set(name, value); }
  });
  if (sizes.length) { params.set('sizes', sizes.join(',')); }
  return params;
}

/** One item per image, or with several sizes one per image and size, in the order the batch lists its jobs. */
function itemsFor(names, params) {
  var sizes = params.get('sizes') ? params.get('sizes').split(',') : null;
  var items = [];
  names.forEach(function (name) {
    if (!sizes) {
      items.push(new Item(name));
    } else {
      sizes.forEach(function (size) { items.push(new Item(name, ' (' + size + ')')); });
    }
  });
  showItems(items);
  return items;
}

/** A gravity places a cover crop only: the service refuses one with another fit, so it is chosen with cover alone. */
function syncGravity() {
  $('gravity').disabled = $('fit').value !== 'cover';
}

/**
 * Uploads with XMLHttpRequest, the one browser API that reports upload progress. items: those shown for these files
 * already (a batch too large for one request sends each file again in a request of its own), else new ones.
 */
function uploadFiles(files, params, accept, accepted, items) {
  items = items || itemsFor(files.map(function (f) { return f.name; }), params);
  var form = new FormData();
  params.forEach(function (value, name) { form.append(name, value); });
  files.forEach(function (f) { form.append('file', f, f.name); });
  var xhr = new XMLHttpRequest();
  xhr.open('POST', API + '/thumbnails');
  var headers = authHeaders({Accept: accept});
  Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
  xhr.upload.addEventListener('progress', function (e) {
    if (e.lengthComputable) { items.forEach(function (item) { item.uploaded(e.loaded / e.total); }); }
  });
  xhr.addEventListener('load', function () {
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { /* reported below */ }
    if (xhr.status >= 200 && xhr.status < 300 && body) {
      accepted();
      follow(body, items);
    } else if (xhr.status === 400) {
      refused(items, errorText(xhr.status, body));
    } else if (xhr.status === 413 && files.length > 1) {
      // Together past the server's request limit: each file alone may fit it.
      var perFile = items.length / files.length;
      files.forEach(function (f, i) {
        var own = items.slice(i * perFile, (i + 1) * perFile);
        own.forEach(function (item) { item.uploaded(0); });
        uploadFiles([f], params, accept, accepted, own);
      });
    } else {
      var message = xhr.status === 413 ? tooLargeText(files[0], body) : errorText(xhr.status, body);
      items.forEach(function (item) { item.fail(message); });
    }
  });
  xhr.addEventListener('error', function () {
    items.forEach(function (item) { item.fail('the upload did not reach the server (network error)'); });
  });
  xhr.send(form);
}

function submitUrls(urls, params, accept, accepted) {
  var items = itemsFor(urls, params);
  var body = urls.length === 1 ? {url: urls[0]} : {urls: urls};
  api(API + '/thumbnails?' + params.toString(), {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: accept},
    body: JSON.stringify(body)
  }).then(json).then(function (answer) {
    accepted();
    follow(answer, items);
  }).catch(function (e) {
    if (e.status === 400) {
      refused(items, e.message);
    } else {
      items.forEach(function (item) { item.fail(e.message); });
    }
  });
}

function onSubmit(event) {
  event.preventDefault();
  var formError = $('form-error');
  formError.textContent = '';
  var files = Array.prototype.slice.call($('files').files);
  var urls = urlLines($('urls').value);
  if (!files.length && !urls.length) {
    formError.textContent = 'Choose or drop at least one image, or paste an image URL.';
    return;
  }
  if (!$('width').value.trim() && !$('height').value.trim() && !chosenSizes().length
      && !$('width').validity.badInput && !$('height').validity.badInput) {
    formError.textContent = 'Give a width, a height, or both (or several sizes).';
    $('width').focus();
    return;
  }
  // Checked before any byte is sent: a number field the browser cannot read gives "" (the thumbnail would quietly
  // take another size), and a server's refusal of a size would come only after the whole upload.
  var side = ['width', 'height'].filter(function (name) { return !$(name).checkValidity(); })[0];
  if (side && !chosenSizes().length) {
    formError.textContent = 'The ' + side + ' must be a whole number from 1 to 4096.';
    $(side).focus();
    return;
  }
  var problem = sizesProblem(chosenSizes()) || urlsProblem(urls);
  if (problem) {
    formError.textContent = problem;
    $(sizesProblem(chosenSizes()) ? 'sizes' : 'urls').focus();
    return;
  }
  var params = specParams();
  // The chooser and the URL box keep what was sent until the server takes it, so a refusal can be mended and sent
  // again; a choice or an edit made meanwhile is kept.
  var choice = fileChoice;
  var pasted = $('urls').value;
  function filesAccepted() {
    if (fileChoice === choice) {
      $('files').value = '';
      fileChoice++;
      showChosen();
    }
  }
  function urlsAccepted() {
    if ($('urls').value === pasted) { $('urls').value = ''; }
  }
  uploadAccept().then(function (accept) {
    if (files.length) { uploadFiles(files, params, accept, filesAccepted); }
    if (urls.length) { submitUrls(urls, params, accept, urlsAccepted); }
  });
  announce('Sent ' + (files.length + urls.length) + ' image' + (files.length + urls.length === 1 ? '' : 's') + '.');
}

function showChosen() {
  var files = $('files').files;
  var chosen = $('chosen');
  if (!files || !files.length) {
    chosen.textContent = 'No images chosen.';
  } else if (files.length === 1) {
    chosen.textContent = '1 image chosen: ' + files[0].name;
  } else {
    chosen.textContent = files.length + ' images chosen: '
      + Array.prototype.map.call(files, function (f) { return f.name; }).join(', ');
  }
}

function wireDropzone() {
  var zone = $('dropzone');
  var depth = 0;
  zone.addEventListener('dragenter', function (e) { e.preventDefault(); depth++; zone.classList.add('dragging'); });
  zone.addEventListener('dragover', function (e) { e.preventDefault(); });
  zone.addEventListener('dragleave', function () {
    if (--depth <= 0) { depth = 0; zone.classList.remove('dragging'); }
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    if (e.dataTransfer && e.dataTransfer.files.length) {
      $('files').files = e.dataTransfer.files;
      fileChoice++;
      showChosen();
    }
  });
  // A drop that misses the zone must not navigate away from the page.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) { e.preventDefault(); });
}

function refreshHealth() {
  if (document.hidden) { return; }
  var status = $('status');
  fetch('/health', {headers: authHeaders()}).then(function (r) {
    return r.json().then(function (h) { return {ok: r.ok, h: h}; });
  }).then(function (answer) {
    var c = answer.h.checks || {};
    var q = c.queue || {};
    var w = c.workers || {};
    status.className = 'status ' + (answer.ok ? 'up' : 'down');
    // No depth while the server cannot count its jobs: say so rather than show an empty queue.
    var queue = q.depth == null ? 'queue not counted' : 'queue ' + q.depth + ' waiting, ' + (q.processing || 0)
      + ' processing';
    status.textContent = (answer.ok ? 'Service up' : 'Service degraded') + ' · ' + queue + ' · workers '
      + (w.busy || 0) + ' of ' + (w.total || 0) + ' busy';
  }).catch(function () {
    status.className = 'status down';
    status.textContent = 'Service unreachable';
  });
}

function start() {
  var key = $('api-key');
  try { key.value = window.sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { /* storage disabled */ }
  if (key.value) { key.closest('details').open = true; }
  function saveKey() {
    try { window.sessionStorage.setItem(KEY_STORAGE, key.value.trim()); } catch (e) { /* storage disabled */ }
    $('key-note').textContent = key.value.trim() ? 'API key saved for this tab.' : 'API key cleared for this tab.';
    gallery.first();
  }
  key.addEventListener('change', saveKey);
  // Enter in the key field saves the key; it does not send the form, which may hold no image yet.
  key.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      e.preventDefault();
      saveKey();
    }
  });
  gallery.onDeleted = forgetJob;
  $('upload').addEventListener('submit', onSubmit);
  $('fit').addEventListener('change', syncGravity);
  syncGravity();
  $('files').addEventListener('change', function () { fileChoice++; showChosen(); });
  wireDropzone();
  $('gallery-refresh').addEventListener('click', function () { gallery.first(); });
  $('gallery-older').addEventListener('click', function () { gallery.older(); });
  $('gallery-newer').addEventListener('click', function () { gallery.newer(); });
  refreshHealth();
  window.setInterval(refreshHealth, HEALTH_EVERY_MS);
  document.addEventListener('visibilitychange', refreshHealth);
  gallery.first();
}

// A module runs once the document is parsed.
start();
