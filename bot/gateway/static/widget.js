// Kefu web chat: WebSocket with reconnect; nothing lost or duplicated. Every message gets a client
// id and stays in localStorage until the server acknowledges it (after committing it); on reconnect
// unacknowledged messages are resent (the server stores each client id once) and the server sends
// everything after the last message id seen. All text is shown with textContent, never as HTML.
(function () {
  "use strict";
  const store = window.localStorage;
  const list = document.getElementById("messages");
  const input = document.getElementById("input");
  const statusLine = document.getElementById("status");
  const leaveButton = document.getElementById("leave");
  const shown = new Set();            // server message ids on screen
  const byClientId = new Map();       // client id -> element of a customer message
  let socket = null;
  let retry = 0;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function pending() { return JSON.parse(store.getItem("kefu.pending") || "[]"); }
  function savePending(items) { store.setItem("kefu.pending", JSON.stringify(items)); }
  function sender() {
    let value = store.getItem("kefu.sender");
    if (!value) { value = "web-" + newId(); store.setItem("kefu.sender", value); }
    return value;
  }
  let lastSeen = 0;                   // highest server message id received since the page loaded
  function lastId() { return lastSeen; }
  function seen(id) { if (id > lastSeen) lastSeen = id; }

  function safeLink(link) {
    return typeof link === "string" && (/^https?:\/\//.test(link) || /^\/[^/]/.test(link)) ? link : null;
  }

  function bubble(role, text, extraClass) {
    const item = document.createElement("li");
    item.className = "message " + role + (extraClass ? " " + extraClass : "");
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    item.appendChild(body);
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
    return item;
  }

  function citations(item, cites) {
    const box = document.createElement("ul");
    box.className = "citations";
    cites.forEach(function (cite) {
      const entry = document.createElement("li");
      const link = safeLink(cite.link);
      const label = document.createElement(link ? "a" : "span");
      label.textContent = "来源：" + (cite.title || cite.source || "知识库");
      if (link) { label.href = link; label.target = "_blank"; label.rel = "noopener"; }
      entry.appendChild(label);
      box.appendChild(entry);
    });
    item.appendChild(box);
  }

  function buttons(item, choices) {
    const row = document.createElement("div");
    row.className = "buttons";
    choices.forEach(function (choice) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title || choice.payload;
      button.addEventListener("click", function () { send(choice.payload || choice.title); });
      row.appendChild(button);
    });
    item.appendChild(row);
  }

  function render(message, old) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    seen(message.id);
    const payload = message.payload || {};
    const custom = payload.custom || {};
    if (message.role === "customer") {
      const mine = message.client_id && byClientId.get(message.client_id);
      if (mine) { mine.classList.remove("unsent"); return; }
      bubble("customer", message.text, old ? "old" : "");
      return;
    }
    if (custom.handoff) { setStatus("转接人工中…"); return; }
    let item = null;
    if (message.text) {
      const who = message.role === "agent" && payload.agent ? payload.agent + "：" : "";
      item = bubble(message.role, who + message.text, old ? "old" : "");
    }
    if (Array.isArray(custom.citations) && custom.citations.length) {
      const target = item || list.lastElementChild;
      if (target) citations(target, custom.citations);
    }
    if (item && Array.isArray(payload.buttons)) buttons(item, payload.buttons);
  }

  function setStatus(text) { statusLine.textContent = text; }
  function showMode(mode, agent, queue) {
    leaveButton.hidden = mode !== "queued";
    if (mode === "queued") {
      setStatus(queue ? "转接人工中… 您前面还有 " + (queue.position - 1) + " 位，预计等待约 " + queue.wait_minutes + " 分钟。可以继续留言。" : "转接人工中… 暂时无人接待，可以继续留言，客服处理时会看到。");
    } else if (mode === "human") {
      setStatus("客服" + (agent || "") + "为您服务");
    } else if (mode === "closed") {
      setStatus("会话已结束，发送消息即可开始新的会话");
    } else {
      setStatus("智能客服在线");
    }
  }

  function transmit(entry) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: entry.type, client_id: entry.client_id, text: entry.text }));
    }
  }

  function send(text, type) {
    text = (text || "").trim();
    if (!text) return;
    const entry = { type: type || "message", client_id: newId(), text: text };
    savePending(pending().concat([entry]));
    byClientId.set(entry.client_id, bubble("customer", text, "unsent"));
    transmit(entry);
  }

  function onEvent(event) {
    if (event.type === "hello") {
      store.setItem("kefu.token", event.token);
      if (store.getItem("kefu.conversation") !== event.conversation) {
        store.setItem("kefu.conversation", event.conversation);
      }
      (event.history || []).forEach(function (m) { render(m, true); });
      event.messages.forEach(function (m) { render(m, false); });
      showMode(event.mode, event.agent, event.queue);
      pending().forEach(transmit);
    } else if (event.type === "ack") {
      savePending(pending().filter(function (p) { return p.client_id !== event.client_id; }));
      const element = byClientId.get(event.client_id);
      if (element) element.classList.remove("unsent");
      shown.add(event.message.id);
      seen(event.message.id);
    } else if (event.type === "message") {
      render(event.message, false);
    } else if (event.type === "mode") {
      showMode(event.mode, event.agent, event.queue);
      if (event.mode === "closed") socket.close();
    } else if (event.type === "queue") {
      showMode("queued", null, event.queue);
    } else if (event.type === "error") {
      if (event.client_id) savePending(pending().filter(function (p) { return p.client_id !== event.client_id; }));
      bubble("system", event.message, "error");
    }
  }

  // A shop's site proves a logged-in customer with a signed identity token (docs/security.md):
  // set window.KEFU_IDENTITY before this script, or open the widget as /?identity=<token>.
  let identity = window.KEFU_IDENTITY || new URLSearchParams(location.search).get("identity") || null;

  function connect() {
    const params = new URLSearchParams({ sender: sender(), after: String(lastId()) });
    const token = store.getItem("kefu.token");
    if (token) params.set("token", token);
    if (identity) params.set("identity", identity);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/ws/chat?" + params.toString());
    socket.onopen = function () { retry = 0; };
    socket.onmessage = function (message) { onEvent(JSON.parse(message.data)); };
    socket.onclose = function (closed) {
      if (closed.code === 4403) {  // the token no longer fits: start a fresh identity
        ["kefu.sender", "kefu.token", "kefu.conversation"].forEach(function (k) { store.removeItem(k); });
      }
      if (closed.code === 4401) {  // the identity token was refused (expired, forged): go on as a guest
        identity = null;
        bubble("system", "登录状态已失效，现在以访客身份继续；查询订单时需要核对手机号。", "error");
      }
      setStatus("连接中断，正在重连…");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 300 * retry);
    };
  }

  document.getElementById("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(input.value);
      input.value = "";
    }
  });
  leaveButton.addEventListener("click", function () {
    send(input.value || "（客户留言，稍后联系）", "leave_message");
    input.value = "";
  });
  pending().forEach(function (entry) { byClientId.set(entry.client_id, bubble("customer", entry.text, "unsent")); });
  connect();
})();
