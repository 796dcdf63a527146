/* Reading aids (font size, high contrast) and the phone menu; the page works without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  function store(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function setScale(step) {
    var current = parseInt(root.getAttribute("data-font-scale") || "0", 10);
    var next = step === 0 ? 0 : Math.max(0, Math.min(2, current + step));
    if (next) root.setAttribute("data-font-scale", String(next)); else root.removeAttribute("data-font-scale");
    store("portal.fontScale", next ? String(next) : null);
  }
  // The labels of what is chosen in field `name` of a form (select options, checked boxes);
  // an option's data-label, when it has one, names it without its annotations.
  function chosen(form, name) {
    var labels = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (o) { if (o.value) labels.push(o.getAttribute("data-label") || o.text.trim()); });
      } else if (input.checked) {
        var label = form.querySelector('label[for="' + input.id + '"]');
        labels.push(label ? label.textContent.trim() : input.value);
      }
    });
    return labels.length ? labels.join(", ") : "(chưa chọn)";
  }
  // Forms that act at once ask first: <form data-confirm="…"> (no inline handlers: CSP);
  // "{field}" in the question is replaced by what is chosen in that field.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (!question) return;
    question = question.replace(/\{(\w+)\}/g, function (_m, name) { return chosen(form, name); });
    if (!window.confirm(question)) event.preventDefault();
  }, true);
  // Diacritics and case folded: "dong tien" finds "Phường Đồng Tiến".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  // <input data-filter-select="ID">: typing hides the options of select#ID that do not match.
  function filterSelect(input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    if (select.options.length > 12) select.size = 10;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.text);
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !shown;
        if (shown && option.value && !first) first = option;
      });
      if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) first.selected = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-filter-select]").forEach(filterSelect);
    document.querySelectorAll("[data-font-step]").forEach(function (button) {
      button.addEventListener("click", function () { setScale(parseInt(button.getAttribute("data-font-step"), 10)); });
    });
    var contrast = document.querySelector("[data-contrast-toggle]");
    if (contrast) {
      contrast.setAttribute("aria-pressed", root.classList.contains("high-contrast") ? "true" : "false");
      contrast.addEventListener("click", function () {
        var on = root.classList.toggle("high-contrast");
        contrast.setAttribute("aria-pressed", on ? "true" : "false");
        store("portal.contrast", on ? "high" : null);
      });
    }
    var toggle = document.querySelector(".menu-toggle");
    if (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      toggle.addEventListener("click", function () {
        var open = menu.classList.toggle("menu--open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      // Escape closes the open phone menu and gives the focus back to its button.
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !menu.classList.contains("menu--open")) return;
        menu.classList.remove("menu--open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      });
    }
    // A form sent back with errors: the summary takes the focus, so it is read first.
    var summary = document.getElementById("form-errors");
    if (summary) summary.focus();
    document.querySelectorAll("form[data-one-step-rating]").forEach(oneStepRating);
  });

  // The figures beside the form take the new rating in (the page itself stays cached).
  function countRating(section, stars) {
    var total = 0, sum = 0;
    section.querySelectorAll("[data-rating-stars]").forEach(function (cell) {
      var level = parseInt(cell.getAttribute("data-rating-stars"), 10);
      var count = parseInt(cell.textContent.replace(/\D/g, ""), 10) || 0;
      if (level === stars) { count += 1; cell.textContent = String(count); }
      total += count;
      sum += level * count;
    });
    var count = section.querySelector("[data-rating-count]");
    var average = section.querySelector("[data-rating-average]");
    if (count) count.textContent = String(total);
    if (average && total) average.textContent = (sum / total).toFixed(1).replace(".", ",");
  }

  // The article's rating form (in a cached page, so without a CSRF token) rates in one step:
  // the rating page is fetched for its token and visitor cookie, then the stars are posted
  // there.  Without script (or on any failure) the form goes to that page as before.
  function oneStepRating(form) {
    var status = form.querySelector("[data-rating-status]");
    form.addEventListener("submit", function (event) {
      var chosen = form.querySelector("input[name=diem]:checked");
      if (!chosen || !window.fetch || !window.DOMParser) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      var url = form.action + "?diem=" + encodeURIComponent(chosen.value);
      function read(response) {
        return response.text().then(function (text) {
          return new DOMParser().parseFromString(text, "text/html");
        });
      }
      fetch(url, { credentials: "same-origin" }).then(read).then(function (page) {
        var token = page.querySelector("form[method=post] input[name=csrfmiddlewaretoken]");
        if (!token) throw new Error("no form");
        var body = new URLSearchParams();
        body.append("csrfmiddlewaretoken", token.value);
        body.append("value", chosen.value);
        body.append("website", "");
        return fetch(form.action, { method: "POST", credentials: "same-origin", body: body });
      }).then(read).then(function (page) {
        var answer = page.querySelector("main .alert");
        if (!answer) throw new Error("no answer");
        status.textContent = answer.textContent.trim().replace(/\s+/g, " ");
        status.className = answer.className.indexOf("alert--success") >= 0 ? "alert alert--success" : "alert alert--error";
        status.hidden = false;
        if (answer.className.indexOf("alert--success") >= 0) {
          form.querySelector("fieldset").disabled = true;
          countRating(form.closest("section") || document, parseInt(chosen.value, 10));
        } else button.disabled = false;
      }).catch(function () {
        form.submit();
      });
    });
  }
})();
