/* Relais Mobilité inbox: our own small script (no inline script: the CSP forbids it).
   - the live SMS counter of a reply box (data-sms-counter="<id of the output>"), with
     the server's rules (js/sms.js);
   - a select of canned replies fills the reply box (data-fills="<id of the textarea>"). */
(function () {
  "use strict";

  /* The counter says what the server will send (window.relaisSms, js/sms.js): SMS after
     the cheaper look-alikes, what was replaced, and what still makes the SMS dearer. */
  function describe(text) {
    var sent = window.relaisSms.preview(text);
    var count = sent.characters;
    var words = count + (count > 1 ? " caractères" : " caractère") + " · " + sent.segments + " SMS";
    if (sent.sms.length > 1) {
      words += " (envoyés en " + sent.sms.length + " messages)";
    }
    if (sent.replaced.length) {
      words += ". Remplacé pour payer moins : " + sent.replaced.join(", ");
    }
    if (sent.costly.length === 1) {
      words += ". Ce caractère rend le SMS plus cher : " + sent.costly[0];
    } else if (sent.costly.length > 1) {
      words += ". Ces caractères rendent le SMS plus cher : " + sent.costly.join(" ");
    }
    return {text: words, costly: sent.costly.length > 0};
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

  window.relaisInbox = {describe: describe};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
