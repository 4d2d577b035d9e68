/* Attendance entry, made faster; without JavaScript the page works the same with reloads.
   - "Add a row" adds an empty row for a new person.
   - "Find" searches without leaving the page: the form (typed rows included) is posted as the button
     would post it, and only the search results are replaced, so the rows are never touched. */
(function () {
  "use strict";

  function addRows() {
    var wrap = document.getElementById("add-row-wrap");
    var button = document.getElementById("add-row");
    var template = document.getElementById("empty-row");
    var body = document.getElementById("attendance-rows");
    var total = document.getElementById("id_rows-TOTAL_FORMS");
    if (!wrap || !button || !template || !body || !total) { return; }
    wrap.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/\(([^()]*) \+\)/g, "($1 " + (index + 1) + ")");
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input[type=text]");
      if (first) { first.focus(); }
    });
  }

  function searchInPlace() {
    var form = document.getElementById("attendance-form");
    var results = document.getElementById("find-results");
    if (!form || !results || !window.fetch || !window.FormData || !window.DOMParser) { return; }
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "search" || form.dataset.reloading) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.append(button.name, button.value);
      button.disabled = true;
      fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var found = new DOMParser().parseFromString(html, "text/html").getElementById("find-results");
          if (!found) { throw new Error("no results on the page"); }
          results.innerHTML = found.innerHTML;
          button.disabled = false;
        })
        .catch(function () {
          // Signed out meanwhile, or the server failed: post the form the ordinary way.
          button.disabled = false;
          form.dataset.reloading = "1";
          form.requestSubmit(button);
        });
    });
  }

  addRows();
  searchInPlace();
}());
