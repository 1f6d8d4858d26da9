import { pageHelpersScript } from "./page-helpers.js";
import { STREAM_CLIENT_SCRIPT } from "./stream-client.js";

/**
 * The OBS browser-source overlay (`/overlay`): transparent background, headline, sentiment bar with net points,
 * confidence and optional topic chips, fed by the WebSocket stream and reconnecting by itself. What keeps it
 * from showing chat (a missing or wrong token, an unknown channel) is said in the card, not only in the corner.
 * Query string: channel, theme (dark | light), size (s | m | l | xl), show (comma list of headline, bar,
 * confidence, topics; default all), token (non-loopback servers). Chat text only ever goes through
 * textContent: it is hostile input and never parsed as HTML.
 */
export function overlayPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chatstream overlay</title>
<style>
  :root { --fg: #fff; --shadow: 0 2px 6px rgba(0,0,0,.9); --panel: rgba(10,12,20,.62); --scale: 1; }
  :root.light { --fg: #111; --shadow: 0 1px 3px rgba(255,255,255,.9); --panel: rgba(255,255,255,.78); }
  html, body { margin: 0; background: transparent; overflow: hidden; }
  body { font: 600 calc(22px * var(--scale)) / 1.3 system-ui, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
  #card { box-sizing: border-box; max-width: 100vw; padding: calc(14px * var(--scale)) calc(18px * var(--scale)); background: var(--panel); border-radius: calc(12px * var(--scale)); text-shadow: var(--shadow); }
  #headline { font-size: calc(28px * var(--scale)); overflow-wrap: anywhere; }
  #bar { display: flex; height: calc(14px * var(--scale)); margin-top: calc(10px * var(--scale)); border-radius: 99px; overflow: hidden; background: rgba(128,128,128,.35); }
  #bar > div { height: 100%; transition: width .4s ease; }
  .pos { background: #3ddc84; } .neu { background: #9aa4b2; } .neg { background: #ff5c5c; }
  #meta { display: flex; gap: 1em; margin-top: calc(6px * var(--scale)); font-size: calc(18px * var(--scale)); }
  #topics { display: flex; flex-wrap: wrap; gap: .4em; margin-top: calc(8px * var(--scale)); }
  .chip { font-size: calc(16px * var(--scale)); padding: .1em .6em; border-radius: 99px; background: rgba(128,128,128,.45); }
  .hidden { display: none !important; }
  #status { position: fixed; right: 6px; bottom: 4px; font-size: 11px; opacity: .6; }
  #notice { margin-top: calc(8px * var(--scale)); font-size: calc(18px * var(--scale)); color: #ffd166; }
  :root.light #notice { color: #8a4b00; }
</style>
</head>
<body>
<div id="card">
  <div id="headline">Waiting for chat…</div>
  <div id="bar" role="img" aria-label="sentiment"><div class="pos" style="width:0%"></div><div class="neu" style="width:100%"></div><div class="neg" style="width:0%"></div></div>
  <div id="meta"><span id="net">net ±0</span><span id="confidence">confidence –</span></div>
  <div id="topics"></div>
  <div id="notice" class="hidden" role="status"></div>
</div>
<div id="status"></div>
<script>
${STREAM_CLIENT_SCRIPT}
${pageHelpersScript()}
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var sizes = { s: 0.6, m: 1, l: 1.5, xl: 2 };
  var scale = sizes[q.get("size") || "m"] || Number(q.get("size")) || 1;
  document.documentElement.style.setProperty("--scale", String(scale));
  if (q.get("theme") === "light") document.documentElement.classList.add("light");
  var show = (q.get("show") || "headline,bar,confidence,topics").split(",");
  var parts = { headline: ["headline"], bar: ["bar", "net"], confidence: ["confidence"], topics: ["topics"] };
  Object.keys(parts).forEach(function (k) { if (show.indexOf(k) < 0) parts[k].forEach(function (id) { document.getElementById(id).classList.add("hidden"); }); });
  if (show.indexOf("bar") < 0 && show.indexOf("confidence") < 0) document.getElementById("meta").classList.add("hidden");
  var channel = q.get("channel") || "";
  var token = q.get("token");
  var el = function (id) { return document.getElementById(id); };
  function pct(x) { return Math.round(x * 100); }
  function notice(text) {
    el("notice").textContent = text || "";
    el("notice").classList.toggle("hidden", !text);
  }
  function render(s) {
    notice("");
    el("headline").textContent = s.headline || "…";
    var bar = el("bar").children;
    bar[0].style.width = pct(s.sentiment.pos) + "%";
    bar[1].style.width = (s.scored > 0 ? pct(s.sentiment.neu) : 100) + "%";
    bar[2].style.width = pct(s.sentiment.neg) + "%";
    var net = Math.round(s.sentiment.net);
    // Net is points (100 × (pos − neg)), not a percentage.
    el("net").textContent = "net " + (net > 0 ? "+" : net < 0 ? "−" : "±") + Math.abs(net);
    // With too little chat for a mood (mood null), a percentage would be read as trust in a bar that says nothing.
    el("confidence").textContent = s.mood === null ? "not enough chat" : "confidence " + pct(s.confidence) + "%";
    var topics = el("topics");
    while (topics.firstChild) topics.removeChild(topics.firstChild);
    (s.topics || []).slice(0, 5).forEach(function (t) {
      var chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = chipLabel(t.label);
      topics.appendChild(chip);
    });
    document.body.dataset.t = String(s.t);
  }
  openStream("snapshot", function () { return channel; }, token, function (m) {
    var problem = helloProblem(m, channel);
    if (problem) notice(problemText(problem));
    if (m.type !== "snapshot") return;
    if (!channel) channel = m.channel;
    if (m.channel === channel) render(m);
  }, function (status) {
    el("status").textContent = status === "live" ? "" : status;
  }, function (problem) { notice(problemText(problem)); });
})();
</script>
</body>
</html>
`;
}
