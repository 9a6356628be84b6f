// Kefu tickets: the list by status with SLA breaches highlighted and counted, one ticket with its
// history, and the changes an agent makes (status along 待处理→处理中→待确认→已关闭 and reopen,
// assign, comment, link a conversation). Uses the console's session cookie; all text via textContent.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const NEXT = { "待处理": ["处理中", "已关闭"], "处理中": ["待确认", "已关闭"], "待确认": ["已关闭", "处理中"], "已关闭": ["处理中"] };
  let me = null;
  let current = null;
  let status = "";

  const el = KefuConsole.el;
  const api = KefuConsole.api;  // a 401 here means: log in at the console (start() shows the link)
  function fail(error) { $("action-error").textContent = error.message; }
  function when(iso) { return iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "—"; }

  async function start() {
    try { me = await api("/me"); } catch (error) { $("need-login").hidden = false; return; }
    $("desk").hidden = false;
    $("me").textContent = me.name;
    const assignees = await api("/tickets-assignees");
    assignees.agents.forEach(function (a) {
      const option = el("option", a.name + "（" + a.groups.join("、") + "）");
      option.value = a.username;
      $("assignee").appendChild(option);
    });
    await refresh();
    const wanted = new URLSearchParams(location.search).get("ticket");
    if (wanted) open(Number(wanted));
  }

  async function refresh() {
    const query = "?status=" + encodeURIComponent(status) + ($("overdue").checked ? "&overdue=true" : "") +
      ($("mine").checked ? "&mine=true" : "");
    const data = await api("/tickets" + query);
    $("breached").textContent = data.breached ? "超时 " + data.breached : "";
    document.querySelectorAll("#filters button").forEach(function (b) {
      const count = b.dataset.status ? data.counts[b.dataset.status] : null;
      b.textContent = (b.dataset.status || "全部") + (count !== null && count !== undefined ? " " + count : "");
      b.classList.toggle("secondary", b.dataset.status !== status);
    });
    const list = $("list");
    list.replaceChildren();
    if (!data.tickets.length) list.appendChild(el("p", "没有工单", "meta"));
    data.tickets.forEach(function (t) {
      const card = el("div", null, "card ticket-card " + t.priority + (t.breached ? " breached" : ""));
      card.dataset.ticket = t.id;
      card.appendChild(el("strong", t.number + " " + t.title));
      card.appendChild(el("div", t.status + " · " + t.group + " · " + (t.owner || "未指派") + " · 时限 " + when(t.due_at), "meta"));
      if (t.breached) card.appendChild(el("div", "已超时", "error"));
      card.addEventListener("click", function () { open(t.id); });
      list.appendChild(card);
    });
  }

  async function open(id) {
    $("action-error").textContent = "";
    let t;
    try { t = await api("/tickets/" + id); } catch (error) { fail(error); return; }
    current = t.id;
    $("title").textContent = t.number + (t.reference ? "（" + t.reference + "）" : "") + " " + t.title;
    $("ticket").hidden = false;
    $("facts").textContent = t.status + " · " + t.problem_class + " · " + t.priority + " · " + t.group + " · 来源 " + t.source +
      " · 客户 " + t.customer + " · 创建于 " + when(t.created_at);
    $("detail").textContent = t.detail;
    $("due").textContent = when(t.due_at);
    $("due-state").textContent = t.breached ? "已超时" : "";
    $("due-state").className = t.breached ? "error" : "";
    $("owner").textContent = t.owner || "未指派";
    $("followup").textContent = t.followup.due_at ? "回访：" + when(t.followup.due_at) +
      (t.followup.score ? "，评分 " + t.followup.score : "") + (t.followup.solved === true ? "，已解决" : t.followup.solved === false ? "，未解决" : "") : "";
    const conversations = [t.conversation].concat(t.linked_conversations).filter(Boolean);
    $("conversations").textContent = conversations.length ? "会话：" + conversations.join("、") : "";
    const events = $("events");
    events.replaceChildren();
    t.events.forEach(function (e) { events.appendChild(el("li", when(e.at) + " " + e.actor + " " + e.action + " " + e.detail)); });
    const moves = $("moves");
    moves.replaceChildren();
    NEXT[t.status].forEach(function (next) {
      const button = el("button", (t.status === "已关闭" ? "重新打开→" : "→") + next, "move");
      button.type = "button";
      button.dataset.status = next;
      button.addEventListener("click", function () { change("/status", { status: next }); });
      moves.appendChild(button);
    });
  }

  function change(path, body) {
    if (current === null) return Promise.resolve();
    return api("/tickets/" + current + path, body).then(function () { return refresh(); })
      .then(function () { return open(current); }).catch(fail);
  }

  $("filters").addEventListener("click", function (event) {
    if (event.target.dataset && event.target.dataset.status !== undefined) { status = event.target.dataset.status; refresh().catch(fail); }
  });
  $("overdue").addEventListener("change", function () { refresh().catch(fail); });
  $("mine").addEventListener("change", function () { refresh().catch(fail); });
  $("assign-btn").addEventListener("click", function () { change("/assign", { agent: $("assignee").value }); });
  $("comment-btn").addEventListener("click", function () {
    change("/comment", { text: $("comment").value }).then(function () { $("comment").value = ""; });
  });
  $("link-btn").addEventListener("click", function () { change("/link", { conversation: $("link-input").value.trim() }); });
  setInterval(function () { if (me) refresh().catch(function () {}); }, 15000);
  start();
})();
