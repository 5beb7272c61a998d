// Live progress of a build job: polls the job's status (JSON) and reloads the page when it ends.
(function () {
  "use strict";
  var blok = document.getElementById("voortgang");
  if (!blok || blok.dataset.afgelopen === "ja") return;
  var url = blok.dataset.statusUrl;
  function tijd(s) {
    if (s === null || s === undefined) return "";
    if (s < 60) return ", nog ongeveer " + s + " s";
    return ", nog ongeveer " + Math.round(s / 60) + " min";
  }
  function kijk() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (t) {
        if (t.afgelopen) { window.location.reload(); return; }
        var tekst = document.getElementById("voortgang-tekst");
        var regel = "Status: " + t.status_tekst;
        if (t.stap) regel += ", " + t.stap + ": " + t.klaar + " van " + t.totaal + tijd(t.nog_seconden);
        tekst.textContent = regel;
        var balk = document.getElementById("balk");
        if (balk && t.totaal) { balk.max = t.totaal; balk.value = t.klaar; }
        window.setTimeout(kijk, 1000);
      })
      .catch(function () { window.setTimeout(kijk, 3000); });
  }
  window.setTimeout(kijk, 500);
})();
