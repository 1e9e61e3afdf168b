/*
 * Steady web chat widget.
 *
 * A website adds one tag, and a chat launcher appears in a corner:
 *
 *   <script src="https://coach.example.org/widget.js" data-title="Talk to Coach" defer></script>
 *
 * The API lives next to this file: the widget takes its base address from
 * its own script's src, so it works on any site the server lets in with
 * `steady serve --allow-origin`. Options are data- attributes on the tag
 * (docs/widget.md lists them all).
 *
 * What it promises the host page and the person using it:
 * - Plain script, no framework, no build step. It loads only widget.css and
 *   talks only to the Steady API: no fonts, no analytics, no other origin.
 * - No eval, no inline script or style, no markup parsed from strings:
 *   every text is set with textContent, so a strict Content-Security-Policy
 *   works and no reply can inject markup.
 * - Everything lives in a shadow root, so the page's styles and the
 *   widget's can't reach each other.
 * - No cookies. The session id is kept in localStorage (so a reload picks the
 *   conversation up again), unless data-shared-device is set; message text
 *   is never stored in the browser, sent anywhere but the API, or logged.
 * - A message that could not be sent stays in the box with a "Try again"
 *   button, and is retried with the same client_message_id, so the server
 *   answers it exactly once.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;  // only works as <script src="...">
  if (document.querySelector("steady-chat")) return;  // the tag was added twice

  var LABELS = {
    en: {
      title: "Talk to a coach",
      close: "Close chat",
      crisis: "In crisis? Call or text 988",
      log: "Conversation",
      you: "You said:",
      coach: "Coach said:",
      typing: "Coach is typing",
      suggestions: "Suggested replies",
      message: "Message",
      placeholder: "Type your message",
      send: "Send",
      retry: "Try again",
      notSent: "Your message wasn't sent. Check your connection, then try again.",
      tooFast: "You're sending messages very quickly. Wait a moment, then try again.",
      cantStart: "Can't reach the coach right now. Check your connection, then try again.",
      ended: "Your earlier conversation has ended, so a new one has started.",
      deleteButton: "Delete my conversation",
      deleteQuestion: "Delete this whole conversation? This can't be undone.",
      deleteYes: "Yes, delete it",
      deleteNo: "Keep it",
      deleted: "Your conversation was deleted. This is a fresh start.",
      deleteFailed: "The conversation couldn't be deleted right now. Please try again.",
      help: "Help right now",
      call: "Call",
      text: "Text",
      newTab: "(opens in a new tab)"
    },
    es: {
      title: "Habla con un coach",
      close: "Cerrar el chat",
      crisis: "¿En crisis? Llama o manda un texto al 988",
      log: "Conversación",
      you: "Tú dijiste:",
      coach: "El coach dijo:",
      typing: "El coach está escribiendo",
      suggestions: "Respuestas sugeridas",
      message: "Mensaje",
      placeholder: "Escribe tu mensaje",
      send: "Enviar",
      retry: "Intentar de nuevo",
      notSent: "Tu mensaje no se envió. Revisa tu conexión y vuelve a intentarlo.",
      tooFast: "Estás enviando mensajes muy rápido. Espera un momento y vuelve a intentarlo.",
      cantStart: "No podemos conectar con el coach ahora. Revisa tu conexión y vuelve a intentarlo.",
      ended: "Tu conversación anterior terminó, así que empezó una nueva.",
      deleteButton: "Borrar mi conversación",
      deleteQuestion: "¿Borrar toda la conversación? No se puede deshacer.",
      deleteYes: "Sí, borrarla",
      deleteNo: "Conservarla",
      deleted: "Tu conversación se borró. Puedes empezar de nuevo.",
      deleteFailed: "No se pudo borrar la conversación ahora. Vuelve a intentarlo.",
      help: "Ayuda ahora mismo",
      call: "Llamar al",
      text: "Enviar texto al",
      newTab: "(se abre en otra pestaña)"
    }
  };

  // How long one API request may take before it counts as failed (ms).
  var REQUEST_TIMEOUT_MS = 20000;
  // The server's limit is 2,000 characters; maxlength counts UTF-16 units,
  // which is never fewer, so the box can't hold a message that is too long.
  var MAX_MESSAGE_LENGTH = 2000;

  // ---- Options -------------------------------------------------------------

  function flag(value) {
    // Present without a value, or anything but "false", turns it on.
    return value !== undefined && value !== "false";
  }

  function cssColor(value) {
    return value && window.CSS && CSS.supports("color", value) ? value : "";
  }

  var data = script.dataset;
  // Labels follow data-lang only, not the page's lang: the replies come in
  // the server's content language whatever the page's is.
  var lang = (data.lang || "en").trim() || "en";
  var labels = LABELS[lang.toLowerCase().split("-")[0]] || LABELS.en;
  var options = {
    title: (data.title || "").trim() || labels.title,
    color: cssColor(data.color),
    textColor: cssColor(data.textColor),
    position: data.position === "bottom-left" ? "left" : "right",
    open: flag(data.open),
    sharedDevice: flag(data.sharedDevice),
    lang: labels === LABELS.en && !/^en\b/i.test(lang) ? "en" : lang
  };
  var apiBase = new URL(".", script.src);
  var storageKey = "steady-session:" + apiBase.href;

  // ---- The session id, kept across reloads unless on a shared device -------

  var store = {
    get: function () {
      if (options.sharedDevice) return null;
      try {
        return window.localStorage.getItem(storageKey);
      } catch (e) {
        return null;  // storage blocked: the conversation lasts as long as the page
      }
    },
    set: function (id) {
      if (options.sharedDevice) return;
      try {
        window.localStorage.setItem(storageKey, id);
      } catch (e) { /* as above */ }
    },
    clear: function () {
      try {
        window.localStorage.removeItem(storageKey);
      } catch (e) { /* as above */ }
    }
  };

  // ---- The API -------------------------------------------------------------

  // Resolves to {status, body} (body: parsed JSON or null); rejects only when
  // no answer came at all (network down, server stopped, timeout).
  function api(method, path, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    var init = {
      method: method,
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      signal: controller.signal
    };
    if (body !== undefined) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    return fetch(new URL(path, apiBase).href, init)
      .then(function (response) {
        return response.text().then(function (text) {
          var parsed = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch (e) { /* not JSON: a proxy's error page */ }
          return { status: response.status, body: parsed };
        });
      })
      .finally(function () { clearTimeout(timer); });
  }

  function sessionPath(id) {
    return "v1/sessions/" + encodeURIComponent(id);
  }

  function newMessageId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "w-" + Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  // ---- Building the DOM: elements and text nodes, never markup -------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === false || value === null || value === undefined) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else node.setAttribute(name, value === true ? "" : value);
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  // A decorative icon from one path (24x24 viewBox).
  function icon(d) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }
  var CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var CLOSE_ICON = "M6 6l12 12M18 6L6 18";
  var PHONE_ICON = "M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.6 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.6 3.6a1 1 0 0 1-.25 1z";

  var host = document.createElement("steady-chat");
  var shadow = host.attachShadow({ mode: "open" });
  if (options.color) host.style.setProperty("--steady-accent", options.color);
  if (options.textColor) host.style.setProperty("--steady-accent-text", options.textColor);

  var stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", apiBase).href });

  var launcher = el("button", {
    type: "button", className: "launcher", "aria-expanded": "false", "aria-controls": "steady-panel"
  }, [icon(CHAT_ICON), el("span", { text: options.title })]);

  var title = el("h2", { id: "steady-title", className: "title", text: options.title });
  var closeButton = el("button", {
    type: "button", className: "close", "aria-label": labels.close
  }, [icon(CLOSE_ICON)]);
  var crisisLink = el("a", { className: "crisis-link", href: "tel:988" },
                      [icon(PHONE_ICON), el("span", { text: labels.crisis })]);
  var header = el("div", { className: "header" }, [
    el("div", { className: "header-row" }, [title, closeButton]),
    crisisLink
  ]);

  // tabindex: a scrolling region must be reachable by keyboard to scroll.
  var log = el("div", {
    className: "log", role: "log", "aria-live": "polite", "aria-label": labels.log, tabindex: "0"
  });
  var typing = el("div", { className: "msg coach typing", hidden: true }, [
    el("span", { className: "visually-hidden", text: labels.typing }),
    el("span", { className: "dots", "aria-hidden": "true" },
       [el("span"), el("span"), el("span")])
  ]);

  var noticeText = el("p", { className: "notice-text" });
  var retryButton = el("button", { type: "button", className: "retry", text: labels.retry });
  var notice = el("div", { className: "notice", role: "alert", hidden: true },
                  [noticeText, retryButton]);

  var input = el("textarea", {
    id: "steady-input", className: "input", rows: "1", maxlength: String(MAX_MESSAGE_LENGTH),
    placeholder: labels.placeholder, autocomplete: "off", enterkeyhint: "send"
  });
  var sendButton = el("button", { type: "submit", className: "send", text: labels.send });
  var form = el("form", { className: "composer", novalidate: true }, [
    el("label", { for: "steady-input", className: "visually-hidden", text: labels.message }),
    input,
    sendButton
  ]);

  var deleteButton = el("button", { type: "button", className: "delete", text: labels.deleteButton });
  var confirmQuestion = el("p", {
    id: "steady-confirm-question", className: "confirm-question", tabindex: "-1",
    text: labels.deleteQuestion
  });
  var confirmYes = el("button", { type: "button", className: "confirm-yes", text: labels.deleteYes });
  var confirmNo = el("button", { type: "button", className: "confirm-no", text: labels.deleteNo });
  var confirmBox = el("div", {
    className: "confirm", role: "group", "aria-labelledby": "steady-confirm-question", hidden: true
  }, [confirmQuestion, el("div", { className: "confirm-buttons" }, [confirmYes, confirmNo])]);
  var footer = el("div", { className: "footer" }, [deleteButton, confirmBox]);

  var panel = el("div", {
    id: "steady-panel", className: "panel", role: "dialog", "aria-labelledby": "steady-title",
    hidden: true
  }, [header, log, notice, form, footer]);

  // Shown once the style sheet has loaded, so the page never sees the
  // widget unstyled.
  var root = el("div", { className: "root at-" + options.position, lang: options.lang, hidden: true },
                [launcher, panel]);
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);
  function reveal() { root.hidden = false; }
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);

  // ---- Conversation state --------------------------------------------------

  var sessionId = null;
  var started = false;      // the conversation is on screen
  var busy = false;         // a request is in flight
  var pending = null;       // {text, id}: a message that could not be sent
  var onRetry = null;       // what "Try again" does now
  // Bumped whenever the screen is cleared, so an answer that arrives for a
  // conversation no longer shown is dropped.
  var generation = 0;

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // After a turn: to the end, unless the turn is taller than the log; then
  // from the person's own message, so the coach's words are read before the
  // card and buttons under them.
  function revealTurn(first) {
    scrollToEnd();
    var top = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (top < 0) log.scrollTop += top - 8;
  }

  function addBubble(role, text) {
    var bubble = el("div", { className: "msg " + role }, [
      el("span", { className: "visually-hidden", text: role === "user" ? labels.you : labels.coach }),
      el("p", { text: text })
    ]);
    log.insertBefore(bubble, typing.parentNode === log ? typing : null);
    scrollToEnd();
    return bubble;
  }

  function addNote(text) {
    log.appendChild(el("p", { className: "note", text: text }));
    scrollToEnd();
  }

  function removeSuggestions() {
    Array.prototype.forEach.call(log.querySelectorAll(".suggestions"), function (node) {
      node.remove();
    });
  }

  function addSuggestions(replies) {
    var buttons = replies.filter(function (r) { return typeof r === "string" && r.trim(); })
      .map(function (reply) {
        var button = el("button", { type: "button", className: "suggestion", text: reply });
        button.addEventListener("click", function () {
          if (busy) return;
          input.focus();  // the buttons are about to go away
          sendMessage(reply, newMessageId());
        });
        return button;
      });
    if (!buttons.length) return;
    log.appendChild(el("div", { className: "suggestions", role: "group", "aria-label": labels.suggestions },
                       buttons));
    scrollToEnd();
  }

  // Only these become links: a resource's phone and sms as digits, and its
  // url only when it is https.
  function dialable(value) {
    var digits = String(value || "").replace(/[^0-9+]/g, "");
    return /^\+?[0-9]{3,15}$/.test(digits) ? digits : "";
  }

  function httpsUrl(value) {
    try {
      var url = new URL(String(value || ""));
      return url.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  function addResources(resources) {
    var items = [];
    resources.forEach(function (resource) {
      if (!resource || typeof resource !== "object") return;
      var links = [];
      var phone = dialable(resource.phone);
      var sms = dialable(resource.sms);
      var url = httpsUrl(resource.url);
      if (phone) {
        links.push(el("a", { className: "resource-link", href: "tel:" + phone, text: labels.call + " " + resource.phone }));
      }
      if (sms) {
        links.push(el("a", { className: "resource-link", href: "sms:" + sms, text: labels.text + " " + resource.sms }));
      }
      if (url) {
        links.push(el("a", {
          className: "resource-link", href: url.href, target: "_blank", rel: "noopener noreferrer"
        }, [document.createTextNode(url.host.replace(/^www\./, "") + " "),
            el("span", { className: "visually-hidden", text: labels.newTab })]));
      }
      var name = typeof resource.name === "string" ? resource.name : "";
      var about = typeof resource.text === "string" ? resource.text : "";
      // The text repeats the name as a lead-in ("Crisis Text Line: text
      // HOME..."); under the name as a heading, the rest reads better.
      var colon = about.indexOf(": ");
      if (colon > 0 && name.indexOf(about.slice(0, colon)) === 0) {
        about = about.charAt(colon + 2).toUpperCase() + about.slice(colon + 3);
      }
      if (!links.length && !about) return;
      items.push(el("li", { className: "resource" }, [
        el("p", { className: "resource-name", text: name }),
        about ? el("p", { className: "resource-text", text: about }) : null,
        links.length ? el("div", { className: "resource-links" }, links) : null
      ]));
    });
    if (!items.length) return;
    log.appendChild(el("div", { className: "resources", role: "group", "aria-label": labels.help }, [
      el("p", { className: "resources-title", text: labels.help }),
      el("ul", { className: "resource-list" }, items)
    ]));
    scrollToEnd();
  }

  // A turn's messages, then its resources where they can't be missed, then
  // the quick replies of its last message.
  function renderReply(body) {
    var messages = Array.isArray(body.messages) ? body.messages : [];
    messages.forEach(function (m) {
      if (m && typeof m.text === "string") addBubble("coach", m.text);
    });
    var resources = body.crisis && Array.isArray(body.crisis.resources)
      ? body.crisis.resources
      : (Array.isArray(body.resources) ? body.resources : []);
    if (resources.length) addResources(resources);
    var last = messages[messages.length - 1];
    if (last && Array.isArray(last.quick_replies)) addSuggestions(last.quick_replies);
  }

  function setTyping(on) {
    if (on) {
      log.appendChild(typing);
      typing.hidden = false;
      scrollToEnd();
    } else if (typing.parentNode) {
      typing.hidden = true;
      typing.remove();
    }
  }

  function setBusy(on) {
    busy = on;
    sendButton.setAttribute("aria-disabled", on ? "true" : "false");
    retryButton.setAttribute("aria-disabled", on ? "true" : "false");
  }

  function showNotice(text, retry) {
    noticeText.textContent = text;
    onRetry = retry || null;
    retryButton.hidden = !retry;
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
    noticeText.textContent = "";
    onRetry = null;
  }

  function clearScreen() {
    generation += 1;
    log.textContent = "";
    setTyping(false);
    setBusy(false);
    hideNotice();
    hideConfirm(false);
    input.value = "";
    fitInput();
    sessionId = null;
    started = false;
    pending = null;
  }

  // ---- Starting, resuming, sending, deleting -------------------------------

  // Puts a conversation on screen: the stored one if the server still has
  // it, else a new one. Resolves to true when one is on screen.
  function startConversation(note) {
    if (started) return Promise.resolve(true);
    if (busy) return Promise.resolve(false);
    var gen = generation;
    setBusy(true);
    setTyping(true);
    hideNotice();
    var stored = sessionId || store.get();
    // A resumed transcript arrives all at once: screen readers should not
    // read the whole conversation out again as it is drawn.
    if (stored) log.setAttribute("aria-busy", "true");
    var resumed = stored
      ? api("GET", sessionPath(stored)).then(function (r) {
          if (r.status === 200 && r.body && Array.isArray(r.body.transcript)) return r.body;
          if (r.status === 404) {
            store.clear();
            note = note || labels.ended;
            return null;
          }
          throw new Error("unavailable");
        })
      : Promise.resolve(null);
    return resumed
      .then(function (view) {
        if (gen !== generation) return false;
        if (view) {
          sessionId = stored;
          view.transcript.forEach(function (line) {
            if (line && typeof line.text === "string") {
              addBubble(line.role === "user" ? "user" : "coach", line.text);
            }
          });
          // Still in crisis: the help card comes back with the transcript.
          var state = view.state || {};
          if (state.crisis && Array.isArray(state.crisis_resources) &&
              state.crisis_resources.length) {
            addResources(state.crisis_resources);
          }
          return true;
        }
        // A JSON body makes the browser ask first (CORS preflight), so a
        // site the server doesn't allow never starts a session at all.
        return api("POST", "v1/sessions", {}).then(function (r) {
          if (gen !== generation) return false;
          if (r.status !== 201 || !r.body || typeof r.body.session_id !== "string") {
            throw new Error("unavailable");
          }
          sessionId = r.body.session_id;
          store.set(sessionId);
          if (note) addNote(note);
          renderReply(r.body);
          return true;
        });
      })
      .then(function (ok) {
        if (gen !== generation) return false;
        started = ok;
        return ok;
      }, function () {
        if (gen !== generation) return false;
        showNotice(labels.cantStart, function () { startConversation(note); });
        return false;
      })
      .finally(function () {
        log.removeAttribute("aria-busy");
        if (gen !== generation) return;
        setTyping(false);
        setBusy(false);
      });
  }

  function restoreDraft(text) {
    if (!input.value) {
      input.value = text;
      fitInput();
    }
  }

  function sendMessage(text, messageId) {
    if (busy) return;
    if (!started) {
      // No conversation yet (the server could not be reached when the
      // panel opened): start one, then send.
      startConversation().then(function (ok) {
        if (ok) sendMessage(text, messageId);
        else restoreDraft(text);
      });
      if (input.value === text) input.value = "";
      return;
    }
    var gen = generation;
    setBusy(true);
    hideNotice();
    hideConfirm(false);
    removeSuggestions();
    if (input.value === text) {
      input.value = "";
      fitInput();
    }
    var bubble = addBubble("user", text);
    setTyping(true);
    api("POST", sessionPath(sessionId) + "/messages", { text: text, client_message_id: messageId })
      .then(function (r) {
        if (gen !== generation) return;
        var body = r.body || {};
        if (r.status === 200) {
          pending = null;
          setTyping(false);
          renderReply(body);
          revealTurn(bubble);
          return;
        }
        bubble.remove();
        setTyping(false);
        restoreDraft(text);
        if (r.status === 404) {
          // The server no longer has this conversation (deleted elsewhere,
          // or past the retention time): start a new one once this request
          // is done; the message stays in the box to send there.
          pending = null;
          store.clear();
          sessionId = null;
          started = false;
          log.textContent = "";
          return "restart";
        }
        if (r.status === 429 || r.status === 408 || r.status >= 500) {
          // Nothing was saved. A crisis reply can ride along an error: it
          // must still be seen.
          if (Array.isArray(body.messages) && body.messages.length) renderReply(body);
          pending = { text: text, id: messageId };
          showNotice(r.status === 429 ? labels.tooFast : labels.notSent, retryPending);
          return;
        }
        // The server refused the message itself (too long, not text...):
        // retrying won't help, its reason (written for people) will.
        pending = null;
        showNotice(body.error && body.error.message ? body.error.message : labels.notSent, null);
      }, function () {
        if (gen !== generation) return;
        bubble.remove();
        setTyping(false);
        restoreDraft(text);
        pending = { text: text, id: messageId };
        showNotice(labels.notSent, retryPending);
      })
      .then(function (next) {
        if (gen !== generation) return;
        setBusy(false);
        if (next === "restart") startConversation(labels.ended);
      });
  }

  function retryPending() {
    if (!pending || busy) return;
    var p = pending;
    input.focus();
    sendMessage(p.text, p.id);
  }

  function submit() {
    var text = input.value;
    if (!text.trim() || busy) return;
    // The same text as the message that failed is that message again: same
    // id, so if the first try did reach the server it is not answered twice.
    var id = pending && pending.text === text ? pending.id : newMessageId();
    sendMessage(text, id);
  }

  function showConfirm() {
    confirmBox.hidden = false;
    deleteButton.hidden = true;
    confirmQuestion.focus();
  }

  function hideConfirm(refocus) {
    confirmBox.hidden = true;
    deleteButton.hidden = false;
    if (refocus) deleteButton.focus();
  }

  function deleteConversation() {
    if (busy) return;
    var id = sessionId;
    var finish = function () {
      store.clear();
      clearScreen();
      addNote(labels.deleted);
      input.focus();
      startConversation();
    };
    if (!id) return finish();
    setBusy(true);
    api("DELETE", sessionPath(id)).then(function (r) {
      setBusy(false);
      // 404: already gone (purged, or deleted in another tab); fine.
      if (r.status === 204 || r.status === 404) return finish();
      hideConfirm(true);
      showNotice(labels.deleteFailed, null);
    }, function () {
      setBusy(false);
      hideConfirm(true);
      showNotice(labels.deleteFailed, null);
    });
  }

  // ---- Opening and closing -------------------------------------------------

  function isOpen() {
    return !panel.hidden;
  }

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("is-open");
    if (moveFocus) input.focus();
    startConversation().then(scrollToEnd);
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("is-open");
    // On a shared device the next person must not see this conversation.
    if (options.sharedDevice) clearScreen();
    launcher.focus();
  }

  function fitInput() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
  }

  launcher.addEventListener("click", function () { open(true); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!confirmBox.hidden) hideConfirm(true);
    else close();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter starts a new line; Enter that finishes an
    // input method's composition does neither.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", fitInput);
  retryButton.addEventListener("click", function () {
    if (onRetry && !busy) onRetry();
  });
  deleteButton.addEventListener("click", showConfirm);
  confirmNo.addEventListener("click", function () { hideConfirm(true); });
  confirmYes.addEventListener("click", deleteConversation);

  function mount() {
    document.body.appendChild(host);
    // Opening on load shows the panel but leaves the page's focus alone.
    if (options.open) open(false);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
