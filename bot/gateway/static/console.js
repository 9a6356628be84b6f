// Kefu agent console: queue, claim, transcript with what the bot understood, real-time replies over
// the console WebSocket, notes, transfer, resolve; supervisors also see live bot conversations and
// can take them over. All text goes through textContent.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  let me = null;
  let current = null;       // conversation id on screen
  let socket = null;
  const shown = new Set();

  const el = KefuConsole.el;
  function api(path, body) { return KefuConsole.api(path, body, showLogin); }
  function fail(error) { $("action-error").textContent = error.message; }
  function minutes(seconds) { return Math.floor(seconds / 60) + " 分 " + Math.round(seconds % 60) + " 秒"; }

  function showLogin() { $("login").hidden = false; $("workspace").hidden = true; }
  async function start() {
    try { me = await api("/me"); } catch (error) { showLogin(); return; }
    $("login").hidden = true; $("workspace").hidden = false;
    $("me").textContent = me.name + "（" + me.role + "）";
    $("presence").value = me.presence;
    $("live-box").hidden = me.role === "agent";
    connect();
    refresh();
  }

  async function refresh() {
    const queue = await api("/queue");
    $("queue-count").textContent = "(" + queue.queue.length + ") · 接待中 " + queue.active + "/" + queue.max_concurrency;
    const box = $("queue"); box.replaceChildren();
    queue.queue.forEach(function (entry) {
      const card = el("div", null, "card queue-item " + entry.priority);
      card.dataset.conversation = entry.conversation;
      card.appendChild(el("div", "#" + entry.position + " · " + entry.group + " · " + entry.problem_class + " · " + entry.priority));
      card.appendChild(el("div", entry.summary, "summary"));
      card.appendChild(el("div", "原因：" + entry.reason + " · 已等待 " + minutes(entry.waiting_seconds), "meta"));
      const claim = el("button", "接入", "claim");
      claim.dataset.conversation = entry.conversation;
      claim.addEventListener("click", function () {
        api("/conversations/" + entry.conversation + "/claim", {}).then(function () { open(entry.conversation); refresh(); }).catch(fail);
      });
      card.appendChild(claim);
      box.appendChild(card);
    });
    listConversations("mine", "mine");
    if (me.role !== "agent") listConversations("live", "live");
  }

  async function listConversations(scope, target) {
    const data = await api("/conversations?scope=" + scope);
    const box = $(target); box.replaceChildren();
    data.conversations.forEach(function (c) {
      const card = el("div", null, "card conversation-item");
      card.dataset.conversation = c.conversation;
      card.appendChild(el("div", c.sender + " · " + c.mode));
      const view = el("button", "查看", "secondary");
      view.addEventListener("click", function () { open(c.conversation); });
      card.appendChild(view);
      if (scope === "live" && c.mode === "bot") {
        const take = el("button", "接管", "takeover");
        take.addEventListener("click", function () {
          api("/conversations/" + c.conversation + "/takeover", {}).then(function () { open(c.conversation); refresh(); }).catch(fail);
        });
        card.appendChild(take);
      }
      box.appendChild(card);
    });
  }

  function addLine(message) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const payload = message.payload || {};
    if (payload.custom && payload.custom.handoff) return;
    const who = { customer: "客户", bot: "机器人", agent: payload.agent || "客服", system: "系统" }[message.role];
    const line = el("li", null, "message " + message.role);
    line.appendChild(el("div", who + "：" + (message.text || ""), "text"));
    $("transcript").appendChild(line);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  async function open(conversationId) {
    $("action-error").textContent = "";
    const data = await api("/conversations/" + conversationId);
    current = conversationId;
    render(data);
    api("/conversations/" + conversationId + "/customer").then(renderCustomer).catch(fail);
  }

  // the customer beside the conversation (bot/gateway/customer_profile.py): a guest proves nothing
  function renderCustomer(p) {
    const box = $("customer");
    box.replaceChildren();
    if (!p.verified) {
      box.appendChild(el("div", "访客（未登录，身份未验证）", "meta"));
    } else {
      const shop = p.shop;
      box.appendChild(el("strong", (shop ? shop.name + " · " + shop.tier + (shop.vip ? " · VIP" : "") : "") + " 账号 " + p.account));
      if (shop) {
        box.appendChild(el("div", "手机 " + shop.phone, "meta"));
        const orders = el("ul", null, "orders");
        shop.orders.forEach(function (o) { orders.appendChild(el("li", o.number + " " + o.status + " ¥" + o.total)); });
        box.appendChild(orders);
      }
      if (p.tags.length) box.appendChild(el("div", "标签：" + p.tags.join("、"), "tags"));
      p.earlier.forEach(function (c) {
        box.appendChild(el("div", "历史会话 " + c.created_at.slice(0, 16).replace("T", " ") + (c.rating ? " · 评分 " + c.rating : ""), "meta earlier"));
      });
    }
    p.tickets.forEach(function (t) {
      const link = el("a", "工单 " + (t.reference || t.number) + " " + t.status + " " + t.title, "ticket-link");
      link.href = "/console/tickets?ticket=" + t.id;
      box.appendChild(link);
    });
    $("tags-input").value = p.tags.join(",");
    $("tags-input").disabled = $("tags-btn").disabled = !p.verified;
  }

  function render(data) {
    shown.clear();
    $("title").textContent = "会话 " + (data.account ? "会员 " + data.account : data.sender) + " · " + data.mode;
    $("reveal-btn").hidden = data.revealed;
    $("transcript").replaceChildren();
    data.history.forEach(function (m) { addLine(Object.assign({}, m, { id: "h" + m.id })); });
    data.messages.forEach(addLine);
    const summary = $("summary");
    summary.hidden = !data.handoff; summary.replaceChildren();
    if (data.handoff) {
      summary.appendChild(el("div", "转人工原因：" + data.handoff.reason + "（" + data.handoff.trigger + "） · " + data.handoff.priority + " · " + data.handoff.problem_class + " → " + data.handoff.group));
      summary.appendChild(el("div", data.handoff.summary, "handoff-summary"));
    }
    const understood = $("understanding"); understood.replaceChildren();
    if (data.bot.error) understood.appendChild(el("p", data.bot.error, "error"));
    (data.bot.turns || []).forEach(function (turn) {
      understood.appendChild(el("div", "「" + turn.text + "」 → " + turn.intent + " (" + turn.confidence + ")" +
        (turn.actions.length ? " · " + turn.actions.join(", ") : ""), "turn"));
    });
    Object.keys(data.bot.slots || {}).forEach(function (name) {
      understood.appendChild(el("div", name + " = " + JSON.stringify(data.bot.slots[name]), "turn slot"));
    });
    const notes = $("notes"); notes.replaceChildren();
    data.notes.forEach(function (note) { notes.appendChild(el("div", note.text, "card note")); });
    const tickets = $("conversation-tickets");
    tickets.replaceChildren();
    (data.tickets || []).forEach(function (t) {
      const link = el("a", t.number + " " + t.status + " " + t.title, "card");
      link.href = "/console/tickets?ticket=" + t.id;
      tickets.appendChild(link);
    });
    $("reply-form").hidden = !(data.mode === "human" && data.assigned_agent === me.id);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/ws/console");
    socket.onmessage = function (message) {
      const event = JSON.parse(message.data);
      if (event.type === "message" && event.message.conversation === current) addLine(event.message);
      if (event.type === "sent" && event.message.conversation === current) addLine(event.message);
      if (event.type === "error") fail(new Error(event.message));
      if (event.type === "queue" || event.type === "resolved") refresh().catch(fail);
    };
    socket.onclose = function (closed) { if (closed.code !== 4401) setTimeout(connect, 1000); };
  }

  function sendReply() {
    const text = $("reply").value.trim();
    if (!text || !current) return;
    socket.send(JSON.stringify({ type: "reply", conversation: current, text: text, ref: Date.now() }));
    $("reply").value = "";
  }

  $("login").addEventListener("submit", function (event) {
    event.preventDefault();
    api("/login", { username: $("login-user").value, password: $("login-pass").value })
      .then(start).catch(function (error) { $("login-error").textContent = error.message; });
  });
  $("reply-form").addEventListener("submit", function (event) { event.preventDefault(); sendReply(); });
  $("reply").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); sendReply(); }
  });
  // personal values are masked; showing them in full is recorded in the audit log
  $("reveal-btn").addEventListener("click", function () {
    api("/conversations/" + current + "/reveal", {}).then(render).catch(fail);
  });
  $("resolve-btn").addEventListener("click", function () {
    api("/conversations/" + current + "/resolve", {}).then(function () { open(current); refresh(); }).catch(fail);
  });
  $("note-btn").addEventListener("click", function () {
    api("/conversations/" + current + "/notes", { text: $("note-input").value }).then(function () { $("note-input").value = ""; open(current); }).catch(fail);
  });
  $("tags-btn").addEventListener("click", function () {
    api("/conversations/" + current + "/customer/tags", { tags: $("tags-input").value.split(/[,，]/) })
      .then(function () { return api("/conversations/" + current + "/customer"); }).then(renderCustomer).catch(fail);
  });
  $("ticket-btn").addEventListener("click", function () {
    api("/tickets", { conversation: current, title: $("ticket-title").value.trim() || "客户待跟进事项" })
      .then(function () { $("ticket-title").value = ""; open(current); }).catch(fail);
  });
  $("transfer-btn").addEventListener("click", function () {
    api("/conversations/" + current + "/transfer", { group: $("transfer-group").value }).then(function () { open(current); refresh(); }).catch(fail);
  });
  $("presence").addEventListener("change", function () { api("/presence", { presence: $("presence").value }).then(refresh).catch(fail); });
  $("logout").addEventListener("click", function () { api("/logout", {}).then(showLogin).catch(fail); });
  setInterval(function () { if (me && !$("workspace").hidden) refresh().catch(function () {}); }, 10000);
  start();
})();
