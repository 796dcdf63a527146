/* Album photo viewer: a modal <dialog> over the page, keyboard first.
 * Enter/click on a photo opens it; ← → (or the buttons) step through; Escape or "Đóng"
 * closes and gives the focus back to the photo's link.  Without script the links open the
 * large picture itself.  No inline code: the public pages' CSP forbids it. */
(function () {
  "use strict";
  function build() {
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-labelledby", "lightbox-caption");
    dialog.innerHTML =
      '<figure class="lightbox__figure"><img class="lightbox__image" alt="">' +
      '<figcaption class="lightbox__caption" id="lightbox-caption"></figcaption></figure>' +
      '<p class="lightbox__count" aria-live="polite"></p>' +
      '<div class="lightbox__controls">' +
      '<button type="button" class="lightbox__button" data-step="-1">← Ảnh trước</button>' +
      '<button type="button" class="lightbox__button" data-step="1">Ảnh sau →</button>' +
      '<button type="button" class="lightbox__button lightbox__close" data-close>Đóng</button>' +
      "</div>";
    document.body.appendChild(dialog);
    return dialog;
  }
  function start(album) {
    var links = Array.prototype.slice.call(album.querySelectorAll("a[data-lightbox-photo]"));
    if (!links.length || typeof HTMLDialogElement === "undefined") return;
    var dialog = build();
    var image = dialog.querySelector(".lightbox__image");
    var caption = dialog.querySelector(".lightbox__caption");
    var count = dialog.querySelector(".lightbox__count");
    var current = 0;
    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.getAttribute("href");
      image.alt = link.getAttribute("data-alt") || "";
      caption.textContent = link.getAttribute("data-caption") || link.getAttribute("data-alt") || "";
      count.textContent = "Ảnh " + (current + 1) + "/" + links.length;
    }
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(index);
        dialog.showModal();
        dialog.querySelector("[data-close]").focus();
      });
    });
    dialog.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) show(current + parseInt(step, 10));
      else if (event.target.hasAttribute && event.target.hasAttribute("data-close")) dialog.close();
      else if (event.target === dialog) dialog.close(); // the backdrop
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      else if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
    // Escape closes a modal dialog by itself; either way the photo's link gets the focus.
    dialog.addEventListener("close", function () { links[current].focus(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-lightbox]").forEach(start);
  });
})();
