/**
 * Browser-side WebSocket client shared by the overlay and the dashboard (inlined into each page's script):
 * subscribes to /v1/stream for the given levels and channel, hands each parsed message on, and reconnects by
 * itself with exponential backoff (0.5 s doubling to 10 s), reporting "live" / "reconnecting…".
 *
 * A browser is told nothing about a refused WebSocket upgrade (the close looks the same whatever the cause),
 * so when a connection closes without having opened, the same URL is asked over plain HTTP: 401 means the
 * token is missing or wrong, 403 that the server refused this page; `onProblem` hears it, and retrying goes on.
 */
export const STREAM_CLIENT_SCRIPT = `
  function openStream(levels, currentChannel, token, onMessage, onStatus, onProblem) {
    var delay = 500;
    function connect() {
      var channel = currentChannel();
      var query = "levels=" + levels + (channel ? "&channel=" + encodeURIComponent(channel) : "") + (token ? "&token=" + encodeURIComponent(token) : "");
      var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/stream?" + query);
      var opened = false;
      ws.onopen = function () { opened = true; delay = 500; onStatus("live"); };
      ws.onmessage = function (ev) {
        var m;
        try { m = JSON.parse(ev.data); } catch (e) { return; }
        onMessage(m);
      };
      ws.onclose = function () {
        onStatus("reconnecting…");
        if (!opened && onProblem) {
          fetch("/v1/stream?" + query, { cache: "no-store" }).then(function (r) {
            if (r.status === 401) onProblem({ kind: "unauthorized", tokenGiven: !!token });
            else if (r.status === 403) onProblem({ kind: "forbidden" });
          }, function () {});
        }
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10000);
      };
    }
    connect();
  }

  /** One sentence a streamer can act on, for a problem from openStream or a hello naming unknown channels. */
  function problemText(p) {
    if (p.kind === "unauthorized") return p.tokenGiven
      ? "Wrong token: the token in this page's URL does not match the server's CHATSTREAM_TOKEN."
      : "This server needs a token: add ?token=YOUR_TOKEN (its CHATSTREAM_TOKEN) to this page's URL.";
    if (p.kind === "forbidden") return "The server refused this page (HTTP 403): open it from the server's own address.";
    return "Unknown channel \\u201c" + p.channel + "\\u201d. Known: " + p.known.join(", ") + ". Waiting in case it starts.";
  }

  /** The problem a hello tells of: the page's channel has published nothing while others have. */
  function helloProblem(m, channel) {
    if (m.type !== "hello" || !channel || !m.unknown || m.unknown.indexOf(channel) < 0 || !m.known || m.known.length === 0) return null;
    return { kind: "unknown-channel", channel: channel, known: m.known };
  }
`;
