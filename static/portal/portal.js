// Progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  // The visitor's own time zone, from the browser, for any field asking for it.
  var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("[data-detect-time-zone]").forEach(function (select) {
    if (select.value === "UTC" && browserZone && select.querySelector('option[value="' + browserZone + '"]')) {
      select.value = browserZone;
    }
  });

  // The browser's time as the server writes moments (portal/presentation.py): "6 Dec 2026,
  // 16:18 Europe/Paris" / "2026年12月6日 16:18 Europe/Paris", naming the zone once.
  var momentLocale = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang;
  document.querySelectorAll("[data-local-time]").forEach(function (node) {
    var moment = new Date(node.getAttribute("data-local-time"));
    node.textContent = moment.toLocaleString(momentLocale, {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    }) + " " + browserZone;
  });

  function renderCountdown(node) {
    var left = new Date(node.getAttribute("data-countdown")) - new Date();
    if (left <= 0) {
      node.textContent = node.getAttribute("data-closed-text");
      return false;
    }
    var units = node.getAttribute("data-units").split(" ");
    var seconds = Math.floor(left / 1000);
    var parts = [Math.floor(seconds / 86400), Math.floor(seconds / 3600) % 24,
                 Math.floor(seconds / 60) % 60, seconds % 60];
    node.textContent = parts.map(function (value, i) { return value + " " + units[i]; }).join(" ");
    return true;
  }
  document.querySelectorAll("[data-countdown]").forEach(function (node) {
    if (renderCountdown(node)) {
      var timer = setInterval(function () { if (!renderCountdown(node)) { clearInterval(timer); } }, 1000);
    }
  });

  // The letter form: show only the technical fields the chosen cooperation mode asks for.
  var modeFields = document.getElementById("mode-technical-fields");
  var modeSelect = document.getElementById("id_mode");
  if (modeFields && modeSelect) {
    var fieldsByMode = JSON.parse(modeFields.textContent);
    var showModeFields = function () {
      var wanted = fieldsByMode[modeSelect.value] || [];
      document.querySelectorAll(".technical-field").forEach(function (wrapper) {
        var name = wrapper.className.match(/field-(\w+)/)[1];
        wrapper.classList.toggle("d-none", wanted.indexOf(name) === -1);
      });
    };
    modeSelect.addEventListener("change", showModeFields);
    showModeFields();
  }

  // A second click must not send a form twice (the server refuses replays too).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  // Progress bars carry "done/total"; the width is set here because inline styles are not allowed.
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    var parts = bar.getAttribute("data-progress").split("/");
    var total = Number(parts[1]);
    bar.style.width = (total > 0 ? (100 * Number(parts[0])) / total : 0) + "%";
  });

  // After a failed submit, the keyboard and the screen reader start at the list of errors.
  var errorSummary = document.querySelector(".error-summary");
  if (errorSummary) {
    errorSummary.focus();
  }

  // A table wider than its box scrolls inside it: the box takes the keyboard's focus (to scroll
  // with the arrow keys) and is named after its table, only while it does scroll.
  var tableName = function (box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return (table && table.getAttribute("aria-label")) || (caption && caption.textContent.trim()) ||
      (heading && heading.textContent.trim()) || document.title;
  };
  var markScrollingTables = function () {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box));
        box.setAttribute("data-scrolls", "");
      } else if (box.hasAttribute("data-scrolls")) {
        box.removeAttribute("data-scrolls");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  };
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);

  // A page watching work done in the background reloads itself until the work is finished.
  var refreshing = document.querySelector("[data-refresh-seconds]");
  if (refreshing) {
    setTimeout(function () { window.location.reload(); },
               1000 * Number(refreshing.getAttribute("data-refresh-seconds")));
  }
})();
