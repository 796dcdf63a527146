// Live parts of a page served by the edge cache (component_sites/core/live.py): one request
// to /_live/ per page view counts it and returns the current figures for [data-live] elements.
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-live]");
  var counted = document.querySelector('meta[name="portal-count"]');
  var shown = {};
  var visits = false;
  nodes.forEach(function (node) {
    var name = node.getAttribute("data-live");
    if (name.indexOf("visits:") === 0) {
      visits = true;
    } else {
      shown[name] = true;
    }
  });
  var items = Object.keys(shown);
  if (visits) {
    items.push("visits");
  }
  var query = new URLSearchParams({ visit: "1" });
  if (counted) {
    query.set("count", counted.getAttribute("content"));
  }
  if (items.length) {
    query.set("show", items.join(","));
  }
  fetch("/_live/?" + query.toString(), { credentials: "omit", cache: "no-store" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (answer) {
      if (!answer) {
        return;
      }
      nodes.forEach(function (node) {
        var value = answer.values[node.getAttribute("data-live")];
        if (value !== undefined) {
          node.textContent = value;
        }
      });
    })
    .catch(function () {});
})();
