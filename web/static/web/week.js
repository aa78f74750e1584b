// The planning page follows its job; the notices page copies a notice with one click.
(function () {
  var job = document.getElementById("job");
  if (job) {
    var bar = document.getElementById("bar"), count = document.getElementById("count");
    var table = document.getElementById("units");
    var poll = function () {
      fetch(job.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        bar.max = s.total || 1; bar.value = s.done; count.textContent = s.done + " / " + s.total;
        var rows = [table.rows[0]];
        Object.keys(s.units).forEach(function (name) {
          var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
          a.textContent = name; b.textContent = s.units[name] || "…"; tr.appendChild(a); tr.appendChild(b); rows.push(tr);
        });
        table.replaceChildren.apply(table, rows);
        if (s.state === "done" || s.state === "failed") { window.location = job.dataset.done; }
        else { setTimeout(poll, 700); }
      }).catch(function () { setTimeout(poll, 2000); });
    };
    poll();
  }
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.target).textContent;
      var done = function () { button.classList.add("copied"); };
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); }
      else {
        var area = document.createElement("textarea"); area.value = text; document.body.appendChild(area);
        area.select(); document.execCommand("copy"); area.remove(); done();
      }
    });
  });
})();
