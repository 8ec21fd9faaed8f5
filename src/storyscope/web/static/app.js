// storyscope: click a statement (contradiction, fact, summary sentence, quote, citation)
// to highlight every sentence it cites in the article columns. Pages work without this file.
(function () {
  "use strict";

  function parseCites(value) {
    return (value || "").split(/\s+/).filter(Boolean).map(function (token) {
      var parts = token.split(":");
      var end = Number(parts.pop());
      var start = Number(parts.pop());
      return { article: parts.join(":"), start: start, end: end };
    }).filter(function (c) { return c.article && isFinite(c.start) && isFinite(c.end); });
  }

  function clear(root) {
    root.querySelectorAll("mark.is-active").forEach(function (m) { m.classList.remove("is-active"); });
    root.querySelectorAll(".is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
      el.setAttribute("aria-pressed", "false");
    });
  }

  function scrollBodyTo(body, mark) {
    var top = mark.offsetTop - body.clientHeight / 3;
    body.scrollTop = Math.max(0, top);
  }

  function select(el) {
    var root = el.closest(".story-layout") || document;
    var cites = parseCites(el.getAttribute("data-cites"));
    clear(root);
    el.classList.add("is-selected");
    el.setAttribute("aria-pressed", "true");
    var firstPerBody = new Map();
    cites.forEach(function (c) {
      var selector = '.body[data-article="' + CSS.escape(c.article) + '"]';
      root.querySelectorAll(selector).forEach(function (body) {
        body.querySelectorAll("mark[data-s]").forEach(function (m) {
          var s = Number(m.getAttribute("data-s")), e = Number(m.getAttribute("data-e"));
          if (s >= c.start && e <= c.end) {
            m.classList.add("is-active");
            if (!firstPerBody.has(body)) { firstPerBody.set(body, m); }
          }
        });
      });
    });
    firstPerBody.forEach(function (mark, body) {
      scrollBodyTo(body, mark);
      var column = body.closest(".column");
      if (column && column.scrollIntoView) { column.scrollIntoView({ block: "nearest", inline: "nearest" }); }
    });
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-cites]");
    if (!el || !el.getAttribute("data-cites")) { return; }
    if (el.matches("a.cite")) { event.preventDefault(); }
    event.stopPropagation();
    select(el);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { return; }
    var el = event.target.closest && event.target.closest(".selectable[data-cites]");
    if (!el || el !== event.target) { return; }
    event.preventDefault();
    select(el);
  });
})();
