/**
 * Browser-side WebSocket client shared by the overlay and the dashboard (inlined into each page's script):
 * subscribes to /v1/stream for the given levels and channel, hands each parsed message on, and reconnects by
 * itself with exponential backoff (0.5 s doubling to 10 s), reporting "live" / "reconnecting…".
 */
export const STREAM_CLIENT_SCRIPT = `
  function openStream(levels, currentChannel, token, onMessage, onStatus) {
    var delay = 500;
    function connect() {
      var channel = currentChannel();
      var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/stream?levels=" + levels + (channel ? "&channel=" + encodeURIComponent(channel) : "") + (token ? "&token=" + encodeURIComponent(token) : "");
      var ws = new WebSocket(url);
      ws.onopen = function () { delay = 500; onStatus("live"); };
      ws.onmessage = function (ev) {
        var m;
        try { m = JSON.parse(ev.data); } catch (e) { return; }
        onMessage(m);
      };
      ws.onclose = function () { onStatus("reconnecting…"); setTimeout(connect, delay); delay = Math.min(delay * 2, 10000); };
    }
    connect();
  }
`;
