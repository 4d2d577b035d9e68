// Annual report form: "Add a row" clones the empty resource row. Optional:
// without JavaScript the form shows a few empty rows and works the same.
(function () {
  "use strict";
  var button = document.getElementById("add-line");
  var template = document.getElementById("line-template");
  var body = document.getElementById("lines-body");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  if (!button || !template || !body || !total) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var select = body.lastElementChild.querySelector("select");
    if (select) { select.focus(); }
  });
})();
