/* Relais Mobilité: the SMS rules of bot/channels/sms_text.py, for the reply box's counter.
   What a coordinator types is sent as the server sends it: look-alikes that force UCS-2
   replaced when that costs fewer SMS (smsBody), then cut into SMS of at most 3 segments
   each (splitMessage). A browser test compares every function here with the Python one
   on the same table of texts. Exposed as window.relaisSms. */
(function () {
  "use strict";

  var GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM7_EXTENDED = "\f^{}\\[~]|€";
  var GSM7_SINGLE = 160, GSM7_MULTI = 153, UCS2_SINGLE = 70, UCS2_MULTI = 67;
  var MAX_GRAPHEME = 16;  // code points
  var MAX_SEGMENTS_PER_SMS = 3;  // bot/channels/rendering.py SMS_MAX_SEGMENTS

  var LOOKALIKES = {};
  function map(chars, to) { Array.from(chars).forEach(function (c) { LOOKALIKES[c] = to; }); }
  map("’‘‚‛′´`ʼ‹›", "'");
  map("“”„‟″«»", "\"");
  map("‐‑‒–—―−•", "-");
  map("\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007", " ");
  map("\u2008\u2009\u200a\u202f\u205f\u3000", " ");
  map("\u2028\u2029", "\n");
  map("\u00ad\u200b\u2060\ufeff", "");
  map("…", "...");
  map("œ", "oe");
  map("Œ", "OE");
  map("·", ".");
  map("×", "x");
  map("÷", "/");

  var BLANK = "\\t\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000\\ufeff";
  var WHITE = BLANK + "\\n";
  var GUILLEMETS = new RegExp("«[" + BLANK + "]*|[" + BLANK + "]*»", "g");
  var PARAGRAPH = new RegExp("\\n[" + BLANK + "]*\\n", "g");
  var SENTENCE_END = new RegExp("[.!?…]+[\"'»”’)\\]]*(?=[" + WHITE + "])", "g");
  var SPACE = new RegExp("[" + WHITE + "]", "g");
  var EDGES = new RegExp("^[" + WHITE + "]+|[" + WHITE + "]+$", "g");
  var CONTROL = /^\p{Cc}$/u, MARK = /\p{M}/gu;

  function isGsm7Char(c) { return GSM7_BASIC.indexOf(c) >= 0 || GSM7_EXTENDED.indexOf(c) >= 0; }
  function isGsm7(text) { return Array.from(text).every(isGsm7Char); }
  function strip(text) { return text.replace(EDGES, ""); }
  function codePoints(text) { return Array.from(text); }
  function units(text) { return text.length; }  // UTF-16 code units, as in UCS-2

  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("fr", {granularity: "grapheme"}) : null;

  /* Graphemes as Unicode cuts them; CR LF is two; a cluster is cut every 16 code points. */
  function graphemes(text) {
    var clusters = segmenter ? Array.from(segmenter.segment(text), function (p) { return p.segment; })
      : codePoints(text);
    var found = [];
    clusters.forEach(function (cluster) {
      if (cluster === "\r\n") { found.push("\r", "\n"); return; }
      var points = codePoints(cluster);
      for (var at = 0; at < points.length; at += MAX_GRAPHEME) {
        found.push(points.slice(at, at + MAX_GRAPHEME).join(""));
      }
    });
    return found;
  }

  function pack(sizes, perSegment) {
    var segments = 1, used = 0;
    sizes.forEach(function (size) {
      if (used && used + size > perSegment) { segments += 1; used = 0; }
      used += size;
    });
    return segments;
  }

  function measure(parts) {
    var gsm = parts.every(function (g) { return codePoints(g).length === 1 && isGsm7Char(g); });
    var sizes = parts.map(function (g) {
      return gsm ? (GSM7_EXTENDED.indexOf(g) >= 0 ? 2 : 1) : units(g);
    });
    var total = sizes.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? GSM7_SINGLE : UCS2_SINGLE, multi = gsm ? GSM7_MULTI : UCS2_MULTI;
    var segments = total <= single ? (parts.length ? 1 : 0) : pack(sizes, multi);
    var costly = [];
    if (!gsm) {
      parts.forEach(function (g) {
        if (!isGsm7(g) && costly.indexOf(g) < 0) { costly.push(g); }
      });
    }
    return {encoding: gsm ? "GSM-7" : "UCS-2", segments: segments, units: total, costly: costly};
  }

  /* {encoding, segments, units, costly}: what sms_text.segment_info() says. */
  function segmentInfo(text) { return measure(graphemes(text)); }

  function substitute(c) {
    if (isGsm7Char(c)) { return c; }
    if (Object.prototype.hasOwnProperty.call(LOOKALIKES, c)) { return LOOKALIKES[c]; }
    if (CONTROL.test(c)) { return ""; }
    var plain = c.normalize("NFKD").replace(MARK, "");
    return strip(plain) && isGsm7(plain) ? plain : c;
  }

  /* sms_text.to_gsm7(): look-alikes instead of the characters that force UCS-2. */
  function toGsm7(text) {
    return codePoints(text.normalize("NFC").replace(GUILLEMETS, "\"")).map(substitute).join("");
  }

  /* sms_text.sms_body(): the look-alikes if that makes the text GSM-7 or cheaper. */
  function smsBody(text) {
    if (isGsm7(text)) { return text; }
    var candidate = toGsm7(text);
    if (isGsm7(candidate) || segmentInfo(candidate).segments < segmentInfo(text).segments) {
      return candidate;
    }
    return text;
  }

  function fittingPrefix(text, maxSegments) {
    var parts = graphemes(text).slice(0, maxSegments * GSM7_SINGLE + 1);
    var low = 1, high = parts.length;
    while (low < high) {
      var middle = Math.floor((low + high + 1) / 2);
      if (measure(parts.slice(0, middle)).segments <= maxSegments) { low = middle; } else { high = middle - 1; }
    }
    return parts.slice(0, low).join("").length;
  }

  function positions(pattern, text, useEnd) {
    var found = [], match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      found.push(useEnd ? match.index + match[0].length : match.index);
      if (match[0].length === 0) { pattern.lastIndex += 1; }
    }
    return found;
  }

  /* Where to end a part within text[:size] (size in UTF-16 units); "half the part" is
     measured in code points, as Python measures it. */
  function cutPoint(text, size) {
    var scope = text.slice(0, size + 1);
    var inside = function (at) { return at > 0 && at <= size; };
    var half = Math.floor(codePoints(text.slice(0, size)).length / 2);
    var paragraphs = positions(PARAGRAPH, scope, false).filter(inside);
    var sentences = positions(SENTENCE_END, scope, true).filter(inside);
    var spaces = positions(SPACE, scope, false).filter(inside);
    var kinds = [paragraphs, sentences, spaces];
    for (var k = 0; k < kinds.length; k += 1) {
      var last = kinds[k][kinds[k].length - 1];
      if (kinds[k].length && codePoints(scope.slice(0, last)).length >= half) { return last; }
    }
    return spaces.length ? spaces[spaces.length - 1] : size;
  }

  /* sms_text.split_message(): the SMS a long text leaves as. Indexes are UTF-16 units
     here and code points in Python; the cuts fall on the same characters. */
  function splitMessage(text, maxSegments) {
    var limit = Math.max(maxSegments || 1, 1), parts = [], rest = strip(text);
    if (segmentInfo(rest).segments <= limit) { return rest ? [rest] : []; }
    while (rest) {
      var size = fittingPrefix(rest, limit);
      var cut = size === rest.length ? size : cutPoint(rest, size);
      parts.push(strip(rest.slice(0, cut)));
      rest = strip(rest.slice(cut));
    }
    return parts;
  }

  /* What the server will send for a coordinator's text: the SMS, their cost, what was
     replaced, and what forces UCS-2 whatever is replaced. */
  function preview(text) {
    var body = smsBody(text);
    var sms = splitMessage(body, MAX_SEGMENTS_PER_SMS);
    var replaced = [];
    if (body !== text) {
      codePoints(text).forEach(function (c) {
        var to = substitute(c);
        var pair = c + " → " + (to || "rien");
        if (to !== c && !isGsm7Char(c) && replaced.indexOf(pair) < 0) { replaced.push(pair); }
      });
    }
    // Only what the look-alikes cannot replace makes the SMS dearer: 🚌 and not the ê
    // that would go with it.
    var costly = segmentInfo(toGsm7(body)).costly;
    return {
      body: body, sms: sms,
      segments: sms.reduce(function (n, part) { return n + segmentInfo(part).segments; }, 0),
      characters: codePoints(body).length, replaced: replaced, costly: costly
    };
  }

  window.relaisSms = {
    segmentInfo: segmentInfo, toGsm7: toGsm7, smsBody: smsBody, splitMessage: splitMessage,
    preview: preview
  };
}());
