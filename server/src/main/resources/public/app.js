// The upload page. Plain browser JavaScript, no build step and no framework, so it works offline from the jar.
// Every API call goes through api() so an optional API key travels as "Authorization: Bearer" everywhere; for the
// same reason the batch event stream is read with fetch() (EventSource cannot send headers) and images are fetched
// as blobs and shown through object URLs.
(function () {
  'use strict';

  var API = '/api/v1';
  var KEY_STORAGE = 'thumbnail.apiKey';
  var GALLERY_PAGE = 12;
  var HEALTH_EVERY_MS = 5000;
  var LONG_POLL_SECONDS = 25;
  var MAX_POLLS = 40;               // 40 long polls of 25 s: a single job is followed for at most ~17 minutes
  var MAX_STREAM_RECONNECTS = 5;

  var $ = function (id) { return document.getElementById(id); };

  // ---- API access ----------------------------------------------------------------------------------------------

  function apiKey() {
    return $('api-key').value.trim();
  }

  function authHeaders(extra) {
    var headers = Object.assign({}, extra || {});
    if (apiKey()) {
      headers.Authorization = 'Bearer ' + apiKey();
    }
    return headers;
  }

  function api(path, init) {
    init = init || {};
    init.headers = authHeaders(init.headers);
    return fetch(path, init);
  }

  /** The words to show for a failed response: the API's error message, or the status line. */
  function errorText(status, body) {
    var message = body && body.error && body.error.message;
    if (status === 401 || status === 403) {
      return (message || 'the server refused the request') + ' — enter a valid API key under “API key”.';
    }
    return message || ('the server answered ' + status);
  }

  function failure(response) {
    return response.text().then(function (text) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { /* not JSON: fall back to the status */ }
      var error = new Error(errorText(response.status, body));
      error.status = response.status;
      throw error;
    });
  }

  function json(response) {
    return response.ok ? response.json() : failure(response);
  }

  function blob(response) {
    return response.ok ? response.blob() : failure(response);
  }

  // ---- small helpers --------------------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function bytes(n) {
    if (n == null) { return '?'; }
    if (n < 1024) { return n + ' B'; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB'; }
    return (n / (1024 * 1024)).toFixed(1) + ' MB';
  }

  function dimensions(w, h) {
    return w && h ? w + '×' + h : '?×?';
  }

  function announce(text) {
    var live = $('announcer');
    live.textContent = '';
    // A fresh text node after clearing makes screen readers repeat the same words too.
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function downloadName(job) {
    var base = (job.source && job.source.filename) || 'image';
    base = base.replace(/\.[^.]*$/, '');
    var ext = job.thumbnail && job.thumbnail.format === 'png' ? 'png' : 'jpg';
    return base + '.thumbnail.' + ext;
  }

  function saveBlob(objectUrl, name) {
    var a = el('a', {href: objectUrl, download: name});
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // ---- one item of this session ---------------------------------------------------------------------------------

  var STATE_WORDS = {
    uploading: 'Uploading…',
    queued: 'Queued',
    processing: 'Making the thumbnail…',
    done: 'Done',
    failed: 'Failed'
  };

  function Item(name) {
    this.name = name;
    this.job = null;
    this.objectUrl = null;
    this.node = el('li', {'class': 'item', 'data-status': 'uploading'});
    this.preview = el('div', {'class': 'preview'});
    this.title = el('p', {'class': 'name', text: name});
    this.state = el('p', {'class': 'state', text: STATE_WORDS.uploading});
    this.progress = el('progress', {max: '100', value: '0', 'aria-label': 'Progress of ' + name});
    this.sizes = el('p', {'class': 'sizes'});
    this.error = el('p', {'class': 'error'});
    this.buttons = el('div', {'class': 'buttons'});
    this.node.appendChild(this.preview);
    this.node.appendChild(el('div', {'class': 'body'},
      [this.title, this.state, this.progress, this.sizes, this.error, this.buttons]));
    $('items').prepend(this.node);
    $('items-empty').hidden = true;
  }

  Item.prototype.uploaded = function (fraction) {
    this.progress.value = Math.round(fraction * 100);
  };

  Item.prototype.fail = function (message) {
    this.node.setAttribute('data-status', 'failed');
    this.state.textContent = STATE_WORDS.failed;
    this.state.className = 'state failed';
    this.progress.hidden = true;
    this.error.textContent = message;
    this.addDeleteButton();
    announce(this.title.textContent + ' failed: ' + message);
  };

  /** Shows the job's state; a finished job gets its thumbnail and buttons once. */
  Item.prototype.update = function (job) {
    var before = this.job ? this.job.status : 'uploading';
    this.job = job;
    this.node.setAttribute('data-id', job.id);
    this.node.setAttribute('data-status', job.status);
    if (job.source && job.source.filename) { this.title.textContent = job.source.filename; }
    this.state.textContent = STATE_WORDS[job.status] || job.status;
    this.state.className = 'state ' + job.status;
    if (job.status === 'queued' || job.status === 'processing') {
      this.progress.removeAttribute('value');    // indeterminate: the service does not report a percentage
    }
    if (job.source && job.source.width) {
      this.sizes.textContent = 'Original ' + dimensions(job.source.width, job.source.height) + ', ' + bytes(job.source.bytes);
    }
    if (before === job.status) { return; }
    if (job.status === 'done') {
      this.progress.hidden = true;
      this.sizes.textContent = 'Original ' + dimensions(job.source && job.source.width, job.source && job.source.height)
        + ', ' + bytes(job.source && job.source.bytes) + ' → thumbnail '
        + dimensions(job.thumbnail.width, job.thumbnail.height) + ', ' + bytes(job.thumbnail.bytes);
      this.showThumbnail();
      announce(this.title.textContent + ' is done.');
    } else if (job.status === 'failed') {
      var e = job.error || {};
      this.fail((e.message || 'the job failed') + (e.code ? ' (' + e.code + ')' : ''));
    }
  };

  Item.prototype.showThumbnail = function () {
    var self = this;
    api(this.job.thumbnail.url).then(blob).then(function (b) {
      self.objectUrl = URL.createObjectURL(b);
      self.preview.textContent = '';
      self.preview.appendChild(el('img', {src: self.objectUrl, alt: 'Thumbnail of ' + self.title.textContent,
        width: String(self.job.thumbnail.width), height: String(self.job.thumbnail.height)}));
      var download = el('button', {type: 'button', 'class': 'button small', text: 'Download'});
      download.setAttribute('aria-label', 'Download the thumbnail of ' + self.title.textContent);
      download.addEventListener('click', function () { saveBlob(self.objectUrl, downloadName(self.job)); });
      self.buttons.prepend(download);
      self.addDeleteButton();
      gallery.reloadSoon();
    }).catch(function (e) {
      self.error.textContent = 'Could not load the thumbnail: ' + e.message;
      self.addDeleteButton();
    });
  };

  Item.prototype.addDeleteButton = function () {
    if (this.deleteButton) { return; }
    var self = this;
    var button = el('button', {type: 'button', 'class': 'button small danger', text: 'Delete'});
    button.setAttribute('aria-label', 'Delete ' + this.title.textContent);
    button.addEventListener('click', function () { self.remove(button); });
    this.deleteButton = button;
    this.buttons.appendChild(button);
  };

  Item.prototype.remove = function (button) {
    var self = this;
    var gone = function () {
      if (self.objectUrl) { URL.revokeObjectURL(self.objectUrl); }
      self.node.remove();
      $('items-empty').hidden = $('items').children.length > 0;
      announce(self.title.textContent + ' deleted.');
      gallery.reloadSoon();
    };
    if (!this.job) { gone(); return; }
    button.disabled = true;
    api(API + '/thumbnails/' + this.job.id, {method: 'DELETE'}).then(function (r) {
      if (r.ok || r.status === 404) { gone(); return null; }
      return failure(r);
    }).catch(function (e) {
      button.disabled = false;
      self.error.textContent = 'Could not delete: ' + e.message;
    });
  };

  // ---- following jobs -------------------------------------------------------------------------------------------

  /** One job with no batch: long-poll it until it is finished, a bounded number of times. */
  function followJob(item, job) {
    item.update(job);
    var polls = 0;
    (function poll() {
      if (item.job.status === 'done' || item.job.status === 'failed') { return; }
      if (++polls > MAX_POLLS) {
        item.error.textContent = 'Still not finished; refresh the gallery later.';
        return;
      }
      api(API + '/thumbnails/' + job.id + '?wait=' + LONG_POLL_SECONDS).then(json).then(function (j) {
        item.update(j);
        poll();
      }).catch(function (e) {
        if (e.status === 404) { item.fail('the job was deleted'); return; }
        window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, polls)));
      });
    })();
  }

  /** Splits a Server-Sent Events text stream into {event, data} records. */
  function SseParser(onEvent) {
    this.buffer = '';
    this.onEvent = onEvent;
  }

  SseParser.prototype.push = function (text) {
    this.buffer += text.replace(/\r\n?/g, '\n');
    var end;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      var block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      var event = 'message';
      var data = [];
      block.split('\n').forEach(function (line) {
        if (line.indexOf('event:') === 0) { event = line.slice(6).trim(); }
        else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
      });
      if (data.length) { this.onEvent(event, data.join('\n')); }
    }
  };

  /** A batch: read its event stream, reconnecting a bounded number of times if it drops before the end. */
  function followBatch(batch, itemsById) {
    var finished = false;
    var attempts = 0;
    function onEvent(event, data) {
      var payload = JSON.parse(data);
      if (event === 'job' && itemsById[payload.id]) {
        itemsById[payload.id].update(payload);
      } else if (event === 'batch') {
        finished = true;
        payload.items.forEach(function (j) { if (itemsById[j.id]) { itemsById[j.id].update(j); } });
      }
    }
    (function connect() {
      attempts++;
      var parser = new SseParser(onEvent);
      var decoder = new TextDecoder();
      api(API + '/batches/' + batch.id + '/events', {headers: {Accept: 'text/event-stream'}}).then(function (r) {
        if (!r.ok) { return failure(r); }
        var reader = r.body.getReader();
        return (function read() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { return null; }
            parser.push(decoder.decode(chunk.value, {stream: true}));
            return read();
          });
        })();
      }).then(function () {
        if (!finished) { retry(); }
      }).catch(function (e) {
        if (e.status === 404) {
          Object.keys(itemsById).forEach(function (id) { itemsById[id].fail('the batch was deleted'); });
          return;
        }
        retry();
      });
    })();
    function retry() {
      if (attempts > MAX_STREAM_RECONNECTS) {
        Object.keys(itemsById).forEach(function (id) {
          var item = itemsById[id];
          if (!item.job || (item.job.status !== 'done' && item.job.status !== 'failed')) {
            item.error.textContent = 'Lost the progress stream; refresh the gallery later.';
          }
        });
        return;
      }
      window.setTimeout(connect, 1000 * attempts);
    }
  }

  /** The answer to a submission: one job, or a batch whose items line up with the submitted order. */
  function follow(answer, items) {
    if (answer.items) {
      var byId = {};
      answer.items.forEach(function (job, i) {
        if (items[i]) {
          byId[job.id] = items[i];
          items[i].update(job);
        }
      });
      followBatch(answer, byId);
    } else {
      followJob(items[0], answer);
    }
  }

  // ---- submitting -----------------------------------------------------------------------------------------------

  function specParams() {
    var params = new URLSearchParams();
    ['width', 'height', 'fit', 'format'].forEach(function (name) {
      var value = $(name).value.trim();
      if (value) { params.set(name, value); }
    });
    return params;
  }

  /** Uploads with XMLHttpRequest, the one browser API that reports upload progress. */
  function uploadFiles(files, params) {
    var items = files.map(function (f) { return new Item(f.name); });
    var form = new FormData();
    params.forEach(function (value, name) { form.append(name, value); });
    files.forEach(function (f) { form.append('file', f, f.name); });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', API + '/thumbnails');
    var headers = authHeaders();
    Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) { items.forEach(function (item) { item.uploaded(e.loaded / e.total); }); }
    });
    xhr.addEventListener('load', function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* reported below */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        follow(body, items);
      } else {
        var message = errorText(xhr.status, body);
        items.forEach(function (item) { item.fail(message); });
      }
    });
    xhr.addEventListener('error', function () {
      items.forEach(function (item) { item.fail('the upload did not reach the server (network error)'); });
    });
    xhr.send(form);
  }

  function submitUrls(urls, params) {
    var items = urls.map(function (u) { return new Item(u); });
    var body = urls.length === 1 ? {url: urls[0]} : {urls: urls};
    api(API + '/thumbnails?' + params.toString(), {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)
    }).then(json).then(function (answer) {
      follow(answer, items);
    }).catch(function (e) {
      items.forEach(function (item) { item.fail(e.message); });
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    var formError = $('form-error');
    formError.textContent = '';
    var files = Array.prototype.slice.call($('files').files);
    var urls = $('urls').value.split(/\s+/).filter(function (u) { return u.length > 0; });
    if (!files.length && !urls.length) {
      formError.textContent = 'Choose or drop at least one image, or paste an image URL.';
      return;
    }
    if (!$('width').value.trim() && !$('height').value.trim()) {
      formError.textContent = 'Give a width, a height, or both.';
      $('width').focus();
      return;
    }
    var params = specParams();
    if (files.length) { uploadFiles(files, params); }
    if (urls.length) { submitUrls(urls, params); }
    $('files').value = '';
    $('urls').value = '';
    showChosen();
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
        showChosen();
      }
    });
    // A drop that misses the zone must not navigate away from the page.
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) { e.preventDefault(); });
  }

  // ---- the gallery of recent thumbnails ---------------------------------------------------------------------------

  var gallery = {
    cursors: [null],   // the cursor of every page seen so far; the last one is the page shown
    next: null,
    urls: [],
    shown: 0,          // counts requests, so an older answer arriving late is dropped
    timer: null,

    show: function () {
      var self = this;
      var cursor = this.cursors[this.cursors.length - 1];
      var path = API + '/thumbnails?status=done&limit=' + GALLERY_PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      var note = $('gallery-note');
      var request = ++this.shown;
      api(path).then(json).then(function (page) {
        if (request !== self.shown) { return; }
        self.clear();
        self.next = page.next;
        page.items.forEach(function (job) { self.add(job); });
        note.textContent = page.items.length ? '' : (self.cursors.length > 1 ? 'No older thumbnails.' : 'No thumbnails yet.');
        $('gallery-newer').disabled = self.cursors.length <= 1;
        $('gallery-older').disabled = !self.next;
      }).catch(function (e) {
        if (request === self.shown) { note.textContent = 'Could not load recent thumbnails: ' + e.message; }
      });
    },

    add: function (job) {
      var self = this;
      var frame = el('div', {'class': 'frame'});
      var name = (job.source && (job.source.filename || job.source.url)) || job.id;
      var caption = el('figcaption', {text: name + ' · ' + dimensions(job.thumbnail.width, job.thumbnail.height)
        + ' · ' + bytes(job.thumbnail.bytes)});
      $('gallery').appendChild(el('li', {'data-id': job.id}, [el('figure', {}, [frame, caption])]));
      api(job.thumbnail.url).then(blob).then(function (b) {
        var url = URL.createObjectURL(b);
        self.urls.push(url);
        frame.appendChild(el('img', {src: url, alt: 'Thumbnail of ' + name, loading: 'lazy'}));
      }).catch(function () {
        frame.textContent = 'unavailable';
      });
    },

    clear: function () {
      this.urls.forEach(function (u) { URL.revokeObjectURL(u); });
      this.urls = [];
      $('gallery').textContent = '';
    },

    /** Shows the current page again once a burst of changes (a batch finishing) has settled. */
    reloadSoon: function () {
      var self = this;
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(function () { self.show(); }, 400);
    },
    older: function () { if (this.next) { this.cursors.push(this.next); this.show(); } },
    newer: function () { if (this.cursors.length > 1) { this.cursors.pop(); this.show(); } },
    first: function () { this.cursors = [null]; this.show(); }
  };

  // ---- the status line ------------------------------------------------------------------------------------------

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
      status.textContent = (answer.ok ? 'Service up' : 'Service degraded') + ' · queue ' + (q.depth || 0) + ' waiting, '
        + (q.processing || 0) + ' processing · workers ' + (w.busy || 0) + ' of ' + (w.total || 0) + ' busy';
    }).catch(function () {
      status.className = 'status down';
      status.textContent = 'Service unreachable';
    });
  }

  // ---- start ----------------------------------------------------------------------------------------------------

  function start() {
    var key = $('api-key');
    try { key.value = window.sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { /* storage disabled */ }
    if (key.value) { key.closest('details').open = true; }
    key.addEventListener('change', function () {
      try { window.sessionStorage.setItem(KEY_STORAGE, key.value.trim()); } catch (e) { /* storage disabled */ }
      gallery.first();
    });
    $('upload').addEventListener('submit', onSubmit);
    $('files').addEventListener('change', showChosen);
    wireDropzone();
    $('gallery-refresh').addEventListener('click', function () { gallery.first(); });
    $('gallery-older').addEventListener('click', function () { gallery.older(); });
    $('gallery-newer').addEventListener('click', function () { gallery.newer(); });
    refreshHealth();
    window.setInterval(refreshHealth, HEALTH_EVERY_MS);
    document.addEventListener('visibilitychange', refreshHealth);
    gallery.first();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
