// The supervisor's live board (坐席监控): every conversation with its mode, group, agent, wait,
// emotion/risk level and last message; filters and sorting; a read-only transcript; whispers to the
// agent serving it; take-over. Red alerts arrive over the console WebSocket. Text via textContent.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const el = KefuConsole.el;
  const MODE_WORDS = { bot: "机器人", queued: "排队中", human: "人工" };
  let rows = [], mode = "", selected = null, pendingRefresh = null;

  function api(path, body) { return KefuConsole.api(path, body, function () { $("login-needed").hidden = false; }); }
  function fail(error) { $("action-error").textContent = error.message; }
  function seconds(s) { return s === null || s === undefined ? "" : Math.floor(s / 60) + "分" + (s % 60) + "秒"; }

  function visible() {
    const shown = rows.filter(function (r) { return (!mode || r.mode === mode) && (!$("only-alerts").checked || r.level >= 2); });
    const by = $("sort").value;
    shown.sort(function (a, b) {
      if (by === "wait") return (b.waiting_seconds || -1) - (a.waiting_seconds || -1);
      if (by === "activity") return b.last_activity_at.localeCompare(a.last_activity_at);
      return b.level - a.level || b.last_activity_at.localeCompare(a.last_activity_at);
    });
    return shown;
  }

  function render() {
    const body = $("rows"); body.replaceChildren();
    $("counts").textContent = ["bot", "queued", "human"].map(function (m) {
      return MODE_WORDS[m] + " " + rows.filter(function (r) { return r.mode === m; }).length;
    }).join(" · ");
    visible().forEach(function (r) {
      const tr = el("tr", null, "level-" + r.level + "-row");
      tr.dataset.conversation = r.conversation;
      [r.account ? "会员 " + r.account : r.sender, MODE_WORDS[r.mode] || r.mode, r.group || "", r.agent || "",
        seconds(r.waiting_seconds), KefuConsole.levelWords(r.level) + (r.risk ? " · " + KefuConsole.riskWords(r.risk) : r.emotion ? " · " + r.emotion : ""),
        r.last_message ? r.last_message.text : ""].forEach(function (text) { tr.appendChild(el("td", text)); });
      const actions = el("td");
      const view = el("button", "查看", "secondary view");
      view.addEventListener("click", function () { openDetail(r.conversation); });
      actions.appendChild(view);
      tr.appendChild(actions);
      body.appendChild(tr);
    });
  }

  async function refresh() { rows = (await api("/board")).conversations; render(); }
  function refreshSoon() { if (!pendingRefresh) pendingRefresh = setTimeout(function () { pendingRefresh = null; refresh().catch(fail); }, 500); }

  async function openDetail(conversationId) {
    selected = conversationId;
    const data = await api("/conversations/" + conversationId);
    $("detail").hidden = false;
    $("detail-title").textContent = "会话 " + (data.account ? "会员 " + data.account : data.sender) + " · " + (MODE_WORDS[data.mode] || data.mode);
    const list = $("transcript"); list.replaceChildren();
    data.messages.forEach(function (m) {
      const signal = data.signals[String(m.id)];
      const line = el("li", null, "message " + m.role);
      line.appendChild(el("div", ({ customer: "客户", bot: "机器人", agent: "客服", system: "系统" })[m.role] + "：" + (m.text || ""), "text"));
      if (signal) line.appendChild(el("span", KefuConsole.levelWords(signal.level) + (signal.emotion ? "·" + signal.emotion : ""), "level level-" + signal.level));
      list.appendChild(line);
    });
    data.whispers.forEach(function (w) {
      const line = el("li", null, "message whisper"); line.appendChild(el("div", "悄悄话：" + w.text, "text")); list.appendChild(line);
    });
    $("whisper-btn").disabled = data.mode !== "human";
  }

  function showAlert(event) {
    KefuConsole.showAlert($("alert-banner"), event, [["查看", "secondary", function () { openDetail(event.conversation); }]]);
    refreshSoon();
  }

  function connect() {
    const socket = new WebSocket((location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/ws/console");
    socket.onmessage = function (message) {
      const event = JSON.parse(message.data);
      if (event.type === "alert") showAlert(event);
      else if (["message", "queue", "resolved", "signal"].indexOf(event.type) >= 0) {
        refreshSoon();
        if (selected && event.conversation === selected || (event.message && event.message.conversation === selected)) openDetail(selected).catch(fail);
      }
    };
    socket.onclose = function (closed) { if (closed.code !== 4401) setTimeout(connect, 1000); };
  }

  document.querySelectorAll("#mode-filters button").forEach(function (button) {
    button.addEventListener("click", function () { mode = button.dataset.mode; render(); });
  });
  $("only-alerts").addEventListener("change", render);
  $("sort").addEventListener("change", render);
  $("whisper-btn").addEventListener("click", function () {
    const text = $("whisper-input").value.trim();
    if (!text || !selected) return;
    api("/conversations/" + selected + "/whisper", { text: text }).then(function () {
      $("whisper-input").value = ""; $("action-note").textContent = "悄悄话已发送"; return openDetail(selected);
    }).catch(fail);
  });
  $("takeover-btn").addEventListener("click", function () {
    if (!selected) return;
    api("/conversations/" + selected + "/takeover", {}).then(function () {
      $("action-note").textContent = "已接管，请在工作台继续接待"; $("alert-banner").hidden = true; refresh(); return openDetail(selected);
    }).catch(fail);
  });

  api("/me").then(function (me) {
    if (me.role === "agent") { $("login-needed").hidden = false; return; }
    $("me").textContent = me.name + "（" + me.role + "）";
    connect();
    refresh().catch(fail);
    setInterval(function () { refresh().catch(function () {}); }, 5000);
  }).catch(function () { $("login-needed").hidden = false; });
})();
