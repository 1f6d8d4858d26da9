import { pageHelpersScript } from "./page-helpers.js";
import { STREAM_CLIENT_SCRIPT } from "./stream-client.js";

/**
 * The dashboard (`/`): the live snapshot, and the 1 min / 10 min history as a uPlot chart of net sentiment
 * and message rate. Clicking the headline or a point on the chart shows what is behind it (top messages,
 * topics, 5 s buckets). Query string: channel, token. Chat text only ever goes through textContent.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chatstream dashboard</title>
<link rel="stylesheet" href="/assets/uplot.css">
<style>
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #0f1218; color: #e6e9ef; }
  header { padding: 10px 18px; background: #171b24; display: flex; gap: 1em; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; padding: 16px; }
  section { background: #171b24; border-radius: 10px; padding: 14px; }
  #headline { font-size: 22px; font-weight: 600; cursor: pointer; overflow-wrap: anywhere; }
  #bar { display: flex; height: 14px; margin: 10px 0 6px; border-radius: 99px; overflow: hidden; background: #333; }
  .pos { background: #3ddc84; } .neu { background: #9aa4b2; } .neg { background: #ff5c5c; }
  .muted { color: #9aa4b2; }
  #notice { padding: 8px 18px; background: #3a2f12; color: #ffd166; }
  ul { padding-left: 1.2em; margin: .3em 0; } li { overflow-wrap: anywhere; }
  h2 { font-size: 15px; margin: .2em 0 .5em; color: #9aa4b2; }
  .levels button { background: #252b38; color: inherit; border: 0; padding: 4px 10px; border-radius: 6px; cursor: pointer; }
  .levels button.on { background: #3b82f6; }
  @media (max-width: 800px) { main { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header><h1>chatstream</h1><span id="channel" class="muted"></span><span id="status" class="muted"></span></header>
<div id="notice" role="status" hidden></div>
<main>
  <div>
    <section>
      <div id="headline" title="click for the messages behind it">Waiting for chat…</div>
      <div id="bar"><div class="pos" style="width:0%"></div><div class="neu" style="width:100%"></div><div class="neg" style="width:0%"></div></div>
      <div class="muted"><span id="net">±0</span> net · <span id="mood">–</span> mood · <span id="confidence">–</span> confidence · <span id="rate">0</span> msg/s · at <span id="t">–</span></div>
    </section>
    <section style="margin-top:16px">
      <div class="levels"><h2 style="display:inline">Sentiment over time</h2> <button data-level="1m" class="on">1 min</button> <button data-level="10m">10 min</button></div>
      <div id="chart"></div>
      <div class="muted">net sentiment (points, left) and message rate (msg/s, right); click a point for its headline and top messages</div>
    </section>
  </div>
  <section id="details">
    <h2 id="details-title">Behind the headline</h2>
    <div id="details-headline"></div>
    <h2>Top messages</h2><ul id="details-top"></ul>
    <h2>Threads</h2><ul id="details-clusters"></ul>
    <h2>Questions</h2><ul id="details-questions"></ul>
    <h2>5 s buckets</h2><ul id="details-buckets"></ul>
  </section>
</main>
<script src="/assets/uplot.js"></script>
<script>
${STREAM_CLIENT_SCRIPT}
${pageHelpersScript()}
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var channel = q.get("channel") || "";
  var token = q.get("token");
  var level = "1m";
  var latest = null;
  var history = { "1m": [], "10m": [] };
  var el = function (id) { return document.getElementById(id); };
  function pct(x) { return Math.round(x * 100); }
  function list(id, items, text) {
    var ul = el(id);
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    items.forEach(function (it) { var li = document.createElement("li"); li.textContent = text(it); ul.appendChild(li); });
    if (items.length === 0) { var li = document.createElement("li"); li.className = "muted"; li.textContent = "none"; ul.appendChild(li); }
  }
  var MOODS = { pos: "positive", neu: "neutral", neg: "negative", mixed: "mixed" };
  function cluster(k) {
    var growth = !k.growth ? "" : k.growth > 0 ? " ▲" + k.growth : " ▼" + (-k.growth);
    var flags = (k.new ? " · new" : "") + (k.dissent ? " · dissent" : "");
    var net = Math.round(k.sentiment.net);
    return chipLabel(k.label) + " (" + k.count + growth + ", net " + (net > 0 ? "+" : "") + net + flags + ")" + (k.top[0] ? " — " + k.top[0].text : "");
  }
  function isQuestion(s) { return /\\?\\s*$/.test(s); }
  function showDetails(r, title) {
    el("details-title").textContent = title;
    el("details-headline").textContent = r.headline;
    list("details-top", r.top || [], function (m) { return m.count + "× " + m.text; });
    list("details-clusters", r.clusters || [], cluster);
    list("details-questions", r.questions || (r.top || []).filter(function (m) { return isQuestion(m.text); }), function (m) { return m.count > 1 ? m.count + "× " + m.text : m.text; });
    list("details-buckets", r.buckets || [], function (b) { return formatStreamTime(b.start) + "–" + formatStreamTime(b.end) + ": " + b.count + " msgs, net " + Math.round(b.sentiment.net) + (b.top[0] ? " — " + b.top[0].text : ""); });
  }
  function notice(text) {
    el("notice").textContent = text || "";
    el("notice").hidden = !text;
  }
  function render(s) {
    notice("");
    latest = s;
    el("headline").textContent = s.headline || "…";
    var bar = el("bar").children;
    bar[0].style.width = pct(s.sentiment.pos) + "%";
    bar[1].style.width = (s.scored > 0 ? pct(s.sentiment.neu) : 100) + "%";
    bar[2].style.width = pct(s.sentiment.neg) + "%";
    var net = Math.round(s.sentiment.net);
    el("net").textContent = (net > 0 ? "+" : "") + net;
    // A null mood is too little chat to read one (fewer than 5 messages or 3 chatters), not neutrality.
    el("mood").textContent = s.mood === null ? "— not enough chat" : MOODS[s.mood] || "–";
    el("confidence").textContent = pct(s.confidence) + "%";
    el("rate").textContent = String(s.rate);
    el("t").textContent = formatStreamTime(s.t);
    el("channel").textContent = s.channel;
    document.body.dataset.t = String(s.t);
  }
  el("headline").addEventListener("click", function () { if (latest) showDetails(latest, "Behind the snapshot at " + formatStreamTime(latest.t)); });
  var plot = null;
  function data() {
    var rs = history[level];
    var dur = level === "1m" ? 60 : 600;
    return [rs.map(function (r) { return r.start / 1000; }), rs.map(function (r) { return r.sentiment.net; }), rs.map(function (r) { return Math.round(r.count / dur * 100) / 100; })];
  }
  function draw() {
    if (typeof uPlot === "undefined") return;
    var width = Math.max(300, el("chart").clientWidth || 600);
    if (!plot) {
      plot = new uPlot({
        width: width, height: 260,
        scales: { x: { time: false }, rate: {} },
        axes: [{ stroke: "#9aa4b2", label: "stream time", values: function (u, vals) { return vals.map(function (v) { return formatStreamTime(v * 1000); }); } }, { stroke: "#9aa4b2" }, { side: 1, scale: "rate", stroke: "#9aa4b2", grid: { show: false } }],
        series: [{ value: function (u, v) { return v == null ? "" : formatStreamTime(v * 1000); } }, { label: "net", stroke: "#3ddc84", width: 2, points: { show: true } }, { label: "msg/s", scale: "rate", stroke: "#3b82f6" }],
        hooks: { ready: [function (u) { u.over.addEventListener("click", function () { var i = u.cursor.idx; var r = history[level][i]; if (i != null && r) showDetails(r, level + " period " + formatStreamTime(r.start) + "–" + formatStreamTime(r.end)); }); }] }
      }, data(), el("chart"));
    } else {
      plot.setData(data());
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll(".levels button"), function (b) {
    b.addEventListener("click", function () {
      level = b.dataset.level;
      Array.prototype.forEach.call(document.querySelectorAll(".levels button"), function (o) { o.classList.toggle("on", o === b); });
      draw();
    });
  });
  function load(lv) {
    if (!channel) return;
    fetch("/v1/history?level=" + lv + "&limit=500&channel=" + encodeURIComponent(channel)).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body) return;
      var seen = {};
      history[lv].forEach(function (r) { seen[r.start] = true; });
      body.records.forEach(function (r) { if (!seen[r.start]) history[lv].push(r); });
      history[lv].sort(function (a, b) { return a.start - b.start; });
      draw();
    });
  }
  if (channel) { load("1m"); load("10m"); }
  draw();
  openStream("snapshot,1m,10m", function () { return channel; }, token, function (m) {
    var problem = helloProblem(m, channel);
    if (problem) notice(problemText(problem));
    if (m.type !== "snapshot" && m.type !== "rollup") return;
    if (!channel) { channel = m.channel; load("1m"); load("10m"); }
    if (m.channel !== channel) return;
    if (m.type === "snapshot") render(m);
    else if (history[m.level]) { history[m.level].push(m); if (history[m.level].length > 2000) history[m.level].shift(); if (m.level === level) draw(); }
  }, function (status) { el("status").textContent = status; }, function (problem) { notice(problemText(problem)); });
})();
</script>
</body>
</html>
`;
}
