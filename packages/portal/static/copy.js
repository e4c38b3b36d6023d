// "Kopieren" buttons for the code examples of the developer pages. Progressive enhancement:
// without this script the code stays selectable text. No inline code (CSP).
(function () {
  'use strict';
  var blocks = document.querySelectorAll('figure.snippet');
  if (blocks.length === 0) return;
  var main = document.getElementById('inhalt');
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  if (main) main.appendChild(status);

  Array.prototype.forEach.call(blocks, function (figure) {
    var caption = figure.querySelector('figcaption');
    var code = figure.querySelector('code');
    var pre = figure.querySelector('pre');
    if (!caption || !code) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button';
    button.textContent = 'Kopieren';
    button.setAttribute(
      'aria-label',
      'Kopieren: ' + (pre && pre.getAttribute('aria-label') ? pre.getAttribute('aria-label') : caption.textContent),
    );
    button.addEventListener('click', function () {
      var text = code.textContent || '';
      var done = function () {
        status.textContent = 'In die Zwischenablage kopiert.';
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {
          select(code);
          status.textContent = 'Text markiert: mit Strg+C kopieren.';
        });
      } else {
        select(code);
        status.textContent = 'Text markiert: mit Strg+C kopieren.';
      }
    });
    caption.appendChild(button);
  });

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    if (!selection) return;
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
