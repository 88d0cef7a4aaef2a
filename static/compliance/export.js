/* Downloads with visible progress (progressive enhancement: without JavaScript the
   export links are plain links). Reads the response as a stream, shows the bytes received
   in a live region, then hands the file to the browser. No external code. */
(function () {
  "use strict";
  function human(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " kB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }
  function filename(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }
  function start(link, status) {
    if (!window.fetch || !window.ReadableStream || !window.URL || !URL.createObjectURL) return false;
    var label = link.textContent.trim();
    status.hidden = false;
    status.textContent = label + ": starting…";
    link.setAttribute("aria-disabled", "true");
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
      var total = Number(response.headers.get("Content-Length")) || 0;
      var rows = response.headers.get("X-Export-Rows");
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      var progress = document.createElement("progress");
      if (total) progress.max = total;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return;
          chunks.push(step.value);
          received += step.value.length;
          status.textContent = label + ": " + human(received) + (total ? " of " + human(total) : "") +
            (rows ? " (" + rows + " rows)" : "") + " received";
          if (total) { progress.value = received; status.appendChild(progress); }
          return pump();
        });
      }
      return pump().then(function () {
        var blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "application/octet-stream" });
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = filename(response, "export");
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        status.textContent = label + ": done, " + human(received) + ".";
      });
    }).catch(function () {
      status.textContent = label + ": the download with progress failed; downloading directly.";
      window.location.href = link.href;
    }).then(function () {
      link.removeAttribute("aria-disabled");
    });
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
    var status = document.querySelector(".export-status");
    if (status && start(link, status)) event.preventDefault();
  });
})();
