// API access. Every call goes through api() so an optional API key travels as "Authorization: Bearer" on all of
// them; that is why the page never uses EventSource (it cannot send headers) nor plain <img src> for thumbnails.
import { $ } from './dom.js';

export const API = '/api/v1';

function apiKey() {
  return $('api-key').value.trim();
}

export function authHeaders(extra) {
  var headers = Object.assign({}, extra || {});
  if (apiKey()) {
    headers.Authorization = 'Bearer ' + apiKey();
  }
  return headers;
}

/**
 * Whether this browser shows WebP, found once by decoding a 1x1 lossy WebP. The server picks WebP for `auto` only
 * when a request's Accept names image/webp, and fetch() and XMLHttpRequest send no such Accept of their own.
 */
export const webpShown = new Promise(function (resolve) {
  var probe = new Image();
  probe.onload = function () { resolve(probe.width === 1); };
  probe.onerror = function () { resolve(false); };
  probe.src = 'data:image/webp;base64,UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA';
});

/** The Accept header of an upload: JSON back, and WebP for `auto` if this browser shows it. */
export function uploadAccept() {
  return webpShown.then(function (shown) { return shown ? 'application/json, image/webp' : 'application/json'; });
}

/** Tries of a thumbnail's image while the server is away or restarting (503, or no answer), 2 s apart. */
const IMAGE_TRIES = 8;

/**
 * A thumbnail's image as a Blob: the WebP if this browser shows it, else the JPEG or PNG the same URL serves. Asked
 * again while the server restarts (503, or no answer), as a thumbnail made just before is there once it is back.
 */
export function image(path, tries) {
  var left = tries === undefined ? IMAGE_TRIES : tries;
  return webpShown.then(function (shown) {
    return api(path, shown ? {headers: {Accept: 'image/webp,*/*'}} : {});
  }).then(blob).catch(function (e) {
    if (left > 1 && (e.status === 503 || e.network)) {
      return new Promise(function (resolve) { window.setTimeout(resolve, 2000); }).then(function () {
        return image(path, left - 1);
      });
    }
    throw e;
  });
}

/** fetch() with the API key; a request that never reached the server fails with words, not the browser's. */
export function api(path, init) {
  init = init || {};
  init.headers = authHeaders(init.headers);
  return fetch(path, init).catch(function (e) {
    if (e instanceof TypeError) {
      var error = new Error('did not reach the server (network error); try again once it is back');
      error.network = true;
      throw error;
    }
    throw e;
  });
}

/** The words to show for a failed response: the API's error message, or the status line. */
export function errorText(status, body) {
  var message = body && body.error && body.error.message;
  if (status === 401 || status === 403) {
    return (message || 'the server refused the request') + ' — enter a valid API key under “API key”.';
  }
  return message || ('the server answered ' + status);
}

export function failure(response) {
  return response.text().then(function (text) {
    var body = null;
    try { body = JSON.parse(text); } catch (e) { /* not JSON: fall back to the status */ }
    var error = new Error(errorText(response.status, body));
    error.status = response.status;
    throw error;
  });
}

export function json(response) {
  return response.ok ? response.json() : failure(response);
}

export function blob(response) {
  return response.ok ? response.blob() : failure(response);
}
