/*
 * The demo page (/): fills in this server's real address in the tag and the
 * Content-Security-Policy to copy, and copies the tag on request. A file of
 * its own because the page's policy allows no inline script.
 */
(function () {
  "use strict";

  function start() {
    var widgetUrl = new URL("widget.js", document.baseURI);
    var snippet = document.getElementById("snippet");
    var csp = document.getElementById("csp");
    var button = document.getElementById("copy-snippet");
    var status = document.getElementById("copy-status");

    snippet.textContent =
      '<script src="' + widgetUrl.href + '" data-title="Talk to Coach" defer></script>';
    csp.textContent = ["script-src", "style-src", "connect-src"].map(function (directive) {
      return directive + " 'self' " + widgetUrl.origin;
    }).join("; ");

    function selectSnippet() {
      var range = document.createRange();
      range.selectNodeContents(snippet);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }

    button.addEventListener("click", function () {
      var text = snippet.textContent;
      var copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(text)
        : Promise.reject(new Error("no clipboard"));
      copied.then(function () {
        status.textContent = "Copied. Paste it into your page.";
      }, function () {
        selectSnippet();
        status.textContent = "The tag is selected: press Ctrl+C (or \u2318C) to copy it.";
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
