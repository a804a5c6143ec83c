/* Enhancements only: every page works without this file.
   - filters apply as soon as they change (focus comes back to the changed control after the reload);
   - shared URLs carry only the parameters that are set;
   - the search box suggests course titles (/api/v1/suggest) as an ARIA combobox. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("search-form");
  if (!form) { return; }
  var FOCUS_KEY = "mooc-filter-focus";

  function submitClean() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value === "" || (name === "sort" && value === "relevance")) { return; }
      params.append(name, value);
    });
    var query = params.toString();
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitClean();
  });

  var filters = document.getElementById("filters");
  if (filters) {
    filters.classList.add("autosubmit");
    var narrow = window.matchMedia && window.matchMedia("(max-width: 52rem)").matches;
    if (narrow && !filters.querySelector("input[type=checkbox]:checked, input[type=radio]:checked:not([value=''])")) {
      filters.open = false;
    }
    filters.addEventListener("change", function (event) {
      var target = event.target;
      if (!target.name) { return; }
      try {
        sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ name: target.name, value: target.value }));
      } catch (e) { /* private mode: focus is not restored */ }
      submitClean();
    });
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { saved = null; }
    if (saved) {
      var controls = filters.querySelectorAll("input, select");
      for (var i = 0; i < controls.length; i++) {
        var control = controls[i];
        if (control.name === saved.name && (control.tagName === "SELECT" || control.value === saved.value)) {
          var more = control.closest("details.more");
          if (more) { more.open = true; }
          filters.open = true;
          control.focus();
          break;
        }
      }
    }
  }

  // --- autocomplete -----------------------------------------------------------------------------
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  var status = document.getElementById("q-status");
  if (!input || !list || !window.fetch) { return; }
  var endpoint = input.getAttribute("data-suggest");
  var active = -1;
  var items = [];
  var latest = 0;
  var timer = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function courseUrl(id) {
    return "/courses/" + encodeURIComponent(id).replace(/%3A/gi, ":").replace(/%2B/gi, "+");
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(suggestions) {
    close();
    if (!suggestions.length) {
      status.textContent = input.getAttribute("data-msg-none") || "";
      return;
    }
    suggestions.forEach(function (suggestion, i) {
      var item = document.createElement("li");
      item.id = "q-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = suggestion.title;   // text, never markup
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.assign(courseUrl(suggestion.id));
      });
      item.setAttribute("data-href", courseUrl(suggestion.id));
      list.appendChild(item);
      items.push(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = input.getAttribute("data-msg-results") || "";
  }

  function lookup() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    var ticket = ++latest;
    fetch(endpoint + "?" + new URLSearchParams({ q: text, size: "8" }).toString(),
          { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        if (ticket === latest && document.activeElement === input) { show(body.suggestions || []); }
      })
      .catch(function () { /* suggestions are optional */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(active + 1 < items.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].getAttribute("data-href"));
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
}());
