// Follow a grading in progress: server-sent events, or polling when they fail; the page is
// reloaded once the grading ends. Without JavaScript the page refreshes itself (noscript).
(function () {
  "use strict";
  var panel = document.getElementById("live");
  if (!panel) { return; }
  var field = function (name) { return panel.querySelector('[data-live="' + name + '"]'); };
  var polling = null;

  function show(state) {
    field("status").textContent = state.status;
    field("position").textContent = state.queue_position === null ? "" :
      " · " + state.queue_position + " ahead in the queue";
    field("stage").textContent = state.stage ? " · running: " + state.stage : "";
    var list = field("stages");
    list.textContent = "";
    state.stages.forEach(function (stage) {
      var item = document.createElement("li");
      item.textContent = stage.name + ": " + stage.status + (stage.summary ? " (" + stage.summary + ")" : "");
      list.appendChild(item);
    });
    if (state.finished) { window.location.reload(); }
  }

  function poll() {
    if (polling) { return; }
    polling = window.setInterval(function () {
      fetch(panel.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) { if (state) { show(state); } })
        .catch(function () { /* keep polling */ });
    }, 3000);
  }

  if (!window.EventSource) { poll(); return; }
  var failures = 0;
  var source = new EventSource(panel.dataset.events);
  source.addEventListener("status", function (event) {
    failures = 0;
    show(JSON.parse(event.data));
  });
  source.onerror = function () {
    failures += 1;
    if (failures >= 3) { source.close(); poll(); }
  };
}());
