/* Relais Mobilité inbox: our own small script (no inline script: the CSP forbids it).
   - the live SMS segment counter of a reply box (data-sms-counter="<id of the output>"),
     counted as bot/channels/sms_text.py counts: GSM-7 or UCS-2, graphemes never split;
   - a select of canned replies fills the reply box (data-fills="<id of the textarea>"). */
(function () {
  "use strict";

  var GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM7_EXTENDED = "\f^{}\\[~]|€";

  function graphemes(text) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter("fr", {granularity: "grapheme"}).segment(text),
        function (part) { return part.segment; });
    }
    return Array.from(text);
  }

  function isGsm7(grapheme) {
    return grapheme.length === 1 &&
      (GSM7_BASIC.indexOf(grapheme) >= 0 || GSM7_EXTENDED.indexOf(grapheme) >= 0);
  }

  function pack(sizes, perSegment) {
    var segments = 1, used = 0;
    sizes.forEach(function (size) {
      if (used && used + size > perSegment) { segments += 1; used = 0; }
      used += size;
    });
    return segments;
  }

  /* {encoding, segments, units, costly}: what sms_text.segment_info() says. */
  function segmentInfo(text) {
    var parts = graphemes(text);
    var gsm = parts.every(isGsm7);
    var sizes = parts.map(function (g) {
      return gsm ? (GSM7_EXTENDED.indexOf(g) >= 0 ? 2 : 1) : g.length;  // UTF-16 units
    });
    var total = sizes.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
    var segments = total <= single ? (parts.length ? 1 : 0) : pack(sizes, multi);
    var costly = [];
    if (!gsm) {
      parts.forEach(function (g) {
        if (!Array.from(g).every(isGsm7) && costly.indexOf(g) < 0) { costly.push(g); }
      });
    }
    return {encoding: gsm ? "GSM-7" : "UCS-2", segments: segments, units: total, costly: costly};
  }

  function describe(text) {
    var info = segmentInfo(text);
    var count = Array.from(text).length;
    var words = count + (count > 1 ? " caractères" : " caractère") + " · " +
      info.segments + " SMS";
    if (info.costly.length === 1) {
      words += ". Ce caractère rend le SMS plus cher : " + info.costly[0];
    } else if (info.costly.length > 1) {
      words += ". Ces caractères rendent le SMS plus cher : " + info.costly.join(" ");
    }
    return {text: words, costly: info.costly.length > 0};
  }

  function bindCounter(textarea) {
    var output = document.getElementById(textarea.getAttribute("data-sms-counter"));
    if (!output) { return; }
    var update = function () {
      var result = describe(textarea.value);
      output.textContent = result.text;
      output.classList.toggle("hint--warning", result.costly);
    };
    textarea.addEventListener("input", update);
    update();
  }

  function bindCanned(select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var target = document.getElementById(select.getAttribute("data-fills"));
      if (!target || !option || !option.value) { return; }
      target.value = option.getAttribute("data-text") || "";
      target.dispatchEvent(new Event("input"));
      target.focus();
    });
  }

  /* The list's poll must not pull a row from under the keyboard: skip it while focus is in it. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.id === "case-rows" && target.contains(document.activeElement)) {
      event.preventDefault();
    }
  });

  function init() {
    document.querySelectorAll("textarea[data-sms-counter]").forEach(bindCounter);
    document.querySelectorAll("select[data-fills]").forEach(bindCanned);
  }

  window.relaisSms = {segmentInfo: segmentInfo, describe: describe};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
