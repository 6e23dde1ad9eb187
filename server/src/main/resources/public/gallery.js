// The gallery of recent thumbnails: done jobs, newest first, a page at a time, images fetched as blobs, each with
// Download and Delete.
import { API, api, failure, image, json } from './api.js';
import { $, el, bytes, dimensions, announce, confirmedClick, downloadName, saveBlob } from './dom.js';

const GALLERY_PAGE = 12;

export const gallery = {
  cursors: [null],   // the cursor of every page seen so far; the last one is the page shown
  next: null,
  urls: [],
  shown: 0,          // counts requests, so an older answer arriving late is dropped
  timer: null,
  onDeleted: function () {},   // told the id of a job deleted here, to take it off the rest of the page

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
      if (request !== self.shown) { return; }
      // What was shown may belong to another API key: none of it stays once this one cannot list.
      self.clear();
      self.next = null;
      $('gallery-newer').disabled = true;
      $('gallery-older').disabled = true;
      note.textContent = 'Could not load recent thumbnails: ' + e.message;
    });
  },

  add: function (job) {
    var self = this;
    var frame = el('div', {'class': 'frame'});
    var name = (job.source && (job.source.filename || job.source.url)) || job.id;
    // A long name (a URL) is cut to one line with an ellipsis; the whole of it is the title.
    var caption = el('figcaption', {}, [el('span', {'class': 'caption-name', title: name, text: name}),
      el('span', {text: dimensions(job.thumbnail.width, job.thumbnail.height) + ' · ' + bytes(job.thumbnail.bytes)})]);
    var buttons = el('div', {'class': 'buttons'});
    var li = el('li', {'data-id': job.id}, [el('figure', {}, [frame, caption]), buttons]);
    $('gallery').appendChild(li);
    var download = el('button', {type: 'button', 'class': 'button small', text: 'Download', disabled: ''});
    download.setAttribute('aria-label', 'Download the thumbnail of ' + name);
    var remove = el('button', {type: 'button', 'class': 'button small danger', text: 'Delete'});
    remove.setAttribute('aria-label', 'Delete the thumbnail of ' + name);
    confirmedClick(remove, function () { self.remove(job, name, li, remove); });
    buttons.appendChild(download);
    buttons.appendChild(remove);
    image(job.thumbnail.url).then(function (b) {
      var url = URL.createObjectURL(b);
      self.urls.push(url);
      frame.appendChild(el('img', {src: url, alt: 'Thumbnail of ' + name, loading: 'lazy'}));
      download.addEventListener('click', function () { saveBlob(url, downloadName(job, b.type)); });
      download.disabled = false;
    }).catch(function () {
      frame.textContent = 'unavailable';
    });
  },

  /** Deletes the job; its figure leaves the grid, focus going to the next figure's (else the previous one's) button. */
  remove: function (job, name, li, button) {
    var self = this;
    // Asked before the button is disabled while the request runs, which takes the focus from it.
    var hadFocus = li.contains(document.activeElement);
    button.disabled = true;
    api(API + '/thumbnails/' + job.id, {method: 'DELETE'}).then(function (r) {
      if (!r.ok && r.status !== 404) { return failure(r); }
      var neighbour = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      if (hadFocus) {
        ((neighbour && neighbour.querySelector('button:not([disabled])')) || $('gallery-refresh')).focus();
      }
      if (!$('gallery').children.length) { $('gallery-note').textContent = 'No thumbnails on this page.'; }
      self.onDeleted(job.id);
      announce(name + ' deleted.');
      return null;
    }).catch(function (e) {
      button.disabled = false;
      $('gallery-note').textContent = 'Could not delete ' + name + ': ' + e.message;
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
