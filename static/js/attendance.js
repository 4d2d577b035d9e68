/* Attendance entry: an "Add a row" button. Without JavaScript the page keeps its blank rows. */
(function () {
  "use strict";
  var button = document.getElementById("add-row");
  var template = document.getElementById("empty-row");
  var body = document.getElementById("attendance-rows");
  var total = document.getElementById("id_rows-TOTAL_FORMS");
  if (!button || !template || !body || !total) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/\(([^()]*) \+\)/g, "($1 " + (index + 1) + ")");
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild && body.lastElementChild.querySelector("input[type=text]");
    if (first) { first.focus(); }
  });
}());
