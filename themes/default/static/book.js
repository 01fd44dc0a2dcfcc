// kubebook reader: theme, keyboard navigation, copy buttons, search, flashcards, progress.
// Pages work without this file; everything here only adds. No network requests except the
// lazily loaded local search index.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var STORE = "kubebook-progress";
  // The 404 page has a <base> (so its links work from any depth), which would also send its
  // in-page links, such as the skip link, to the site's root: keep those on this page.
  if (document.querySelector("base")) {
    Array.prototype.forEach.call(document.querySelectorAll('a[href^="#"]'), function (a) {
      a.href = location.href.split("#")[0] + a.getAttribute("href");
    });
  }

  function load() {
    var p = null;
    try { p = JSON.parse(localStorage.getItem(STORE)); } catch (e) {}
    if (!p || typeof p !== "object") p = {};
    if (!p.questions || typeof p.questions !== "object") p.questions = {};
    if (!p.labs || typeof p.labs !== "object") p.labs = {};
    Object.keys(p.questions).forEach(function (id) { p.questions[id] = fromLeitner(p.questions[id]); });
    return p;
  }
  // Progress saved before SM-2 kept Leitner boxes (box n: due 2^n days after a "Knew it").
  // Box n becomes n correct answers in a row at the box's interval, with the starting ease;
  // when it is due stays as it was, so nothing a reader knew comes back early.
  function fromLeitner(q) {
    if (!q || typeof q !== "object" || typeof q.ef === "number") return q;
    var box = Math.max(0, Math.min(5, +q.box || 0));
    var known = q.state === "known" && box > 0;
    return { state: known ? "known" : "review", ef: 2.5, reps: known ? box : 0,
      interval: known ? Math.pow(2, box) : 0, due: typeof q.due === "number" ? q.due : 0, seen: q.seen || 0 };
  }
  function save(p) { try { localStorage.setItem(STORE, JSON.stringify(p)); } catch (e) {} }
  var progress = load();
  // Another tab may have saved since this page loaded: re-read before every change, so
  // one tab never overwrites what another recorded.
  function update(change) { progress = load(); change(progress); save(progress); }
  // Views of the progress repaint when another tab changes it, or when this page comes back
  // from the back/forward cache with what it showed before.
  // Each is kept with the element it paints (or null for the page's own): one that an edit
  // in `kubebook serve` took out of the page is dropped.
  var repaints = [];
  function onRepaint(node, f) { repaints.push({ node: node, f: f }); }
  function repaintAll() {
    progress = load();
    repaints = repaints.filter(function (r) { return !r.node || r.node.isConnected; });
    repaints.forEach(function (r) { r.f(); });
  }
  window.addEventListener("storage", function (e) { if (e.key === STORE || e.key === null) repaintAll(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) repaintAll(); });

  // One polite live region for short confirmations ("Copied", "Progress imported").
  var live = document.createElement("p");
  live.className = "visually-hidden"; live.setAttribute("aria-live", "polite"); live.id = "kb-live";
  document.body.appendChild(live);
  function announce(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }

  // ---- theme -------------------------------------------------------------------------
  var toggle = document.querySelector(".theme-toggle");
  function applyTheme(t) {
    document.documentElement.setAttribute("data-theme", t);
    // The button's name stays "Dark theme"; aria-pressed says whether it is on.
    if (toggle) toggle.setAttribute("aria-pressed", t === "dark" ? "true" : "false");
  }
  if (toggle) {
    toggle.hidden = false;
    applyTheme(document.documentElement.getAttribute("data-theme") || "light");
    // Until the reader picks a theme, follow the system's, also when it changes.
    var mq = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    if (mq && mq.addEventListener) {
      mq.addEventListener("change", function () {
        var chosen = null; try { chosen = localStorage.getItem("kubebook-theme"); } catch (e) {}
        if (!chosen) applyTheme(mq.matches ? "dark" : "light");
      });
    }
    toggle.addEventListener("click", function () {
      var next = document.documentElement.getAttribute("data-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem("kubebook-theme", next); } catch (e) {}
      applyTheme(next);
    });
  }

  // ---- sidebar on phones ---------------------------------------------------------------
  var navToggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  // The bar's real height (it wraps on phones): the drawer starts below it and anchors land
  // clear of it.
  var topbar = document.querySelector(".topbar");
  function fitBar() {
    if (!topbar) return;
    var h = topbar.getBoundingClientRect().height;
    document.documentElement.style.setProperty("--bar-h", h + "px");
    document.documentElement.style.scrollPaddingTop = (h + 12) + "px";
  }
  fitBar();
  window.addEventListener("resize", fitBar);
  function setDrawer(open) {
    sidebar.classList.toggle("open", open);
    document.body.classList.toggle("drawer-open", open);
    navToggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (navToggle && sidebar) {
    navToggle.hidden = false;
    navToggle.addEventListener("click", function () {
      setDrawer(!sidebar.classList.contains("open"));
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("open")) {
        setDrawer(false);
        navToggle.focus();
      }
    });
  }

  // ---- keyboard: ←/→ chapters, / search ---------------------------------------------------
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e)) return;
    // Arrow keys scroll a focused code block or table; chapters change only when focus is
    // on the page itself.
    var onPage = !e.target || e.target === document.body || e.target === document.documentElement
      || e.target.id === "main";
    if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && onPage) {
      var a = document.querySelector(e.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]");
      if (a) { e.preventDefault(); window.location.href = a.href; }
    } else if (e.key === "/") {
      var s = document.getElementById("search-input");
      if (s) { e.preventDefault(); s.focus(); }
    }
  });

  // ---- content features ------------------------------------------------------------------
  // Everything below that works on the text of a page runs from initContent(scopes): once for
  // the page's <main>, and again on the parts `kubebook serve` swaps in after an edit
  // (window.kubebook.refresh). Each step handles an element once (`fresh`), so running it again
  // never doubles a button or a listener; listeners on the window and document are bound once,
  // outside. Contract with the live-reload script: an element this script wraps around one of
  // the page's own gets data-kb-wrap, an element it adds beside them gets data-kb-added.
  var handled = typeof WeakSet === "function" ? new WeakSet() : null;
  function fresh(el) {
    if (!handled) { if (el.kbHandled) return false; el.kbHandled = true; return true; }
    if (handled.has(el)) return false;
    handled.add(el); return true;
  }
  // The elements matching SEL in the scopes, the scopes themselves included.
  function within(scopes, sel) {
    var out = [];
    scopes.forEach(function (s) {
      if (s.nodeType !== 1) return;
      if (s.matches(sel)) out.push(s);
      Array.prototype.push.apply(out, s.querySelectorAll(sel));
    });
    return out;
  }

  // ---- copy buttons --------------------------------------------------------------------
  function codeText(pre) {
    var cmds = pre.querySelectorAll(".cmd");
    if (cmds.length) {
      return Array.prototype.map.call(cmds, function (c) { return c.textContent; }).join("\n");
    }
    var code = pre.querySelector("code");
    return (code || pre).textContent;
  }
  function copy(text, button) {
    function done(ok) {
      button.textContent = ok ? "Copied" : "Copy failed";
      announce(ok ? "Copied to the clipboard" : "Could not copy");
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback(text)); });
    } else { done(fallback(text)); }
  }
  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
    document.body.appendChild(ta); ta.select();
    var ok = false; try { ok = document.execCommand("copy"); } catch (e) {}
    document.body.removeChild(ta); return ok;
  }
  // The button sits in a wrapper around the block, not in the block: a block that scrolls
  // sideways would carry it away with the text.
  function addCopyButtons(scopes) {
    within(scopes, "pre.code").forEach(function (pre) {
      if (pre.closest("details.expected") || !fresh(pre)) return;
      var wrap = document.createElement("div");
      wrap.className = "code-wrap"; wrap.setAttribute("data-kb-wrap", "");
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var b = document.createElement("button");
      b.type = "button"; b.className = "copy-button"; b.textContent = "Copy";
      b.title = "Copy to clipboard";
      b.addEventListener("click", function () { copy(codeText(pre), b); });
      wrap.appendChild(b);
    });
  }
  // The right end of a block's first line, as if the block were not scrolled.
  function firstLineRight(pre) {
    var code = pre.querySelector("code") || pre;
    var range = document.createRange();
    range.selectNodeContents(code);
    var walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) {
      var i = n.data.indexOf("\n");
      if (i >= 0) { range.setEnd(n, i); break; }
    }
    return range.getBoundingClientRect().right + pre.scrollLeft;
  }
  // A block whose first line reaches the button gets a header row for it (the line moves
  // down below the button); the others stay compact. The width is what decides it, so
  // adding the row never changes the answer. Measured first, then written: one layout.
  function padFirstLines(scopes) {
    var blocks = within(scopes, ".code-wrap").map(function (w) {
      return { pre: w.querySelector("pre.code"), button: w.querySelector(".copy-button") };
    }).filter(function (c) { return c.pre && c.button; });
    var pads = blocks.map(function (c) {
      return firstLineRight(c.pre) > c.button.getBoundingClientRect().left - 4;
    });
    blocks.forEach(function (c, i) { c.pre.classList.toggle("copy-pad", pads[i]); });
  }

  // ---- expected output: the matcher's placeholders marked and explained -------------------
  // The notation (src/lab/matcher.rs) stays as the book writes it, so a reader can compare it
  // with their terminal; each placeholder gets its meaning from the theme's legend template.
  var phTemplate = document.getElementById("kb-placeholders");
  // The legend lists every placeholder (rendered from the catalogue), so the pattern that
  // finds them is built from it: a line of its own for `...`, anywhere for the rest.
  var meaning = {}, alternatives = [];
  if (phTemplate && phTemplate.content) {
    Array.prototype.forEach.call(phTemplate.content.querySelectorAll("[data-ph]"), function (item) {
      var name = item.getAttribute("data-ph");
      meaning[name] = item.textContent.replace(name, "").trim();
      var escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      alternatives.push(item.hasAttribute("data-ph-line") ? "^" + escaped + "$" : escaped);
    });
  }
  var PH = alternatives.length ? new RegExp(alternatives.join("|"), "gm") : null;
  function markPlaceholders(scopes) {
    if (!PH) return;
    within(scopes, "details.expected pre.output code").forEach(function (code) {
      if (!fresh(code)) return;
      var text = code.textContent, last = 0, m;
      var frag = document.createDocumentFragment();
      PH.lastIndex = 0;
      while ((m = PH.exec(text))) {
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        var mark = document.createElement("span");
        mark.className = "ph"; mark.textContent = m[0]; mark.title = meaning[m[0]] || "";
        frag.appendChild(mark);
        last = m.index + m[0].length;
      }
      if (!last) return;
      frag.appendChild(document.createTextNode(text.slice(last)));
      code.textContent = "";
      code.appendChild(frag);
    });
  }
  // A lab's card lists the placeholders its expected outputs use. The card and its steps are
  // separate elements (an edit may replace either), so the legends are drawn from the whole page.
  function placeLegends() {
    var used = {};
    Array.prototype.forEach.call(document.querySelectorAll("details.expected pre.output code .ph"), function (mark) {
      var steps = mark.closest(".lab-steps");
      var lab = steps && steps.getAttribute("data-lab");
      if (lab) (used[lab] = used[lab] || {})[mark.textContent] = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".lab-card[data-lab]"), function (card) {
      var uses = used[card.getAttribute("data-lab")];
      var legend = null;
      if (uses) {
        legend = phTemplate.content.firstElementChild.cloneNode(true);
        Array.prototype.forEach.call(legend.querySelectorAll("[data-ph]"), function (item) {
          if (!uses[item.getAttribute("data-ph")]) item.parentNode.removeChild(item);
        });
      }
      var old = card.querySelector(":scope > .ph-legend");
      if (old && legend && old.isEqualNode(legend)) return;
      if (old) card.removeChild(old);
      if (legend) card.appendChild(legend);
    });
  }

  // ---- wide tables and code: reachable by keyboard when they scroll sideways -----------------
  function scrollables(scopes) {
    var els = within(scopes, "table, pre");
    // Measure everything first, then write: no layout per element.
    var wides = els.map(function (el) { return el.scrollWidth > el.clientWidth + 1; });
    els.forEach(function (el, i) {
      var wide = wides[i];
      if (wide && !el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); el.setAttribute("data-kb-scroll", ""); }
      else if (!wide && el.hasAttribute("data-kb-scroll")) { el.removeAttribute("tabindex"); el.removeAttribute("data-kb-scroll"); }
    });
  }
  var resizeTimer = null;
  var main = document.getElementById("main") || document.body;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(function () { padFirstLines([main]); scrollables([main]); }, 200); });
  // An opened <details> (expected output) may hold a wide block.
  document.addEventListener("toggle", function (e) { if (e.target.open) scrollables([e.target]); }, true);

  // ---- on-page TOC highlight ----------------------------------------------------------------
  // One observer for the page; an edit may replace headings or the TOC, so it starts over.
  var tocObserver = null;
  function watchToc() {
    if (!("IntersectionObserver" in window)) return;
    if (tocObserver) tocObserver.disconnect();
    var tocLinks = document.querySelectorAll(".toc a");
    if (!tocLinks.length) return;
    var byId = {};
    Array.prototype.forEach.call(tocLinks, function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    tocObserver = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (en.isIntersecting && byId[en.target.id]) {
          Array.prototype.forEach.call(tocLinks, function (a) { a.classList.remove("active"); });
          byId[en.target.id].classList.add("active");
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) { var h = document.getElementById(id); if (h) tocObserver.observe(h); });
  }

  // ---- flashcards ---------------------------------------------------------------------------
  // Spaced repetition: SM-2 (Wozniak, 1990). Each question keeps its ease factor (ef, from 2.5,
  // never below 1.3), its run of correct answers (reps) and the days until it is due again
  // (interval): 1 day after the first correct answer, 6 after the second, then the last
  // interval times ef. The buttons are SM-2 grades: "Review again" 2 (a miss: the run starts
  // over and the question is due at once), "Knew it" 4, "Easy" 5; each grade moves ef.
  var DAY = 86400000;
  var GRADES = { again: 2, knew: 4, easy: 5 };
  function qState(id) { return progress.questions[id] || null; }
  function schedule(prev, q, now) {
    var ef = prev && prev.ef ? prev.ef : 2.5;
    var reps = 0, interval = 0;
    if (q >= 3) {
      reps = (prev && prev.reps || 0) + 1;
      interval = reps === 1 ? 1 : reps === 2 ? 6 : Math.round((prev.interval || 6) * ef);
    }
    // The interval uses the ease as it was; the grade then changes it for the next one.
    ef = Math.max(1.3, ef + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02));
    return { state: q >= 3 ? "known" : "review", ef: Math.round(ef * 100) / 100, reps: reps,
      interval: interval, due: now + interval * DAY, seen: now };
  }
  function mark(id, grade) {
    update(function (p) { p.questions[id] = schedule(p.questions[id], GRADES[grade], Date.now()); });
  }
  var cardCount = 0;
  function setupCard(card) {
    var id = card.getAttribute("data-qid");
    var answer = card.querySelector(".qa-answer");
    var heading = card.querySelector("h2, h3");
    if (!id || !answer || !heading) return;
    // A question can appear twice on one page (summary chapters), so ids get a counter.
    var aid = answer.id || "qa-answer-" + (++cardCount);
    answer.id = aid;
    // The question's text becomes a button inside the heading: the heading stays a heading
    // for navigation, and the button is the one control, with its expanded state.
    var toggle = document.createElement("button");
    toggle.type = "button"; toggle.className = "qa-toggle";
    toggle.setAttribute("aria-controls", aid); toggle.setAttribute("aria-expanded", "false");
    var text = document.createElement("span");
    text.className = "qa-text";
    Array.prototype.slice.call(heading.childNodes).forEach(function (n) {
      if (!(n.nodeType === 1 && n.classList.contains("anchor"))) text.appendChild(n);
    });
    toggle.appendChild(text);
    // The visible cue; the button's name stays the question, its state says the rest.
    var hint = document.createElement("span");
    hint.className = "qa-hint"; hint.setAttribute("aria-hidden", "true");
    toggle.appendChild(hint);
    heading.appendChild(toggle);
    heading.classList.add("qa-question");
    // Grading comes after the answer: the buttons show only once it is revealed.
    var controls = document.createElement("div");
    controls.className = "qa-controls";
    var grade = document.createElement("span");
    grade.className = "qa-grade";
    var knew = document.createElement("button");
    knew.type = "button"; knew.className = "button secondary qa-knew"; knew.textContent = "Knew it";
    var again = document.createElement("button");
    again.type = "button"; again.className = "button secondary qa-again"; again.textContent = "Review again";
    var status = document.createElement("span");
    status.className = "qa-status"; status.setAttribute("aria-live", "polite");
    var easy = document.createElement("button");
    easy.type = "button"; easy.className = "button secondary qa-easy"; easy.textContent = "Easy";
    grade.appendChild(knew); grade.appendChild(again); grade.appendChild(easy);
    controls.appendChild(grade); controls.appendChild(status);
    answer.insertAdjacentElement("afterend", controls);
    function show(open) {
      card.classList.toggle("concealed", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      hint.textContent = open ? "Hide answer" : "Show answer";
      grade.hidden = !open;
    }
    card.kbShow = show;
    function paint() {
      var s = qState(id);
      card.setAttribute("data-state", s ? s.state : "new");
      status.textContent = s ? (s.state === "known" ? "Marked as known" : "Marked for review") : "";
    }
    show(false); paint(); onRepaint(card, paint);
    toggle.addEventListener("click", function () { show(card.classList.contains("concealed")); });
    function graded(g) { mark(id, g); paint(); card.dispatchEvent(new CustomEvent("kubebook:marked", { bubbles: true })); }
    knew.addEventListener("click", function () { graded("knew"); });
    again.addEventListener("click", function () { graded("again"); });
    easy.addEventListener("click", function () { graded("easy"); });
  }
  // A link to a question (a search hit, a shared URL) is a request to read its answer.
  function revealTarget() {
    var el = null;
    try { el = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) {}
    var card = el && el.closest(".qa[data-qid]");
    if (card && card.kbShow) card.kbShow(true);
  }
  // The one-page book shows every answer, as it does in print.
  var cardsOn = !document.body.classList.contains("print-page");
  function setupCards(scopes) {
    if (!cardsOn) return;
    within(scopes, ".qa[data-qid]").forEach(function (card) { if (fresh(card)) setupCard(card); });
  }
  if (cardsOn) window.addEventListener("hashchange", revealTarget);

  // ---- diagrams: each SVG opens full size (on a phone its labels are a few pixels high) -----
  function linkDiagrams(scopes) {
    within(scopes, 'img[src$=".svg"]').forEach(function (img) {
      if (img.closest("a") || !img.closest("main")) return;
      var a = document.createElement("a");
      a.href = img.getAttribute("src"); a.className = "figure-link"; a.title = "Open the diagram full size";
      img.parentNode.insertBefore(a, img);
      a.appendChild(img);
    });
  }

  // ---- labs: "Needs" items linked to their setup ---------------------------------------------
  var needsTemplate = document.getElementById("kb-needs");
  var setup = {};
  if (needsTemplate && needsTemplate.content) {
    Array.prototype.forEach.call(needsTemplate.content.querySelectorAll("a[data-need]"), function (a) {
      setup[a.getAttribute("data-need")] = a.getAttribute("href");
    });
  }
  function linkNeeds(scopes) {
    within(scopes, ".lab-requires code").forEach(function (code) {
      var href = setup[code.textContent.trim()];
      if (!href || code.closest("a")) return;
      var a = document.createElement("a");
      a.href = href; a.title = "How to set up " + code.textContent.trim();
      code.parentNode.insertBefore(a, code);
      a.appendChild(code);
    });
  }

  // ---- labs: mark as done -----------------------------------------------------------------
  function doneRow(card, id) {
    var label = document.createElement("label");
    label.className = "lab-done";
    var box = document.createElement("input");
    box.type = "checkbox"; box.className = "lab-done-box"; box.checked = !!progress.labs[id];
    label.appendChild(box); label.appendChild(document.createTextNode(" Mark this lab as done"));
    // Every card says the same, so the hidden part tells the labs apart for screen readers.
    var title = card.querySelector(".lab-title");
    if (title) {
      var which = document.createElement("span");
      which.className = "visually-hidden"; which.textContent = " (" + title.textContent + ")";
      label.appendChild(which);
    }
    var row = document.createElement("p");
    row.className = "lab-done-row"; row.setAttribute("data-kb-added", "");
    row.kbLab = id;
    row.appendChild(label);
    function paint() { box.checked = !!progress.labs[id]; card.classList.toggle("done", box.checked); }
    paint(); onRepaint(card, paint);
    box.addEventListener("change", function () {
      update(function (p) { if (box.checked) p.labs[id] = { done: Date.now() }; else delete p.labs[id]; });
      card.classList.toggle("done", box.checked);
    });
    return row;
  }
  // Each lab on the page has one "done" row, after the lab's last block. A new card gets a new
  // row (the old one belonged to the card it replaced); a row whose lab moved or went follows.
  function placeDoneRows() {
    var rows = {};
    Array.prototype.forEach.call(document.querySelectorAll("p.lab-done-row"), function (row) {
      var card = row.kbCard;
      if (!card || !card.isConnected || rows[row.kbLab]) { row.parentNode.removeChild(row); return; }
      rows[row.kbLab] = row;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".lab-card[data-lab]"), function (card) {
      var id = card.getAttribute("data-lab");
      var row = rows[id];
      if (row && row.kbCard !== card) { row.parentNode.removeChild(row); row = null; }
      if (!row) { row = doneRow(card, id); row.kbCard = card; }
      // Done is said after the steps: after the lab's last block on the page.
      var parts = document.querySelectorAll('[data-lab="' + id.replace(/["\\]/g, "\\$&") + '"]');
      var last = parts[parts.length - 1];
      if (last.nextSibling !== row) last.parentNode.insertBefore(row, last.nextSibling);
    });
  }

  // ---- all of the above, on a page's content or on the parts an edit replaced ---------------
  function initContent(scopes) {
    addCopyButtons(scopes);
    padFirstLines(scopes);
    markPlaceholders(scopes);
    if (phTemplate && phTemplate.content) placeLegends();
    scrollables(scopes);
    watchToc();
    setupCards(scopes);
    linkDiagrams(scopes);
    linkNeeds(scopes);
    placeDoneRows();
  }
  initContent([main]);
  if (cardsOn) revealTarget();

  // What a reader had open in the parts an edit replaces: answers shown, <details> opened,
  // found again by question id or summary text (and how many came before with the same).
  function openKeys(nodes) {
    var keys = {}, seen = {};
    within(nodes, ".qa[data-qid], details").forEach(function (el) {
      var k = el.tagName === "DETAILS"
        ? "d:" + ((el.querySelector("summary") || {}).textContent || "")
        : "q:" + el.getAttribute("data-qid");
      seen[k] = (seen[k] || 0) + 1;
      var open = el.tagName === "DETAILS" ? el.open : !el.classList.contains("concealed");
      if (open) keys[k + "#" + seen[k]] = true;
    });
    return keys;
  }
  function reopen(nodes, keys) {
    var seen = {};
    within(nodes, ".qa[data-qid], details").forEach(function (el) {
      var isDetails = el.tagName === "DETAILS";
      var k = isDetails ? "d:" + ((el.querySelector("summary") || {}).textContent || "") : "q:" + el.getAttribute("data-qid");
      seen[k] = (seen[k] || 0) + 1;
      if (!keys[k + "#" + seen[k]]) return;
      if (isDetails) el.open = true;
      else if (el.kbShow) el.kbShow(true);
    });
  }
  // For `kubebook serve`: it swaps the changed parts of a page in place of the old ones
  // (ADDED, in the page; REMOVED, taken out) and lets the script do the rest.
  window.kubebook = {
    refresh: function (added, removed) {
      var keys = removed ? openKeys(removed) : {};
      initContent(added);
      reopen(added, keys);
    }
  };

  // ---- practice page ------------------------------------------------------------------------
  var practice = document.querySelector(".practice-list");
  if (practice) {
    var controls = document.querySelector(".practice-controls");
    controls.hidden = false;
    var chapterSel = document.getElementById("practice-chapter");
    var orderSel = document.getElementById("practice-order");
    var count = document.querySelector(".practice-count");
    var items = Array.prototype.slice.call(practice.querySelectorAll(".practice-item"));
    items.forEach(function (li, i) { li.setAttribute("data-index", i); });
    function stateOf(li) { return qState(li.querySelector(".qa").getAttribute("data-qid")); }
    // Review first: questions due now, the longest overdue first (a miss is due at once), then
    // new questions in book order, then the rest by when they come due.
    function priority(li) {
      var s = stateOf(li);
      if (!s) return [1, 0];
      return [s.due <= Date.now() ? 0 : 2, s.due];
    }
    function byPriority(a, b) {
      var pa = priority(a), pb = priority(b);
      return pa[0] - pb[0] || pa[1] - pb[1] || a.getAttribute("data-index") - b.getAttribute("data-index");
    }
    function arrange() {
      var ch = chapterSel.value, order = orderSel.value;
      var visible = items.filter(function (li) { return !ch || li.getAttribute("data-chapter") === ch; });
      items.forEach(function (li) { li.hidden = visible.indexOf(li) < 0; });
      var sorted = visible.slice();
      if (order === "shuffle") {
        for (var i = sorted.length - 1; i > 0; i--) { var j = Math.floor(Math.random() * (i + 1)); var t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t; }
      } else if (order === "review") {
        sorted.sort(byPriority);
      } else {
        sorted.sort(function (a, b) { return a.getAttribute("data-index") - b.getAttribute("data-index"); });
      }
      sorted.forEach(function (li) { practice.appendChild(li); });
      recount();
    }
    onRepaint(null, recount);
    function recount() {
      var visible = items.filter(function (li) { return !li.hidden; });
      var mastered = visible.filter(function (li) { var s = qState(li.querySelector(".qa").getAttribute("data-qid")); return s && s.state === "known"; }).length;
      count.textContent = mastered + " of " + visible.length + " mastered";
      // A no-break space keeps the line's height when nothing is scheduled: no layout shift.
      dueOut.textContent = dueText(visible) || "\u00a0";
    }
    // The template keeps a line for it (older themes get one here).
    var dueOut = document.querySelector(".practice-due");
    if (!dueOut) {
      dueOut = document.createElement("span");
      dueOut.className = "practice-due";
      count.parentNode.insertBefore(dueOut, count.nextSibling);
    }
    // "3 due today" (by the end of the reader's day), or when the next one is.
    function dueText(visible) {
      var now = Date.now(), end = new Date(now); end.setHours(24, 0, 0, 0);
      var today = 0, next = Infinity;
      visible.forEach(function (li) {
        var s = stateOf(li);
        if (!s) return;
        if (s.due < end.getTime()) today++;
        else next = Math.min(next, s.due);
      });
      if (today) return today + " due today";
      if (next === Infinity) return "";
      var days = Math.ceil((next - now) / DAY);
      return "Next due in " + days + (days === 1 ? " day" : " days");
    }
    // The drill's settings survive a reload: filter, order, one card at a time.
    var PREFS = "kubebook-practice";
    var singleBox = document.getElementById("practice-single");
    var sessionOut = document.querySelector(".practice-session");
    var reviewed = 0, current = 0;
    function hasOption(sel, v) { return Array.prototype.some.call(sel.options, function (o) { return o.value === v; }); }
    try {
      var prefs = JSON.parse(localStorage.getItem(PREFS)) || {};
      if (typeof prefs.chapter === "string" && hasOption(chapterSel, prefs.chapter)) chapterSel.value = prefs.chapter;
      if (typeof prefs.order === "string" && hasOption(orderSel, prefs.order)) orderSel.value = prefs.order;
      if (singleBox) singleBox.checked = !!prefs.single;
    } catch (e) {}
    function savePrefs() {
      try { localStorage.setItem(PREFS, JSON.stringify({ chapter: chapterSel.value, order: orderSel.value, single: !!(singleBox && singleBox.checked) })); } catch (e) {}
    }
    function shown() { return Array.prototype.filter.call(practice.children, function (li) { return !li.hidden; }); }
    // One card at a time: only the current one of the arranged list is on screen.
    function paintSingle() {
      var single = !!(singleBox && singleBox.checked), list = shown();
      practice.classList.toggle("single", single);
      if (current >= list.length) current = Math.max(0, list.length - 1);
      list.forEach(function (li, i) { li.classList.toggle("current", i === current); });
      if (sessionOut) {
        sessionOut.textContent = (single && list.length ? "Card " + (current + 1) + " of " + list.length + " · " : "") +
          reviewed + " reviewed this session";
      }
    }
    function rearrange() { current = 0; savePrefs(); arrange(); paintSingle(); }
    chapterSel.addEventListener("change", rearrange);
    orderSel.addEventListener("change", rearrange);
    if (singleBox) singleBox.addEventListener("change", function () { savePrefs(); paintSingle(); });
    practice.addEventListener("kubebook:marked", function (e) {
      recount();
      reviewed++;
      // Keyboard drill: after "Knew it" / "Review again", go on to the next question.
      var li = e.target.closest(".practice-item"), list = shown(), at = list.indexOf(li);
      if (at >= 0 && at + 1 < list.length) current = at + 1;
      paintSingle();
      var next = at >= 0 ? list[at + 1] : null;
      var q = next && next.querySelector(".qa-toggle");
      if (q) q.focus();
    });
    arrange();
    paintSingle();
  }

  // ---- progress as a file: export / import (index and practice pages) ---------------------
  function bindProgressFile(scope) {
    var exportButton = scope.querySelector("[data-action=export-progress]");
    var importInput = scope.querySelector("[data-action=import-progress]");
    if (exportButton) exportButton.addEventListener("click", function () {
      progress = load();
      var blob = new Blob([JSON.stringify({ kubebook: 1, progress: progress }, null, 2)], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = "kubebook-progress.json";
      document.body.appendChild(a); a.click(); document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
    if (importInput) importInput.addEventListener("change", function () {
      var f = importInput.files && importInput.files[0]; if (!f) return;
      f.text().then(function (t) {
        var data = JSON.parse(t);
        var p = data && data.kubebook === 1 && data.progress;
        if (!p || typeof p !== "object") throw new Error("not a kubebook progress file");
        var q = p.questions && typeof p.questions === "object" ? p.questions : {};
        var l = p.labs && typeof p.labs === "object" ? p.labs : {};
        save({ questions: q, labs: l }); repaintAll();
        announce("Progress imported");
      }).catch(function (err) { alert("Could not import: " + err.message); })
        .then(function () { importInput.value = ""; });
    });
  }
  var practiceFile = document.querySelector(".practice-file");
  if (practiceFile) bindProgressFile(practiceFile);

  // ---- index: progress per chapter, export / import / reset ---------------------------------
  var panel = document.querySelector(".progress-panel");
  if (panel) {
    panel.hidden = false;
    function paintIndex() {
      var totalQ = 0, knownQ = 0, totalL = 0, doneL = 0;
      Array.prototype.forEach.call(document.querySelectorAll(".chapter-card"), function (card) {
        var stem = card.getAttribute("data-chapter");
        var nq = +card.getAttribute("data-questions"), nl = +card.getAttribute("data-labs");
        var kq = Object.keys(progress.questions).filter(function (k) {
          var q = progress.questions[k];
          return k.indexOf(stem + "/") === 0 && q && q.state === "known";
        }).length;
        var labIds = (card.getAttribute("data-lab-ids") || "").split(" ").filter(Boolean);
        var dl = labIds.filter(function (l) { return progress.labs[l]; }).length;
        totalQ += nq; knownQ += Math.min(kq, nq); totalL += nl; doneL += Math.min(dl, nl);
        var out = card.querySelector(".card-progress");
        if (out) out.textContent = (kq || dl) ? " · " + dl + "/" + nl + " labs done, " + kq + "/" + nq + " questions mastered" : "";
      });
      panel.querySelector(".progress-summary").textContent =
        doneL + " of " + totalL + " labs done · " + knownQ + " of " + totalQ + " questions mastered.";
    }
    paintIndex(); onRepaint(null, paintIndex);
    bindProgressFile(panel);
    panel.querySelector("[data-action=reset-progress]").addEventListener("click", function () {
      if (!confirm("Forget all progress (labs done and questions mastered)?")) return;
      save({ questions: {}, labs: {} }); repaintAll();
      announce("Progress reset");
    });
  }

  // ---- search --------------------------------------------------------------------------------
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (input && results) {
    input.disabled = false;
    var index = null, loading = false, selected = -1, pending = null;
    // What the user typed while the index was still loading runs once it is there.
    function ensureIndex(cb) {
      if (index) return cb();
      pending = cb;
      if (loading) return;
      loading = true;
      var s = document.createElement("script");
      s.src = document.body.getAttribute("data-search");
      s.onload = function () {
        index = window.KUBEBOOK_SEARCH;
        if (!index) return s.onerror();
        prepare();
        var f = pending; pending = null; if (f) f();
      };
      s.onerror = function () { loading = false; message("The search index could not be loaded."); };
      document.head.appendChild(s);
    }
    function message(text) {
      results.removeAttribute("role"); results.removeAttribute("aria-label");
      results.hidden = false; input.setAttribute("aria-expanded", "false");
      results.innerHTML = '<p class="sr-empty" role="status">' + esc(text) + '</p>';
    }
    function close() {
      results.hidden = true; selected = -1;
      input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
    }
    // The index's layout (written by site::search_index): chapters: [[label, page]],
    // docs: [[chapter index, section title, anchor, text]]; lt/lx: the lowercased title/text.
    function prepare() {
      index.docs.forEach(function (d) { d.lt = d[1].toLowerCase(); d.lx = d[3].toLowerCase(); });
    }
    function esc(s) { return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
    function terms(q) { return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; }); }
    // The short names kubectl accepts (and readers type) for the kinds the book spells out.
    var SYNONYMS = {
      netpol: ["networkpolic", "network polic"], pvc: ["persistentvolumeclaim", "persistent volume claim", "pvc"], pv: ["persistentvolume"],
      hpa: ["horizontalpodautoscaler", "horizontal pod autoscal", "hpa"], vpa: ["verticalpodautoscaler"], sts: ["statefulset"],
      ds: ["daemonset"], rs: ["replicaset"], cm: ["configmap"], svc: ["service"], ns: ["namespace"],
      deploy: ["deployment"], sa: ["serviceaccount"], crd: ["customresourcedefinition"],
      pdb: ["poddisruptionbudget"], k8s: ["kubernetes"]
    };
    // Light stemming: matching is by substring, so a word's stem finds its other forms
    // (crashing → crash finds CrashLoopBackOff, crashes, crashed).
    function stem(t) {
      if (t.length <= 4) return t;
      var m = t.match(/^(.{3,}?)(ies|ing|ed|es|s)$/);
      if (!m) return t;
      var base = m[2] === "ies" ? m[1] + "y" : m[1];
      // running → run, stopped → stop
      if (/(.)\1$/.test(base) && !/(ss|ll)$/.test(base)) base = base.slice(0, -1);
      return base.length >= 3 ? base : t;
    }
    // Each query word as the strings that may stand for it, best first.
    function forms(t) {
      // An abbreviation stands for its kinds only: as a substring, "sts" is in "requests".
      if (SYNONYMS[t]) return SYNONYMS[t];
      var f = [t], st = stem(t);
      if (st !== t) f.push(st);
      return f;
    }
    function termScore(d, alts) {
      var best = 0;
      for (var k = 0; k < alts.length; k++) {
        var t = alts[k], inTitle = d.lt.indexOf(t) >= 0, n = 0, p = d.lx.indexOf(t);
        while (p >= 0 && n < 20) { n++; p = d.lx.indexOf(t, p + t.length); }
        // The word as typed counts a little more than its stem or synonym.
        var s = (inTitle || n) ? ((inTitle ? 10 : 0) + Math.log(1 + n)) * (k === 0 ? 1 : 0.9) : 0;
        if (s > best) best = s;
      }
      return best;
    }
    // All words must match (AND); with `any`, each word that matches adds (OR).
    function score(d, ts, any) {
      var s = 0, matched = 0;
      for (var i = 0; i < ts.length; i++) {
        var w = termScore(d, ts[i]);
        if (!w && !any) return 0;
        if (w) matched++;
        s += w;
      }
      return any ? s * matched / ts.length : s;
    }
    function snippet(text, ts) {
      var lower = text.toLowerCase(), at = -1;
      for (var i = 0; i < ts.length && at < 0; i++) at = lower.indexOf(ts[i]);
      var start = Math.max(0, at - 60), piece = text.slice(start, start + 180), low = piece.toLowerCase();
      // Mark the matches in the plain text, then escape: marking escaped HTML would split
      // entities such as &amp; when a term is "amp".
      var marks = [];
      ts.forEach(function (t) {
        for (var p = low.indexOf(t); p >= 0; p = low.indexOf(t, p + t.length)) marks.push([p, p + t.length]);
      });
      marks.sort(function (a, b) { return a[0] - b[0]; });
      var html = "", pos = 0;
      marks.forEach(function (m) {
        if (m[1] <= pos) return;
        var from = Math.max(m[0], pos);
        html += esc(piece.slice(pos, from)) + "<mark>" + esc(piece.slice(from, m[1])) + "</mark>";
        pos = m[1];
      });
      html += esc(piece.slice(pos));
      return (start > 0 ? "… " : "") + html + (start + 180 < text.length ? " …" : "");
    }
    function run() {
      var words = terms(input.value);
      close();
      if (!words.length) return;
      var ts = words.map(forms);
      var hits = [];
      index.docs.forEach(function (d) { var s = score(d, ts); if (s > 0) hits.push([s, d]); });
      hits.sort(function (a, b) { return b[0] - a[0]; });
      // Every word together found (almost) nothing: add the sections that match some of them,
      // after the full matches.
      if (hits.length <= 1 && ts.length > 1) {
        var more = [];
        index.docs.forEach(function (d) {
          if (hits.some(function (h) { return h[1] === d; })) return;
          var s = score(d, ts, true); if (s > 0) more.push([s, d]);
        });
        more.sort(function (a, b) { return b[0] - a[0]; });
        hits = hits.concat(more);
      }
      hits = hits.slice(0, 12);
      ts = ts.reduce(function (all, f) { return all.concat(f); }, []);
      if (!hits.length) { message("No results for “" + input.value + "”."); return; }
      results.setAttribute("role", "listbox"); results.setAttribute("aria-label", "Search results");
      results.hidden = false; input.setAttribute("aria-expanded", "true");
      results.innerHTML = hits.map(function (h, i) {
        var d = h[1], ch = index.chapters[d[0]];
        var href = root + ch[1] + (d[2] ? "#" + d[2] : "");
        return '<a role="option" id="sr-' + i + '" href="' + esc(href) + '"><span class="sr-where">' + esc(ch[0]) + '</span>' +
          '<span class="sr-title">' + esc(d[1]) + '</span><span class="sr-snippet">' + snippet(d[3], ts) + '</span></a>';
      }).join("");
    }
    function move(delta) {
      var opts = results.querySelectorAll("a");
      if (!opts.length) return;
      selected = (selected + delta + opts.length) % opts.length;
      Array.prototype.forEach.call(opts, function (o, i) { o.setAttribute("aria-selected", i === selected ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[selected].id);
      opts[selected].scrollIntoView({ block: "nearest" });
    }
    input.addEventListener("focus", function () { ensureIndex(function () { if (input.value) run(); }); });
    input.addEventListener("input", function () { ensureIndex(run); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter") {
        var opts = results.hidden ? [] : results.querySelectorAll("a");
        var pick = opts[selected >= 0 ? selected : 0];
        if (pick) { e.preventDefault(); window.location.href = pick.href; }
      } else if (e.key === "Escape") { close(); input.blur(); }
    });
    document.addEventListener("click", function (e) { if (!results.contains(e.target) && e.target !== input) close(); });
  }
})();
