// Small DOM and formatting helpers shared by the page's modules.

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
  });
  (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
  return node;
}

export function bytes(n) {
  if (n == null) { return '?'; }
  if (n < 1024) { return n + ' B'; }
  if (n < 1024 * 1024) { return (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB'; }
  // 3 MB, not 3.0 MB; 2.5 MB as it is.
  return (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '') + ' MB';
}

export function dimensions(w, h) {
  return w && h ? w + '×' + h : '?×?';
}

export function announce(text) {
  var live = $('announcer');
  live.textContent = '';
  // A fresh text node after clearing makes screen readers repeat the same words too.
  window.setTimeout(function () { live.textContent = text; }, 50);
}

/** NAME.thumbnail.EXT, EXT from the type of the image fetched (one URL may serve WebP or its JPEG or PNG). */
export function downloadName(job, type) {
  var base = (job.source && job.source.filename) || 'image';
  base = base.replace(/\.[^.]*$/, '');
  var ext = {'image/png': 'png', 'image/webp': 'webp'}[type] || 'jpg';
  return base + '.thumbnail.' + ext;
}

export function saveBlob(objectUrl, name) {
  var a = el('a', {href: objectUrl, download: name});
  document.body.appendChild(a);
  a.click();
  a.remove();
}
