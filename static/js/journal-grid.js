/* Журнал: ввод с клавиатуры, как в электронной таблице.
 *
 * On every grid (read-only too): the scroll padding is set to the measured sticky parts
 * (header row, names, «Ср.»/«Пр.») and the box opens on the newest lesson up to today,
 * fully visible between them, with the first visible column starting at the names' edge.
 *
 * On grids the person may edit ([data-journal-grid]): the current cell is outlined; a
 * mark of the school's scale (data-marks, from School.mark_scale) or an attendance letter
 * (н б у о, also the same keys on a Latin layout) is saved at once through htmx to the
 * cell endpoint, which answers with the cell re-rendered and the row's average out of
 * band. Arrows, Tab/Shift+Tab and Enter move; Delete/Backspace clears; «h» opens the
 * cell's history; «?» the key help. No inline handlers: the CSP forbids them.
 */
(function () {
  "use strict";

  var grid = document.querySelector(".jbox > .jgrid");
  if (!grid) {
    return;
  }
  var gridBox = grid.parentElement;
  var lessonHeads = Array.prototype.slice.call(
    grid.tHead.querySelectorAll("th.jh:not(.jh--name)")
  );

  // The widths of what stays in place while the lessons scroll: the names on the left, the
  // summaries on the right (sticky on wide screens only), the header row on top.
  function stickyEdges() {
    var head = grid.tHead.rows[0];
    var firstRow = grid.tBodies[0] && grid.tBodies[0].rows[0];
    var right = 0;
    (firstRow ? firstRow.querySelectorAll(".jsum") : []).forEach(function (td) {
      if (window.getComputedStyle(td).position === "sticky") {
        right += td.getBoundingClientRect().width;
      }
    });
    return {
      left: head.cells[0].getBoundingClientRect().width,
      right: right,
      top: head.getBoundingClientRect().height,
    };
  }

  function revealNewest() {
    var edges = stickyEdges();
    // Keyboard moves (scrollIntoView) keep a cell clear of the sticky parts.
    gridBox.style.scrollPaddingLeft = edges.left + "px";
    gridBox.style.scrollPaddingRight = edges.right + "px";
    gridBox.style.scrollPaddingTop = edges.top + "px";
    var current = lessonHeads.findIndex(function (th) {
      return th.hasAttribute("data-current");
    });
    if (current < 0) {
      return;
    }
    // x = 0 at the left edge of the scrolled content, in viewport pixels.
    var origin = gridBox.getBoundingClientRect().left + gridBox.clientLeft - gridBox.scrollLeft;
    var right = lessonHeads[current].getBoundingClientRect().right - origin;
    var least = Math.ceil(right - (gridBox.clientWidth - edges.right));
    if (least <= 0) {
      gridBox.scrollLeft = 0;
      return;
    }
    // Start the visible lessons at a column's edge: no badge half hidden under the names.
    var target = least;
    for (var i = 0; i < lessonHeads.length; i++) {
      var left = Math.round(lessonHeads[i].getBoundingClientRect().left - origin - edges.left);
      if (left >= least) {
        target = left;
        break;
      }
    }
    gridBox.scrollLeft = target;
  }

  revealNewest();

  var table = document.querySelector("[data-journal-grid]");
  if (!table || !window.htmx) {
    return;
  }
  var body = table.tBodies[0];
  var cellUrl = table.dataset.cellUrl;
  var historyUrl = table.dataset.historyUrl;
  var statusLine = document.getElementById("grid-status");
  var help = document.getElementById("grid-help");
  var side = document.getElementById("side-panel");
  var sideBody = document.getElementById("side-panel-body");
  var reasonInput = document.getElementById("change-reason");

  // The school's marks (School.mark_scale): other digits are refused here, with the hint.
  var MARKS = {};
  (table.dataset.marks || "").split(" ").forEach(function (mark) {
    if (mark) {
      MARKS[mark] = true;
    }
  });
  var marksHint = table.dataset.marksHint || "";
  var LETTERS = { "н": true, "б": true, "у": true, "о": true };
  // The same physical keys on a Latin layout: Й Ц У К Е Н -> Q W E R T Y.
  var BY_CODE = { KeyY: "н", Comma: "б", KeyE: "у", KeyJ: "о" };

  var columnCount = body.rows.length ? body.rows[0].querySelectorAll("td.jc").length : 0;
  var pos = { r: 0, c: 0 };
  var inflight = {}; // cell id -> true while its save is on the way
  var queued = {}; // cell id -> text typed while a save of that cell was on the way

  if (!columnCount) {
    return;
  }

  function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
  }

  function cellAt(r, c) {
    var row = body.rows[r];
    return row ? row.cells[c + 1] : null; // cells[0] is the student's name
  }

  function coordsOf(td) {
    return { r: td.parentElement.sectionRowIndex, c: td.cellIndex - 1 };
  }

  function studentName(r) {
    var th = body.rows[r] && body.rows[r].cells[0];
    var name = th && th.querySelector(".jname__t");
    return name ? name.textContent.trim() : "";
  }

  function columnDate(c) {
    var th = table.tHead.rows[0].cells[c + 1];
    var link = th && th.querySelector(".jh__date");
    return link ? link.textContent.trim() : "";
  }

  function say(text, isError) {
    if (!statusLine) {
      return;
    }
    statusLine.textContent = text || "";
    statusLine.classList.toggle("gridstatus--error", Boolean(isError));
  }

  function markCurrent(td, focus) {
    td.tabIndex = 0;
    td.classList.add("jc--cur");
    td.parentElement.classList.add("jrow--cur");
    if (focus) {
      td.focus({ preventScroll: true });
      td.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  function moveTo(r, c, focus) {
    r = clamp(r, 0, body.rows.length - 1);
    c = clamp(c, 0, columnCount - 1);
    var previous = cellAt(pos.r, pos.c);
    if (previous) {
      previous.tabIndex = -1;
      previous.classList.remove("jc--cur");
      previous.parentElement.classList.remove("jrow--cur");
    }
    pos = { r: r, c: c };
    var td = cellAt(r, c);
    if (td) {
      markCurrent(td, focus !== false);
    }
  }

  function urlFor(template, td) {
    var parts = td.id.slice(1).split("-"); // c<student>-<lesson>-<position>
    return template
      .replace("{student}", parts[0])
      .replace("{lesson}", parts[1])
      .replace("{position}", parts[2]);
  }

  function draw(td, text) {
    td.textContent = "";
    if (!text) {
      return;
    }
    var span = document.createElement("span");
    if (MARKS[text]) {
      span.className = "mark mark--" + text;
    } else {
      span.className = "absence";
    }
    span.textContent = text;
    td.appendChild(span);
  }

  function setState(td, state) {
    td.classList.remove("jc--saving", "jc--saved", "jc--error");
    if (state) {
      td.classList.add("jc--" + state);
    }
  }

  function describe(td, text) {
    var where = coordsOf(td);
    return studentName(where.r) + ", " + columnDate(where.c) + ": " + (text || "пусто");
  }

  function type(td, text) {
    if (!td.dataset.l) {
      say(td.title || "В эту ячейку писать нельзя.", true);
      return;
    }
    draw(td, text);
    td.removeAttribute("title");
    setState(td, "saving");
    say("Сохраняется: " + describe(td, text));
    save(td.id, text);
  }

  function save(id, text) {
    if (inflight[id]) {
      queued[id] = text;
      return;
    }
    var td = document.getElementById(id);
    if (!td) {
      return;
    }
    inflight[id] = true;
    var values = {
      text: text,
      mark_version: td.dataset.mv || "0",
      attendance_version: td.dataset.av || "0",
      reason: reasonInput ? reasonInput.value : "",
      summary: "1",
    };
    window.htmx
      .ajax("POST", urlFor(cellUrl, td), {
        source: td,
        target: td,
        // No settle delay: the new cell's classes and versions are in place when the
        // promise resolves (htmx would otherwise keep the old attributes for 20 ms).
        swap: "outerHTML settle:0ms",
        values: values,
      })
      .then(
        function () {
          finished(id, text, false);
        },
        function () {
          finished(id, text, true);
        }
      );
  }

  function finished(id, text, networkFailed) {
    inflight[id] = false;
    var td = document.getElementById(id);
    if (!td) {
      return;
    }
    var where = coordsOf(td);
    if (where.r === pos.r && where.c === pos.c) {
      markCurrent(td, document.activeElement === td || document.activeElement === document.body);
    }
    if (networkFailed) {
      setState(td, "error");
      td.title = "Нет связи с сервером: «" + (text || "пусто") + "» не сохранено. Наберите ещё раз.";
      say(td.title, true);
    } else if (td.classList.contains("jc--error")) {
      say(td.dataset.message || td.title, true);
    } else {
      say("Сохранено: " + describe(td, td.textContent.trim()));
    }
    if (Object.prototype.hasOwnProperty.call(queued, id)) {
      var next = queued[id];
      delete queued[id];
      draw(td, next);
      setState(td, "saving");
      save(id, next);
    }
  }

  function typedText(event) {
    var key = event.key.length === 1 ? event.key.toLowerCase() : "";
    if (MARKS[key] || LETTERS[key]) {
      return key;
    }
    if (!event.shiftKey && BY_CODE[event.code] && /^[a-z,]$/i.test(event.key)) {
      return BY_CODE[event.code];
    }
    return null;
  }

  function toggleHelp(show) {
    if (!help) {
      return;
    }
    var open = typeof show === "boolean" ? show : help.hidden;
    help.hidden = !open;
    document.querySelectorAll("[data-help-toggle][aria-expanded]").forEach(function (button) {
      button.setAttribute("aria-expanded", String(open));
    });
  }

  function closePanels() {
    toggleHelp(false);
    if (side) {
      side.hidden = true;
    }
  }

  function openHistory(td) {
    if (!side || !historyUrl) {
      return;
    }
    window.htmx
      .ajax("GET", urlFor(historyUrl, td), { target: sideBody, swap: "innerHTML" })
      .then(function () {
        side.hidden = false;
        say("История ячейки открыта справа. Esc — закрыть.");
      });
  }

  table.addEventListener("keydown", function (event) {
    var td = event.target.closest ? event.target.closest("td.jc") : null;
    if (!td || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    switch (event.key) {
      case "ArrowLeft":
        moveTo(pos.r, pos.c - 1);
        break;
      case "ArrowRight":
        moveTo(pos.r, pos.c + 1);
        break;
      case "ArrowUp":
        moveTo(pos.r - 1, pos.c);
        break;
      case "ArrowDown":
        moveTo(pos.r + 1, pos.c);
        break;
      case "Enter":
        moveTo(pos.r + (event.shiftKey ? -1 : 1), pos.c);
        break;
      case "Tab":
        if (event.shiftKey ? pos.c === 0 : pos.c === columnCount - 1) {
          return; // leave the grid: no keyboard trap
        }
        moveTo(pos.r, pos.c + (event.shiftKey ? -1 : 1));
        break;
      case "Home":
        moveTo(pos.r, 0);
        break;
      case "End":
        moveTo(pos.r, columnCount - 1);
        break;
      case "Delete":
      case "Backspace":
        type(td, "");
        break;
      case "Escape":
        closePanels();
        break;
      case "?":
        toggleHelp();
        break;
      default: {
        var text = typedText(event);
        if (text !== null) {
          type(td, text);
        } else if (/^[0-9]$/.test(event.key)) {
          say(marksHint, true);
        } else if (event.code === "KeyH" && !event.shiftKey) {
          openHistory(td);
        } else {
          return;
        }
      }
    }
    event.preventDefault();
  });

  table.addEventListener("click", function (event) {
    var td = event.target.closest ? event.target.closest("td.jc") : null;
    if (td) {
      var where = coordsOf(td);
      moveTo(where.r, where.c);
    }
  });

  table.addEventListener("focusin", function (event) {
    var td = event.target.closest ? event.target.closest("td.jc") : null;
    if (td) {
      var where = coordsOf(td);
      if (where.r !== pos.r || where.c !== pos.c) {
        moveTo(where.r, where.c, false);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    var inField = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (event.key === "Escape") {
      closePanels();
      if (!inField) {
        var td = cellAt(pos.r, pos.c);
        if (td) {
          td.focus({ preventScroll: true });
        }
      }
    } else if (event.key === "?" && !inField && !table.contains(event.target)) {
      toggleHelp();
      event.preventDefault();
    }
  });

  document.querySelectorAll("[data-help-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      toggleHelp();
    });
  });
  document.querySelectorAll("[data-panel-close]").forEach(function (button) {
    button.addEventListener("click", function () {
      side.hidden = true;
      var td = cellAt(pos.r, pos.c);
      if (td) {
        td.focus({ preventScroll: true });
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var waiting = Object.keys(inflight).some(function (id) {
      return inflight[id];
    });
    if (waiting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // The current cell starts in today's column (the last lesson up to today), which
  // revealNewest() has already scrolled into view.
  var current = lessonHeads.findIndex(function (th) {
    return th.hasAttribute("data-current");
  });
  pos = { r: 0, c: current >= 0 ? current : 0 };
  var start = cellAt(pos.r, pos.c);
  if (start) {
    markCurrent(start, false);
  }
})();
