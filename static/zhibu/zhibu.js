/* Zhibu: the little behaviour pages need, bound through data- attributes (the
   Content-Security-Policy forbids inline handlers).
   - <form data-confirm="…">: ask before submitting.
   - <button data-confirm="…">: ask before this button submits its form.
   - <a data-back>: go back one page (the href is the fallback without history). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
