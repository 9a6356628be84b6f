// What the console's pages share: building text-only elements and calling /api/console with the
// session cookie and the CSRF header (bot/gateway/console_guard.py: echo the kefu_csrf cookie).
window.KefuConsole = (function () {
  "use strict";
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function csrf() {
    const found = document.cookie.split("; ").find(function (c) { return c.indexOf("kefu_csrf=") === 0; });
    return found ? decodeURIComponent(found.slice("kefu_csrf=".length)) : "";
  }
  // GET without a body, POST with one (or `method`); `onUnauthorized` runs on a 401 (the session ended)
  async function api(path, body, onUnauthorized, method) {
    const response = await fetch("/api/console" + path, {
      method: method || (body === undefined ? "GET" : "POST"), credentials: "same-origin",
      headers: { "content-type": "application/json", "x-kefu-csrf": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(function () { return {}; });
    if (response.status === 401 && onUnauthorized) onUnauthorized();
    if (!response.ok) throw new Error(data.message || response.statusText);
    return data;
  }
  // bot/risk RISK_CLASSES (and the word 投诉) in the console's words
  const RISK_WORDS = { safety_health: "人身安全/健康", property_account: "财产/账号安全", legal_media: "法律/监管/媒体",
    repeated_anger: "反复未解决/强烈不满", complaint: "投诉" };
  function riskWords(risk) { return RISK_WORDS[risk] || risk; }
  // bot/emotion.py's levels (0: no watched message yet)
  const LEVEL_WORDS = { 0: "—", 1: "平稳", 2: "情绪不满", 3: "红色预警" };
  function levelWords(level) { return LEVEL_WORDS[level] || String(level); }
  // a supervisor's red alert (bot/gateway/live_watch.py) in `banner`, with buttons [[label, className, onClick]]
  function showAlert(banner, event, buttons) {
    banner.hidden = false; banner.replaceChildren();
    banner.appendChild(el("strong", "红色预警 "));
    banner.appendChild(el("span", (event.risk ? "风险：" + riskWords(event.risk) : "强烈不满") + "：「" + (event.message.text || "") + "」"));
    buttons.forEach(function (b) {
      const button = el("button", b[0], b[1]);
      button.addEventListener("click", b[2]);
      banner.appendChild(button);
    });
  }
  return { el: el, api: api, riskWords: riskWords, levelWords: levelWords, showAlert: showAlert };
})();
