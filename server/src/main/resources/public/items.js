// One item of this session (a file or URL sent from the form) and how it is followed to done or failed: a batch
// through its Server-Sent Events read with fetch(), a single job by bounded long polling.
import { API, api, failure, image, json } from './api.js';
import { $, el, bytes, dimensions, announce, confirmedClick, downloadName, saveBlob } from './dom.js';
import { gallery } from './gallery.js';

const LONG_POLL_SECONDS = 25;
const MAX_POLLS = 40;               // a single job is followed for at most 40 long polls' time, ~17 minutes
// A browser keeps at most six connections to one server; uploads, the gallery and the status line need some, so past
// this many waiting single jobs the others ask now and then instead of each holding a connection.
const MAX_LONG_POLLS = 3;
const SHORT_POLL_MS = 2000;
let longPolls = 0;
const MAX_STREAM_RECONNECTS = 20;
/** The longest wait between two of them: together they span about three minutes of a server away. */
const MAX_RECONNECT_WAIT_MS = 10000;

var STATE_WORDS = {
  uploading: 'Uploading…',
  queued: 'Queued',
  processing: 'Making the thumbnail…',
  done: 'Done',
  failed: 'Failed'
};

export function Item(name, suffix) {
  // What tells apart the thumbnails of one image at several sizes, such as " (100x100)".
  this.suffix = suffix || '';
  this.name = name + this.suffix;
  this.job = null;
  this.objectUrl = null;
  this.node = el('li', {'class': 'item', 'data-status': 'uploading'});
  this.preview = el('div', {'class': 'preview'});
  this.title = el('p', {'class': 'name', text: this.name});
  this.state = el('p', {'class': 'state', text: STATE_WORDS.uploading});
  this.progress = el('progress', {max: '100', value: '0', 'aria-label': 'Progress of ' + name});
  this.sizes = el('p', {'class': 'sizes'});
  this.error = el('p', {'class': 'error'});
  this.buttons = el('div', {'class': 'buttons'});
  this.node.appendChild(this.preview);
  this.node.appendChild(el('div', {'class': 'body'},
    [this.title, this.state, this.progress, this.sizes, this.error, this.buttons]));
}

/** The items on the page, to find those of a job deleted elsewhere (from the gallery). */
var shown = [];

/** Puts the items of one request on top of the list, in the order they were chosen. */
export function showItems(items) {
  var list = $('items');
  var first = list.firstChild;
  items.forEach(function (item) {
    list.insertBefore(item.node, first);
    shown.push(item);
  });
  $('items-empty').hidden = list.children.length > 0;
}

/** Takes the items of a job deleted from the gallery off the page. */
export function forgetJob(id) {
  shown.filter(function (item) { return item.job && item.job.id === id; })
    .forEach(function (item) { item.leave(); });
}

/**
 * Takes the item off the page. Focus that was in it (hadFocus, else asked now) goes to the next item's first button,
 * else the previous one's, else the file chooser.
 */
Item.prototype.leave = function (hadFocus) {
  if (hadFocus === undefined) { hadFocus = this.node.contains(document.activeElement); }
  if (this.objectUrl) { URL.revokeObjectURL(this.objectUrl); }
  // Not back to the top of the page with the node that held it.
  var neighbour = this.node.nextElementSibling || this.node.previousElementSibling;
  this.node.remove();
  shown = shown.filter(function (item) { return item !== this; }, this);
  if (hadFocus) {
    var target = (neighbour && neighbour.querySelector('button')) || $('files');
    target.focus();
  }
  $('items-empty').hidden = $('items').children.length > 0;
};

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
  if (job.source && job.source.filename) { this.title.textContent = job.source.filename + this.suffix; }
  this.state.textContent = STATE_WORDS[job.status] || job.status;
  this.state.className = 'state ' + job.status;
  if (job.status === 'queued' || job.status === 'processing') {
    this.progress.removeAttribute('value');    // indeterminate: the service does not report a percentage
  }
  if (job.source && job.source.width && job.status !== 'done') {
    // A done job's line names the thumbnail too, written once below; a later event of the same job keeps it.
    this.sizes.textContent = 'Original ' + dimensions(job.source.width, job.source.height) + ', ' + bytes(job.source.bytes);
  }
  if (before === job.status) { return; }
  if (job.status === 'done') {
    this.progress.hidden = true;
    this.sizes.textContent = sizesText(job, '', job.thumbnail.bytes);
    this.showThumbnail();
    announce(this.title.textContent + ' is done.');
  } else if (job.status === 'failed') {
    var e = job.error || {};
    this.fail((e.message || 'the job failed') + (e.code ? ' (' + e.code + ')' : ''));
  }
};

var FORMAT_NAMES = {'image/webp': 'WebP ', 'image/jpeg': 'JPEG ', 'image/png': 'PNG '};

/** "Original 1200×800, 180 KB → WebP thumbnail 320×213, 9 KB": the format and size of the image fetched. */
function sizesText(job, format, size) {
  return 'Original ' + dimensions(job.source && job.source.width, job.source && job.source.height)
    + ', ' + bytes(job.source && job.source.bytes) + ' → ' + format + 'thumbnail '
    + dimensions(job.thumbnail.width, job.thumbnail.height) + ', ' + bytes(size);
}

Item.prototype.showThumbnail = function () {
  var self = this;
  image(this.job.thumbnail.url).then(function (b) {
    // One URL serves WebP or its JPEG or PNG: say which this browser got.
    self.sizes.textContent = sizesText(self.job, FORMAT_NAMES[b.type] || '', b.size);
    self.objectUrl = URL.createObjectURL(b);
    self.preview.textContent = '';
    self.preview.appendChild(el('img', {src: self.objectUrl, alt: 'Thumbnail of ' + self.title.textContent,
      width: String(self.job.thumbnail.width), height: String(self.job.thumbnail.height)}));
    var download = el('button', {type: 'button', 'class': 'button small', text: 'Download'});
    download.setAttribute('aria-label', 'Download the thumbnail of ' + self.title.textContent);
    download.addEventListener('click', function () { saveBlob(self.objectUrl, downloadName(self.job, b.type)); });
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
  confirmedClick(button, function () { self.remove(button); });
  this.deleteButton = button;
  this.buttons.appendChild(button);
};

Item.prototype.remove = function (button) {
  var self = this;
  // Asked before the button is disabled while the request runs, which takes the focus from it.
  var hadFocus = this.node.contains(document.activeElement);
  var gone = function () {
    self.leave(hadFocus);
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


/** One job with no batch: long-poll it until it is finished, a bounded number of times. */
function followJob(item, job) {
  item.update(job);
  var polls = 0;
  var until = Date.now() + MAX_POLLS * LONG_POLL_SECONDS * 1000;
  (function poll() {
    if (item.job.status === 'done' || item.job.status === 'failed') { return; }
    polls++;
    if (Date.now() > until) {
      item.error.textContent = 'Still not finished; refresh the gallery later.';
      return;
    }
    var held = longPolls < MAX_LONG_POLLS;
    var released = !held;
    function release() {
      if (!released) { released = true; longPolls--; }
    }
    if (held) { longPolls++; }
    api(API + '/thumbnails/' + job.id + '?wait=' + (held ? LONG_POLL_SECONDS : 0)).then(json).then(function (j) {
      release();
      item.update(j);
      if (held) { poll(); } else { window.setTimeout(poll, SHORT_POLL_MS); }
    }).catch(function (e) {
      release();
      if (e.status === 404) { item.fail('the job was deleted'); return; }
      window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, Math.min(polls, 5))));
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
    // The stream works: a later drop starts its count of tries again.
    attempts = 1;
    var payload = JSON.parse(data);
    if (event === 'job' && itemsById[payload.id]) {
      itemsById[payload.id].update(payload);
    } else if (event === 'batch') {
      finished = true;
      payload.items.forEach(function (j) { if (itemsById[j.id]) { itemsById[j.id].update(j); } });
    }
  }
  function connect() {
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
  }
  connect();
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
    window.setTimeout(connect, Math.min(MAX_RECONNECT_WAIT_MS, 1000 * attempts));
  }
}

/** The answer to a submission: one job, or a batch whose items line up with the submitted order. */
export function follow(answer, items) {
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
