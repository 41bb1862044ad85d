/// The UI's one script, served at `UIPages.script`. It only makes pages livelier: a running
/// run's page asks the server for its state every second and puts the markup the server made
/// in place (`data-live`), and a page fetches each artifact's preview (`data-preview`), also in
/// markup it put in place.
/// Everything it inserts was rendered and escaped by the server; it builds no markup itself.
enum UIScript {
    static let source = """
        "use strict";
        (function () {
          function poll(url) {
            fetch(url, {cache: "no-store"}).then(function (answer) { return answer.json(); }).then(function (state) {
              Object.keys(state.parts).forEach(function (name) {
                document.querySelectorAll('[data-live="' + name + '"]').forEach(function (place) {
                  if (name === "status") {
                    place.textContent = state.parts[name];
                    place.className = "badge state-" + state.parts[name];
                  } else if (name === "duration" || name === "tasks-line") {
                    place.textContent = state.parts[name];
                  } else {
                    place.innerHTML = state.parts[name];
                    previews(place);
                  }
                });
              });
              document.body.setAttribute("data-run-state", state.running ? "running" : "done");
              if (state.running) { setTimeout(function () { poll(url); }, 1000); }
            }).catch(function () { setTimeout(function () { poll(url); }, 3000); });
          }
          function previews(root) {
            root.querySelectorAll("[data-preview]").forEach(function (place) {
              place.textContent = "making a preview…";
              fetch(place.getAttribute("data-preview")).then(function (answer) { return answer.text(); })
                .then(function (markup) { place.innerHTML = markup; place.setAttribute("data-ready", "1"); })
                .catch(function () { place.textContent = "no preview: the server did not answer"; });
            });
          }
          var source = document.querySelector("[data-live-source]");
          if (source) { poll(source.getAttribute("data-live-source") + location.search); }
          previews(document);
        })();
        """
}
