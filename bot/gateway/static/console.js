// Kefu agent console: queue, claim, offers (push assignment), transcript with what the bot understood,
// real-time replies over the console WebSocket, unread counts and a flashing title, notes, transfer,
// resolve; supervisors also see live conversations, red alerts, whisper and take over. The desk beside
// a conversation (suggestions, quick replies, emotion levels) is desk.js. All text goes through textContent.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  let me = null;
  let current = null;       // conversation id on screen
  let socket = null;
  const shown = new Set();
  const unread = {};        // conversation id → customer messages not yet seen
  const TITLE = document.title;
  let flashing = null;

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
    $("board-link").hidden = me.role === "agent";
    const desk = await api("/desk");
    $("transfer-group").replaceChildren();
    desk.groups.forEach(function (group) { $("transfer-group").appendChild(el("option", group)); });
    await KefuDesk.init({ api: api, fail: fail });
    connect();
    refresh();
    loadOffers();
  }

  // push assignment: conversations offered to this agent, with the time left to accept
  async function loadOffers() { renderOffers((await api("/offers")).offers); }
  function renderOffers(offers) {
    const box = $("offers"); box.replaceChildren();
    $("offers-box").hidden = !offers.length;
    offers.forEach(function (offer) {
      const card = el("div", null, "card offer " + (offer.priority || ""));
      card.dataset.offer = offer.id;
      card.appendChild(el("div", (offer.group || "") + " · " + (offer.priority || "") + " · 剩 " + offer.seconds_left + " 秒接受"));
      card.appendChild(el("div", offer.summary || "", "summary"));
      const accept = el("button", "接受", "accept-offer");
      accept.addEventListener("click", function () {
        api("/offers/" + offer.id + "/accept", {}).then(function (r) { loadOffers(); open(r.conversation); refresh(); }).catch(function (e) { fail(e); loadOffers(); });
      });
      const decline = el("button", "拒绝", "secondary decline-offer");
      decline.addEventListener("click", function () { api("/offers/" + offer.id + "/decline", {}).then(loadOffers).catch(fail); });
      card.appendChild(accept); card.appendChild(decline);
      box.appendChild(card);
    });
  }

  function flashTitle() {
    if (flashing) return;
    let on = false;
    flashing = setInterval(function () { on = !on; document.title = on ? "【新消息】" + TITLE : TITLE; }, 1000);
  }
  function stopFlashing() { if (flashing) { clearInterval(flashing); flashing = null; document.title = TITLE; } }
  window.addEventListener("focus", stopFlashing);

  function showAlert(event) {
    KefuConsole.showAlert($("alert-banner"), event, [
      ["查看", "secondary", function () { open(event.conversation); }],
      ["接管", "takeover", function () { takeOver(event.conversation); }]]);
    flashTitle();
  }

  function takeOver(conversationId) {
    api("/conversations/" + conversationId + "/takeover", {}).then(function () { $("alert-banner").hidden = true; open(conversationId); refresh(); }).catch(fail);
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
      if (unread[c.conversation]) card.appendChild(el("span", String(unread[c.conversation]), "unread"));
      const view = el("button", "查看", "secondary");
      view.addEventListener("click", function () { open(c.conversation); });
      card.appendChild(view);
      if (scope === "live" && c.assigned_agent !== me.id) {
        const take = el("button", "接管", "takeover");
        take.addEventListener("click", function () { takeOver(c.conversation); });
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
    line.dataset.message = message.id;
    line.appendChild(el("div", who + "：" + (message.text || ""), "text"));
    KefuDesk.decorate(line, message);
    $("transcript").appendChild(line);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  async function open(conversationId) {
    $("action-error").textContent = "";
    const data = await api("/conversations/" + conversationId);
    current = conversationId;
    delete unread[conversationId];
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
    const mine = data.mode === "human" && data.assigned_agent === me.id;
    $("reply-form").hidden = !mine;
    $("whisper-box").hidden = !(me.role !== "agent" && data.mode === "human" && data.assigned_agent !== me.id);
    KefuDesk.onOpen(data.conversation, data, mine);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/ws/console");
    socket.onmessage = function (message) {
      const event = JSON.parse(message.data);
      if (KefuDesk.onEvent(event)) return;
      if (event.type === "message" && event.message.role === "customer" && (event.message.conversation !== current || document.hidden)) {
        if (event.message.conversation !== current) { unread[event.message.conversation] = (unread[event.message.conversation] || 0) + 1; listConversations("mine", "mine").catch(fail); }
        flashTitle();
      }
      if (event.type === "message" && event.message.conversation === current) addLine(event.message);
      if (event.type === "offer" || event.type === "offer_closed") loadOffers().catch(fail);
      if (event.type === "offer" && document.hidden) flashTitle();
      if (event.type === "alert") showAlert(event);
      if (event.type === "whisper") {  // about a conversation not on screen (desk.js shows the current one's)
        unread[event.conversation] = (unread[event.conversation] || 0) + 1;
        fail(new Error("主管" + event.from + "的悄悄话（另一会话）：" + event.text));
        listConversations("mine", "mine").catch(fail);
        flashTitle();
      }
      if (event.type === "taken_over") {
        if (event.conversation === current) {  // no longer this agent's: the transcript stays, the reply box goes
          current = null;
          $("reply-form").hidden = true; $("assist").hidden = true;
          $("title").textContent += "（已由主管接管）";
        }
        refresh().catch(fail).then(function () { fail(new Error("主管" + event.by + "接管了会话，您无需再回复该客户。")); });
      }
      if (event.type === "sent" && event.message.conversation === current) addLine(event.message);
      if (event.type === "error") fail(new Error(event.message));
      if (event.type === "queue" || event.type === "resolved") refresh().catch(fail);
    };
    socket.onclose = function (closed) { if (closed.code !== 4401) setTimeout(connect, 1000); };
  }

  function sendReply() {
    const text = $("reply").value.trim();
    if (!text || !current) return;
    socket.send(JSON.stringify({ type: "reply", conversation: current, text: text, ref: Date.now(), quick_reply: KefuDesk.takePending() }));
    $("reply").value = "";
  }

  $("login").addEventListener("submit", function (event) {
    event.preventDefault();
    api("/login", { username: $("login-user").value, password: $("login-pass").value })
      .then(start).catch(function (error) { $("login-error").textContent = error.message; });
  });
  $("reply-form").addEventListener("submit", function (event) { event.preventDefault(); sendReply(); });
  $("reply").addEventListener("keydown", function (event) {
    if (event.isComposing || KefuDesk.menuKey(event)) return;
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendReply(); }
  });
  // Alt+Enter: accept the first offer; Esc: close the quick-reply menu
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.altKey) { const first = document.querySelector("#offers .accept-offer"); if (first) first.click(); }
    if (event.key === "Escape") $("qr-menu").hidden = true;
  });
  $("whisper-btn").addEventListener("click", function () {
    const text = $("whisper-input").value.trim();
    if (text) api("/conversations/" + current + "/whisper", { text: text }).then(function () { $("whisper-input").value = ""; open(current); }).catch(fail);
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
  setInterval(function () {  // the offers' countdown
    document.querySelectorAll("#offers .offer").forEach(function (card) {
      const line = card.firstChild, left = /剩 (\d+) 秒/.exec(line.textContent);
      if (left && +left[1] > 0) line.textContent = line.textContent.replace(/剩 \d+ 秒/, "剩 " + (left[1] - 1) + " 秒");
    });
  }, 1000);
  start();
})();
