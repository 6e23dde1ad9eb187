// The gallery of recent thumbnails: done jobs, newest first, a page at a time, images fetched as blobs.
import { API, api, image, json } from './api.js';
import { $, el, bytes, dimensions } from './dom.js';

const GALLERY_PAGE = 12;

export const gallery = {
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
    image(job.thumbnail.url).then(function (b) {
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
