// The agent's desk beside a conversation: suggested answers from the knowledge base and a search box,
// quick replies (typed as /shortcut in the reply box, variables filled by the gateway), the live
// emotion/risk level of each customer message with a calming line at level 2+, and whispers.
// All text goes through textContent (KefuConsole.el).
window.KefuDesk = (function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const el = KefuConsole.el;
  let api = null, fail = null, current = null;
  let replies = [];          // quick replies: shared and mine
  let pending = null;        // the quick reply the reply box's text came from (counted when sent)
  let signals = {};          // message id → signal
  let ready = false;

  function insert(text, quickReplyId) {
    const box = $("reply");
    box.value = box.value.replace(/(^|\s)\/\S*$/, "$1") + text;  // a typed "/shortcut" is replaced
    pending = quickReplyId || null;
    box.focus();
  }

  // suggested answers --------------------------------------------------------------------------
  function renderSuggestions(items, problem) {
    const box = $("suggestions");
    box.replaceChildren();
    if (problem) box.appendChild(el("p", "推荐暂不可用：" + problem, "meta"));
    if (!items.length && !problem) box.appendChild(el("p", "暂无推荐", "meta"));
    items.forEach(function (item) {
      const card = el("div", null, "card suggestion");
      card.appendChild(el("strong", item.title));
      card.appendChild(el("div", item.text, "suggestion-text"));
      card.appendChild(el("div", "来源：" + item.source, "meta citation"));
      const use = el("button", "插入", "secondary use-suggestion");
      use.type = "button";
      use.addEventListener("click", function () { insert(item.text, null); });
      card.appendChild(use);
      box.appendChild(card);
    });
  }

  // quick replies -------------------------------------------------------------------------------
  async function loadQuickReplies() {
    replies = (await api("/quick-replies")).quick_replies;
    const box = $("quick-replies");
    box.replaceChildren();
    replies.forEach(function (reply) {
      const row = el("div", null, "quick-reply");
      const pick = el("button", "/" + reply.shortcut + " " + reply.title, "secondary");
      pick.type = "button";
      pick.title = reply.text;
      pick.addEventListener("click", function () { useQuickReply(reply); });
      row.appendChild(pick);
      if (reply.mine) {
        const drop = el("button", "删除", "secondary small");
        drop.type = "button";
        drop.addEventListener("click", function () {
          api("/quick-replies/" + reply.id, undefined, undefined, "DELETE").then(loadQuickReplies).catch(fail);
        });
        row.appendChild(drop);
      }
      box.appendChild(row);
    });
  }

  async function useQuickReply(reply) {
    if (!current) return;
    $("qr-menu").hidden = true;
    const rendered = await api("/quick-replies/" + reply.id + "/render", { conversation: current });
    insert(rendered.text, reply.id);
    if (rendered.missing.length) fail(new Error("请补全：" + rendered.missing.join("、")));
  }

  function matching(word) {
    return replies.filter(function (r) { return r.shortcut.indexOf(word) === 0 || r.title.indexOf(word) >= 0; });
  }

  function showMenu() {
    const typed = /(?:^|\s)\/(\S*)$/.exec($("reply").value);
    const menu = $("qr-menu");
    menu.replaceChildren();
    const found = typed ? matching(typed[1]) : [];
    menu.hidden = !found.length;
    found.slice(0, 8).forEach(function (reply, index) {
      const item = el("div", "/" + reply.shortcut + " · " + reply.title, "qr-item" + (index === 0 ? " active" : ""));
      item.dataset.reply = reply.id;
      item.addEventListener("mousedown", function (event) { event.preventDefault(); useQuickReply(reply).catch(fail); });
      menu.appendChild(item);
    });
  }

  // true when the key was the menu's (Enter or Tab picks the first match)
  function menuKey(event) {
    if ($("qr-menu").hidden || (event.key !== "Enter" && event.key !== "Tab")) return false;
    const first = replies.find(function (r) { return String(r.id) === $("qr-menu").firstChild.dataset.reply; });
    event.preventDefault();
    if (first) useQuickReply(first).catch(fail);
    return true;
  }

  // signals and whispers ------------------------------------------------------------------------
  function badge(line, signal) {
    if (!line || !signal || line.querySelector(".level")) return;
    const label = KefuConsole.levelWords(signal.level) + (signal.emotion ? "·" + signal.emotion : "") + (signal.risk ? "·" + KefuConsole.riskWords(signal.risk) : "");
    line.appendChild(el("span", label, "level level-" + signal.level));
    if (signal.calming) {
      const calm = el("button", "安抚话术：" + signal.calming, "secondary calming");
      calm.type = "button";
      calm.addEventListener("click", function () { insert(signal.calming, null); });
      line.appendChild(calm);
    }
  }

  function decorate(line, message) {
    if (message.role === "customer") badge(line, signals[String(message.id)]);
  }

  function whisperLine(text, from) {
    const line = el("li", null, "message whisper");
    line.appendChild(el("div", "悄悄话（" + from + "）：" + text, "text"));
    $("transcript").appendChild(line);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  function onOpen(conversationId, data, mayReply) {
    current = conversationId;
    signals = data.signals || {};
    pending = null;
    $("assist").hidden = !mayReply;
    (data.whispers || []).forEach(function (w) { whisperLine(w.text, "主管"); });
    if (mayReply) api("/conversations/" + conversationId + "/suggestions").then(function (s) { renderSuggestions(s.items, s.problem); }).catch(fail);
  }

  // events of the console's WebSocket that concern the desk; true when handled
  function onEvent(event) {
    if (event.conversation !== current) return false;
    if (event.type === "signal") {
      signals[String(event.signal.message_id)] = event.signal;
      badge(document.querySelector("#transcript li[data-message='" + event.signal.message_id + "']"), event.signal);
      return true;
    }
    if (event.type === "suggestions") { renderSuggestions(event.items, null); return true; }
    if (event.type === "whisper") { whisperLine(event.text, event.from); return true; }
    return false;
  }

  function init(options) {
    api = options.api; fail = options.fail;
    if (ready) return loadQuickReplies();  // logged in again: the listeners are already there
    ready = true;
    $("reply").addEventListener("input", showMenu);
    $("reply").addEventListener("blur", function () { $("qr-menu").hidden = true; });
    $("kb-search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      const q = $("kb-search").value.trim();
      if (q) api("/knowledge?q=" + encodeURIComponent(q)).then(function (s) { renderSuggestions(s.items, s.problem); }).catch(fail);
    });
    $("qr-add").addEventListener("click", function () {
      api("/quick-replies", { shortcut: $("qr-shortcut").value.trim(), title: $("qr-title").value.trim(), text: $("qr-text").value })
        .then(function () { $("qr-shortcut").value = $("qr-title").value = $("qr-text").value = ""; return loadQuickReplies(); }).catch(fail);
    });
    return loadQuickReplies();
  }

  return {
    init: init, onOpen: onOpen, onEvent: onEvent, decorate: decorate, menuKey: menuKey,
    takePending: function () { const id = pending; pending = null; return id; },
  };
})();
