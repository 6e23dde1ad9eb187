// What the form checks before sending anything: each a refusal the server would give only after the whole upload.

const MAX_SIZES = 10;
/** A size as the service reads one: WxH with either side left out, such as 100x100, 1200x or x300. */
const SIZE = /^([0-9]{1,9})?x([0-9]{1,9})?$/i;

/** What is wrong with the sizes asked for, in words, or null. The largest side is the server's to judge. */
export function sizesProblem(sizes) {
  if (sizes.length > MAX_SIZES) {
    return 'Several sizes names ' + sizes.length + ' sizes; at most ' + MAX_SIZES + ' are allowed.';
  }
  var bad = sizes.filter(function (s) {
    var m = SIZE.exec(s);
    return !m || (!m[1] && !m[2]) || [m[1], m[2]].some(function (side) { return side && Number(side) < 1; });
  })[0];
  return bad === undefined ? null
    : 'Several sizes: “' + bad + '” is not a size; write each as WxH, Wx or xH, such as 100x100, 1200x or x300.';
}

/** The URLs of the URL box, one a line: each line trimmed, blank lines left out. */
export function urlLines(text) {
  return text.split(/\r?\n/).map(function (u) { return u.trim(); })
    .filter(function (u) { return u.length > 0; });
}

/** What is wrong with the first URL the service would refuse, in words, or null. */
export function urlsProblem(urls) {
  var bad = urls.filter(function (u) {
    try {
      var url = new URL(u);
      return (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host;
    } catch (e) {
      return true;
    }
  })[0];
  return bad === undefined ? null : '“' + bad + '” is not an http or https URL with a host; put one URL on each line.';
}
