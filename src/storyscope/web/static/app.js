// storyscope: click a statement (contradiction, fact, claim, summary sentence, quote, citation)
// to light up every passage it cites in the article columns; on the story page the columns that
// hold them move to the front of the row, each scrolls to its passage, and the row is brought on
// screen. Keys: j/n next contradiction, k/p previous, ? the shortcuts, Esc clears.
// Pages work without this file (citations are links to #a-<article>-<start>-<end> anchors).
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

  function scopeOf(el) {
    return el.closest(".story-layout") || el.closest("#compare-result") || document;
  }

  function clear(root) {
    root.querySelectorAll("mark.is-active").forEach(function (m) { m.classList.remove("is-active"); });
    root.querySelectorAll(".column.is-front").forEach(function (c) { c.classList.remove("is-front"); });
    root.querySelectorAll(".is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
      if (el.hasAttribute("aria-pressed")) { el.setAttribute("aria-pressed", "false"); }
    });
    var bar = root.querySelector(".now-showing");
    if (bar) { bar.hidden = true; }
  }

  function scrollBodyTo(body, mark) {
    var top = mark.offsetTop - body.clientHeight / 3;
    body.scrollTop = Math.max(0, top);
  }

  function label(el) {
    var text = el.getAttribute("data-label");
    if (text) { return text; }
    var own = (el.textContent || "").replace(/\s+/g, " ").trim();
    return own.length > 160 ? own.slice(0, 159) + "…" : own;
  }

  // Light up el's cited passages. With bring (the story page), move their columns to the front,
  // scroll each to its first passage and scroll the page so that the columns are on screen.
  function select(el, bring) {
    var root = scopeOf(el);
    var cites = parseCites(el.getAttribute("data-cites"));
    clear(root);
    el.classList.add("is-selected");
    if (el.hasAttribute("aria-pressed")) { el.setAttribute("aria-pressed", "true"); }
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
    var row = root.querySelector(".columns");
    var inArticles = !!el.closest(".columns, .pane.articles");
    if (row && !row.classList.contains("single") && !inArticles) {
      firstPerBody.forEach(function (mark, body) {
        var column = body.closest(".column");
        if (column) { column.classList.add("is-front"); }
      });
      row.scrollLeft = 0;
    }
    var bar = root.querySelector(".now-showing");
    if (bar && !inArticles) {
      bar.querySelector(".now-text").textContent = "Showing: " + label(el);
      var back = bar.querySelector(".now-back");
      if (back && el.id) { back.setAttribute("href", "#" + el.id); }
      var isContradiction = el.classList.contains("contradiction");
      bar.querySelectorAll("button[data-step]").forEach(function (b) { b.hidden = !isContradiction; });
      bar.hidden = false;
    }
    if (bring && row && !inArticles && firstPerBody.size) {
      var offset = bar && !bar.hidden ? bar.offsetHeight + 8 : 8;
      var top = row.getBoundingClientRect().top + window.scrollY - offset;
      window.scrollTo(0, Math.max(0, top));
    }
    firstPerBody.forEach(function (mark, body) {
      scrollBodyTo(body, mark);
      if (!bring) {
        var column = body.closest(".column");
        if (column && column.scrollIntoView) { column.scrollIntoView({ block: "nearest", inline: "nearest" }); }
      }
    });
  }

  function storyPage() { return document.body.classList.contains("story-page"); }

  function contradictions() {
    return Array.prototype.slice.call(document.querySelectorAll(".contradiction.selectable[data-cites]"));
  }

  // Select the contradiction `step` away from the selected one (the first or last when none is).
  function step(delta) {
    var all = contradictions();
    if (!all.length) { return; }
    var current = all.findIndex(function (el) { return el.classList.contains("is-selected"); });
    var next = current < 0 ? (delta > 0 ? 0 : all.length - 1) : current + delta;
    next = Math.max(0, Math.min(all.length - 1, next));
    var el = all[next];
    select(el, true);
    var bar = scopeOf(el).querySelector(".now-showing");
    if (bar && !bar.hidden) {
      bar.focus({ preventScroll: true });
    } else {
      el.focus();
    }
  }

  function clearAll() {
    var bar = document.querySelector(".now-showing");
    var selected = document.querySelector(".is-selected");
    clear(document);
    if (selected && bar && document.activeElement === bar) { selected.focus(); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".now-showing button");
    if (button) {
      if (button.hasAttribute("data-clear")) { clearAll(); }
      else { step(Number(button.getAttribute("data-step")) || 1); }
      return;
    }
    var skip = event.target.closest("a[data-skip]");
    if (skip) {
      var target = document.querySelector(skip.getAttribute("href"));
      if (target) {
        event.preventDefault();
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus();
      }
      return;
    }
    var back = event.target.closest(".now-showing .now-back");
    if (back) {
      var item = document.querySelector(back.getAttribute("href"));
      if (item && item.classList.contains("selectable")) { event.preventDefault(); item.focus(); }
      return;
    }
    var el = event.target.closest("[data-cites]");
    if (!el || !el.getAttribute("data-cites")) { return; }
    if (el.matches("a.cite")) { event.preventDefault(); }
    event.stopPropagation();
    select(el, storyPage() || !!el.closest("#compare-result"));
  });

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "Enter" || event.key === " ") {
      var el = event.target.closest && event.target.closest(".selectable[data-cites]");
      if (!el || el !== event.target) { return; }
      event.preventDefault();
      select(el, storyPage() || !!el.closest("#compare-result"));
      return;
    }
    var help = document.getElementById("shortcuts");
    if (event.key === "Escape") {
      if (help && help.open) { help.open = false; help.querySelector("summary").focus(); return; }
      clearAll();
      return;
    }
    if (!contradictions().length && event.key !== "?") { return; }
    if (event.key === "j" || event.key === "n") { event.preventDefault(); step(1); }
    else if (event.key === "k" || event.key === "p") { event.preventDefault(); step(-1); }
    else if (event.key === "?" && help) {
      event.preventDefault();
      help.open = !help.open;
      if (help.open) { help.scrollIntoView({ block: "nearest" }); }
      help.querySelector("summary").focus();
    }
  });
})();
