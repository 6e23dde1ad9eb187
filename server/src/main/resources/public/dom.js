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

/** How long a Delete pressed once waits for the second press before it reads Delete again. */
const CONFIRM_MS = 5000;
/** How soon after the first press a second one counts: a double click, or a held Enter, is one press. */
const CONFIRM_AFTER_MS = 400;

/**
 * Makes a Delete button ask once more: the first press turns it into "Confirm" until it is pressed again,
 * loses the focus or CONFIRM_MS pass; only a second press at least CONFIRM_AFTER_MS later runs the action (the
 * button says when it takes one: data-confirm="ready"). A slip of the pointer, a double click, a stray or held
 * Enter deletes nothing.
 */
export function confirmedClick(button, action) {
  var label = button.textContent;
  var ariaLabel = button.getAttribute('aria-label') || label;
  var timer = null;
  var ready = null;
  function disarm() {
    if (timer === null) { return; }
    window.clearTimeout(timer);
    window.clearTimeout(ready);
    timer = null;
    button.textContent = label;
    button.setAttribute('aria-label', ariaLabel);
    button.classList.remove('armed');
    button.removeAttribute('data-confirm');
  }
  button.addEventListener('click', function () {
    if (timer !== null) {
      if (button.getAttribute('data-confirm') !== 'ready') { return; }
      disarm();
      action();
      return;
    }
    timer = window.setTimeout(disarm, CONFIRM_MS);
    ready = window.setTimeout(function () { button.setAttribute('data-confirm', 'ready'); }, CONFIRM_AFTER_MS);
    button.textContent = 'Confirm';
    button.setAttribute('aria-label', 'Confirm: ' + ariaLabel.charAt(0).toLowerCase() + ariaLabel.slice(1));
    button.setAttribute('data-confirm', 'wait');
    button.classList.add('armed');
    announce('Press again to ' + ariaLabel.charAt(0).toLowerCase() + ariaLabel.slice(1) + '.');
  });
  button.addEventListener('blur', disarm);
  // Enter held down repeats its press: the repeats are no second press.
  button.addEventListener('keydown', function (e) {
    if (e.repeat && e.key === 'Enter') { e.preventDefault(); }
  });
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
