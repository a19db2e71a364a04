/* Visma Mobile Scanner web app. Talks only to the public mobile API (/api/v1/).
 * The token lives on this phone only (localStorage); documents waiting for a
 * connection live in IndexedDB with their Idempotency-Key, so a retry never makes a
 * second document. Dutch by default, English when the phone's language is English. */
(function () {
  "use strict";

  const script = document.currentScript;
  const API = script.dataset.api;
  const SERVICE_WORKER = script.dataset.serviceWorker;
  const LONG_EDGE = 2500;
  const POLL_MS = 3000;

  // --- Strings -------------------------------------------------------------------
  const STRINGS = {
    nl: {
      offline: "Offline",
      signOut: "Afmelden",
      signInTitle: "Aanmelden",
      signInIntro: "Meld u aan met het e-mailadres en wachtwoord van Mamut Business Software.",
      email: "E-mailadres",
      password: "Wachtwoord",
      signIn: "Aanmelden",
      signingIn: "Bezig met aanmelden…",
      signedInAs: "Aangemeld als {email}",
      invalid_credentials: "Het e-mailadres of wachtwoord is onjuist.",
      not_registered: "U bent niet geregistreerd als mobiele gebruiker. Vraag uw beheerder u te registreren, of registreer uzelf via Beheer → Instellingen → Gebruiker → Diensten.",
      service_inactive: "Visma Mobile Scanner is niet actief voor dit bedrijf. Vraag uw beheerder de dienst te activeren.",
      permission_denied: "Uw toegangsprofiel geeft geen toegang tot Visma Mobile Scanner. Vraag uw beheerder om de functie \"Toegang tot Visma Mobile Scanner\".",
      throttled: "Te veel mislukte pogingen. Probeer het over een paar minuten opnieuw.",
      invalid: "Vul een geldig e-mailadres en uw wachtwoord in.",
      network: "Geen verbinding met de server. Controleer uw internetverbinding en probeer het opnieuw.",
      unknown: "Er ging iets mis: {detail}",
      signedOut: "U bent afgemeld op deze telefoon.",
      expired: "U bent afgemeld. Meld u opnieuw aan.",
      signOutOffline: "Afmelden lukt alleen met verbinding. Probeer het opnieuw als u online bent.",
      signOutPending: "Er wachten nog {n} bonnen op verbinding. Ze blijven op deze telefoon en worden verstuurd als u zich weer aanmeldt. Toch afmelden?",
      newDocument: "Nieuwe bon",
      takePhoto: "Foto maken",
      page: "Pagina {n}",
      removePage: "Pagina {n} verwijderen",
      confirmRemovePage: "Pagina {n} verwijderen?",
      kind: "Soort",
      receipt: "Kassabon",
      invoice: "Factuur",
      note: "Notitie",
      send: "Versturen",
      progress: "Versturen",
      noPages: "Maak eerst een foto van de bon.",
      preparing: "Foto voorbereiden…",
      notAnImage: "Dit bestand is geen foto die de telefoon kan lezen; het wordt verstuurd zoals het is.",
      sent: "Verstuurd.",
      queued: "Geen verbinding: de bon staat klaar op deze telefoon en wordt verstuurd zodra er weer verbinding is.",
      myDocuments: "Mijn bonnen",
      noDocuments: "U hebt nog geen bonnen verstuurd.",
      pages: "{n} pagina's",
      onePage: "1 pagina",
      status_waiting: "wacht op verbinding",
      status_sending: "wordt verstuurd",
      status_rejected: "niet verstuurd: {reason}",
      status_received: "ontvangen",
      status_processing: "verwerken",
      status_ready: "klaar",
      status_failed: "mislukt: {reason}",
      status_linked: "gekoppeld aan boeking {n}",
      status_linked_no_number: "gekoppeld aan een boeking",
      status: "Status",
      discard: "Niet versturen",
      sendAgain: "Opnieuw versturen",
      confirmDiscard: "Deze bon niet versturen en van de telefoon verwijderen?",
      thumbnail: "Miniatuur",
    },
    en: {
      offline: "Offline",
      signOut: "Sign out",
      signInTitle: "Sign in",
      signInIntro: "Sign in with the email address and password of Mamut Business Software.",
      email: "Email address",
      password: "Password",
      signIn: "Sign in",
      signingIn: "Signing in…",
      signedInAs: "Signed in as {email}",
      invalid_credentials: "The email address or password is not correct.",
      not_registered: "You are not registered as a mobile user. Ask your administrator to register you, or register yourself under Administration → Settings → User → Services.",
      service_inactive: "Visma Mobile Scanner is not active for this company. Ask your administrator to activate the service.",
      permission_denied: "Your access profile does not include Visma Mobile Scanner. Ask your administrator for the function \"Access to Visma Mobile Scanner\".",
      throttled: "Too many failed attempts. Try again in a few minutes.",
      invalid: "Enter a valid email address and your password.",
      network: "No connection to the server. Check your internet connection and try again.",
      unknown: "Something went wrong: {detail}",
      signedOut: "You are signed out on this phone.",
      expired: "You have been signed out. Sign in again.",
      signOutOffline: "Signing out needs a connection. Try again when you are online.",
      signOutPending: "{n} documents are still waiting for a connection. They stay on this phone and are sent when you sign in again. Sign out anyway?",
      newDocument: "New document",
      takePhoto: "Take photo",
      page: "Page {n}",
      removePage: "Remove page {n}",
      confirmRemovePage: "Remove page {n}?",
      kind: "Kind",
      receipt: "Receipt",
      invoice: "Invoice",
      note: "Note",
      send: "Send",
      progress: "Sending",
      noPages: "Take a photo of the document first.",
      preparing: "Preparing the photo…",
      notAnImage: "The phone cannot read this file as a photo; it is sent as it is.",
      sent: "Sent.",
      queued: "No connection: the document is kept on this phone and sent as soon as the connection is back.",
      myDocuments: "My documents",
      noDocuments: "You have not sent any documents yet.",
      pages: "{n} pages",
      onePage: "1 page",
      status_waiting: "waiting for a connection",
      status_sending: "sending",
      status_rejected: "not sent: {reason}",
      status_received: "received",
      status_processing: "processing",
      status_ready: "ready",
      status_failed: "failed: {reason}",
      status_linked: "linked to voucher {n}",
      status_linked_no_number: "linked to a voucher",
      status: "Status",
      discard: "Do not send",
      sendAgain: "Send again",
      confirmDiscard: "Do not send this document and remove it from the phone?",
      thumbnail: "Thumbnail",
    },
  };
  const LANG = (navigator.language || "nl").toLowerCase().startsWith("en") ? "en" : "nl";
  document.documentElement.lang = LANG;

  function t(key, values) {
    let text = STRINGS[LANG][key];
    if (text === undefined) text = STRINGS.nl[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function translatePage() {
    for (const element of document.querySelectorAll("[data-t]")) {
      element.textContent = t(element.dataset.t);
    }
  }

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  // --- Session (the token stays on this phone) -------------------------------------
  const SESSION_KEY = "mamut-phone-session";

  function session() {
    try {
      // No expiry check here: the server renews the token on every use, so the
      // expires_at of the sign-in is out of date; an expired token answers 401.
      return JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function deviceName() {
    const ua = navigator.userAgent;
    const platform = /iPhone/.test(ua) ? "iPhone" : /iPad/.test(ua) ? "iPad"
      : /Android/.test(ua) ? "Android" : /Windows/.test(ua) ? "Windows"
      : /Mac OS/.test(ua) ? "Mac" : /Linux/.test(ua) ? "Linux" : "";
    const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox"
      : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "";
    const name = [platform, browser].filter(Boolean).join(" · ");
    return ((name || "Web") + " (web app)").slice(0, 100);
  }

  function authHeaders() {
    const current = session();
    return current ? { Authorization: "Bearer " + current.token } : {};
  }

  async function api(method, path, body) {
    const headers = Object.assign({ Accept: "application/json" }, authHeaders());
    const init = { method: method, headers: headers, credentials: "omit" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path.startsWith("http") ? path : API + path, init);
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (error) { data = null; }
    }
    return { status: response.status, data: data };
  }

  function refusal(data) {
    const code = data && data.code;
    if (code && STRINGS.nl[code]) return t(code);
    return t("unknown", { detail: (data && data.detail) || "?" });
  }

  // --- The queue of documents to send (IndexedDB) ----------------------------------
  let database = null;
  function openDatabase() {
    if (database) return database;
    database = new Promise((resolve, reject) => {
      const request = indexedDB.open("mamut-phone", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("outbox", { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return database;
  }

  async function store(mode, work) {
    const db = await openDatabase();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("outbox", mode);
      const request = work(transaction.objectStore("outbox"));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }
  const outboxAll = () => store("readonly", (s) => s.getAll());
  const outboxPut = (item) => store("readwrite", (s) => s.put(item));
  const outboxDelete = (key) => store("readwrite", (s) => s.delete(key));

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, "$1-$2-$3-$4-$5");
  }

  // --- Photos: scaled down on the phone, orientation kept -------------------------
  async function scaled(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      return { blob: file, readable: false };
    }
    const ratio = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
    const width = Math.round(bitmap.width * ratio);
    const height = Math.round(bitmap.height * ratio);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
    if (bitmap.close) bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    return { blob: blob || file, readable: true };
  }

  // --- The draft: pages, kind, note -------------------------------------------------
  let draftPages = []; // {blob, url, taken}

  function renderPages() {
    const list = $("pages");
    list.replaceChildren();
    draftPages.forEach((page, index) => {
      const n = index + 1;
      const remove = el("button", { type: "button", text: t("removePage", { n: n }) });
      remove.addEventListener("click", () => {
        if (!window.confirm(t("confirmRemovePage", { n: n }))) return;
        URL.revokeObjectURL(page.url);
        draftPages.splice(index, 1);
        renderPages();
      });
      list.append(el("li", {}, [
        el("img", { src: page.url, alt: t("page", { n: n }) }),
        el("span", { text: t("page", { n: n }) }),
        remove,
      ]));
    });
    $("send").disabled = draftPages.length === 0;
  }

  async function addPhotos(files) {
    const message = $("send-message");
    for (const file of files) {
      message.textContent = t("preparing");
      const result = await scaled(file);
      draftPages.push({
        blob: result.blob,
        url: URL.createObjectURL(result.blob),
        taken: file.lastModified || Date.now(),
      });
      message.textContent = result.readable ? "" : t("notAnImage");
      renderPages();
    }
  }

  async function sendDraft() {
    if (draftPages.length === 0) {
      $("send-message").textContent = t("noPages");
      return;
    }
    const current = session();
    if (!current) {
      signedOut(t("expired"));
      return;
    }
    const item = {
      key: newKey(),
      email: current.user.email,
      kind: document.querySelector("input[name=kind]:checked").value,
      note: $("note").value,
      captured_at: new Date(Math.min(Date.now(), draftPages[0].taken)).toISOString(),
      pages: draftPages.map((page) => page.blob),
      created: Date.now(),
      state: "waiting",
      reason: "",
    };
    await outboxPut(item); // kept on the phone before anything goes over the network
    draftPages.forEach((page) => URL.revokeObjectURL(page.url));
    draftPages = [];
    $("note").value = "";
    document.querySelector("input[name=kind][value=receipt]").checked = true;
    renderPages();
    $("send-message").textContent = "";
    await renderDocuments();
    flush();
  }

  // --- Sending: one at a time, the same Idempotency-Key for every try ---------------
  let flushing = false;
  let sendingKey = null;

  function upload(item) {
    return new Promise((resolve) => {
      const form = new FormData();
      item.pages.forEach((blob, index) => {
        const extension = blob.type === "image/jpeg" ? "jpg" : (blob.type.split("/")[1] || "bin");
        form.append("file", blob, "page-" + (index + 1) + "." + extension);
      });
      form.append("kind", item.kind);
      form.append("note", item.note);
      form.append("captured_at", item.captured_at);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", API + "receipts/");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("Idempotency-Key", item.key);
      const headers = authHeaders();
      if (headers.Authorization) xhr.setRequestHeader("Authorization", headers.Authorization);
      const box = $("progress-box");
      const bar = $("progress");
      bar.value = 0;
      box.hidden = false;
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
      };
      const done = (status, data) => {
        box.hidden = true;
        resolve({ status: status, data: data });
      };
      xhr.onload = () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (error) { data = null; }
        done(xhr.status, data);
      };
      xhr.onerror = () => done(0, null);
      xhr.ontimeout = () => done(0, null);
      xhr.onabort = () => done(0, null);
      xhr.send(form);
    });
  }

  async function flush() {
    const current = session();
    if (flushing || !current) return;
    flushing = true;
    let sent = false;
    try {
      const items = (await outboxAll()).sort((a, b) => a.created - b.created);
      for (const item of items) {
        if (item.email !== current.user.email || item.state === "rejected") continue;
        sendingKey = item.key;
        await renderDocuments();
        const result = await upload(item);
        sendingKey = null;
        if (result.status === 200 || result.status === 201) {
          await outboxDelete(item.key);
          sent = true;
          $("send-message").textContent = t("sent");
          continue;
        }
        if (result.status === 401) {
          signedOut(t("expired"));
          break;
        }
        if (result.status === 0) {
          $("send-message").textContent = t("queued");
          break;
        }
        if ([400, 413, 415, 422].includes(result.status)) {
          item.state = "rejected";
          item.reason = (result.data && result.data.detail) || String(result.status);
          await outboxPut(item);
          continue;
        }
        // 403 (service off, no access), 409 (in progress), 429, 5xx: try again later.
        $("send-message").textContent = refusal(result.data);
        break;
      }
    } catch (error) {
      $("send-message").textContent = t("unknown", { detail: String(error) });
    } finally {
      sendingKey = null;
      flushing = false;
      if (sent) await refreshDocuments();
      else await renderDocuments();
    }
  }

  // --- Mijn bonnen ---------------------------------------------------------------------
  let serverDocuments = [];
  const thumbnails = new Map(); // document id → object URL

  function documentStatus(doc) {
    if (doc.linked) {
      return doc.voucher != null
        ? { css: "linked", text: t("status_linked", { n: doc.voucher_year + "-" + doc.voucher }) }
        : { css: "linked", text: t("status_linked_no_number") };
    }
    if (doc.status === "failed") {
      const reason = (doc.failure && (doc.failure.detail || doc.failure.code)) || "?";
      return { css: "failed", text: t("status_failed", { reason: reason }) };
    }
    return { css: doc.status, text: t("status_" + doc.status) };
  }

  function kindLabel(kind) {
    return kind === "invoice" ? t("invoice") : t("receipt");
  }

  function when(value) {
    try {
      return new Date(value).toLocaleString(LANG === "en" ? "en-GB" : "nl-NL",
        { dateStyle: "short", timeStyle: "short" });
    } catch (error) {
      return "";
    }
  }

  function row(thumbnail, kind, created, pages, note, status, action) {
    const text = el("div", { className: "text" }, [
      el("div", { className: "what", text: kindLabel(kind) + " · " + when(created) }),
      el("div", { text: pages === 1 ? t("onePage") : t("pages", { n: pages }) }),
    ]);
    if (note) text.append(el("div", { className: "note", text: note }));
    text.append(el("div", {}, [
      el("span", { className: "visually-hidden", text: t("status") + ": " }),
      el("span", { className: "status " + status.css, text: status.text }),
    ]));
    const children = [thumbnail || el("div", { className: "thumb", "aria-hidden": "true" }), text];
    if (action) children.push(action);
    return el("li", {}, children);
  }

  async function thumbnailFor(doc) {
    if (!doc.thumbnail_url) return null;
    if (!thumbnails.has(doc.id)) {
      thumbnails.set(doc.id, null);
      try {
        const response = await fetch(doc.thumbnail_url, { headers: authHeaders(), credentials: "omit" });
        if (response.ok) {
          thumbnails.set(doc.id, URL.createObjectURL(await response.blob()));
          renderDocuments();
        } else {
          thumbnails.delete(doc.id);
        }
      } catch (error) {
        thumbnails.delete(doc.id);
      }
    }
    return null;
  }

  // Renders overlap (polling, thumbnails, sending): each one reads the outbox
  // asynchronously, so only the latest may write the list, or a stale read could
  // show a sent document twice ("wordt verstuurd" beside "klaar") until the next render.
  let renderGeneration = 0;

  async function renderDocuments() {
    const current = session();
    if (!current) return;
    const generation = ++renderGeneration;
    const list = $("documents");
    const stored = await outboxAll();
    if (generation !== renderGeneration) return;
    const waiting = stored
      .filter((item) => item.email === current.user.email)
      .sort((a, b) => b.created - a.created);
    const rows = waiting.map((item) => {
      let status;
      let action = null;
      if (item.state === "rejected") {
        status = { css: "rejected", text: t("status_rejected", { reason: item.reason }) };
        // Refused (too large, quota full, ...): sent again once the cause is gone
        // (e.g. the bookkeeper emptied the trash), or not sent at all.
        const again = el("button", { type: "button", text: t("sendAgain") });
        again.addEventListener("click", async () => {
          item.state = "waiting";
          delete item.reason;
          await outboxPut(item);
          flush();
        });
        const discard = el("button", { type: "button", text: t("discard") });
        discard.addEventListener("click", async () => {
          if (!window.confirm(t("confirmDiscard"))) return;
          await outboxDelete(item.key);
          renderDocuments();
        });
        action = el("div", { className: "actions" }, [again, discard]);
      } else if (item.key === sendingKey) {
        status = { css: "waiting", text: t("status_sending") };
      } else {
        status = { css: "waiting", text: t("status_waiting") };
      }
      return row(null, item.kind, item.created, item.pages.length, item.note, status, action);
    });
    for (const doc of serverDocuments) {
      thumbnailFor(doc);
      const url = thumbnails.get(doc.id);
      const image = url ? el("img", { className: "thumb", src: url, alt: t("thumbnail") }) : null;
      rows.push(row(image, doc.kind, doc.created_at, doc.pages, doc.note, documentStatus(doc), null));
    }
    list.replaceChildren(...rows);
    $("documents-empty").hidden = rows.length > 0;
  }

  async function refreshDocuments() {
    if (!session()) return;
    try {
      const result = await api("GET", "receipts/");
      if (result.status === 401) {
        signedOut(t("expired"));
        return;
      }
      // A list fetched while an upload is in flight may already hold the document
      // that the outbox still shows as being sent; flush refreshes when it is done.
      if (result.status === 200 && !flushing) {
        serverDocuments = result.data.results;
        await renderDocuments();
      }
    } catch (error) {
      // Offline: the list shows what it had.
    }
  }

  // --- Views ---------------------------------------------------------------------------
  let poller = null;

  function showSignIn(message) {
    clearInterval(poller);
    poller = null;
    serverDocuments = [];
    $("main-view").hidden = true;
    $("sign-out").hidden = true;
    $("sign-in-view").hidden = false;
    const error = $("sign-in-error");
    error.textContent = message || "";
    error.hidden = !message;
    const email = $("email");
    if (!email.value) email.value = new URLSearchParams(location.search).get("email") || "";
    (email.value ? $("password") : email).focus();
  }

  function showMain() {
    const current = session();
    $("sign-in-view").hidden = true;
    $("main-view").hidden = false;
    $("sign-out").hidden = false;
    $("signed-in-as").textContent = t("signedInAs", { email: current.user.email });
    renderPages();
    renderDocuments();
    refreshDocuments();
    flush();
    clearInterval(poller);
    poller = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      refreshDocuments();
      flush();
    }, POLL_MS);
  }

  function signedOut(message) {
    localStorage.removeItem(SESSION_KEY);
    thumbnails.forEach((url) => url && URL.revokeObjectURL(url));
    thumbnails.clear();
    showSignIn(message);
  }

  async function signIn(event) {
    event.preventDefault();
    const error = $("sign-in-error");
    const button = event.submitter || $("sign-in-form").querySelector("button");
    error.hidden = true;
    button.disabled = true;
    button.textContent = t("signingIn");
    try {
      const result = await api("POST", "auth/token/", {
        email: $("email").value.trim(),
        password: $("password").value,
        device_name: deviceName(),
      });
      if (result.status === 201) {
        localStorage.setItem(SESSION_KEY, JSON.stringify(result.data));
        $("password").value = "";
        showMain();
        return;
      }
      error.textContent = refusal(result.data);
    } catch (failure) {
      error.textContent = t("network");
    } finally {
      button.disabled = false;
      button.textContent = t("signIn");
    }
    error.hidden = false;
  }

  async function signOut() {
    const current = session();
    if (!current) {
      signedOut("");
      return;
    }
    const pending = (await outboxAll()).filter((item) => item.email === current.user.email);
    if (pending.length && !window.confirm(t("signOutPending", { n: pending.length }))) return;
    let result;
    try {
      result = await api("DELETE", "auth/token/");
    } catch (error) {
      $("send-message").textContent = t("signOutOffline");
      return;
    }
    if (result.status === 204 || result.status === 401) signedOut(t("signedOut"));
    else $("send-message").textContent = refusal(result.data);
  }

  function showConnection() {
    $("connection").hidden = navigator.onLine;
  }

  // --- Start -----------------------------------------------------------------------------
  function start() {
    translatePage();
    showConnection();
    $("sign-in-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", signOut);
    $("camera").addEventListener("change", async (event) => {
      const files = Array.from(event.target.files || []);
      event.target.value = "";
      await addPhotos(files);
    });
    $("send").addEventListener("click", sendDraft);
    window.addEventListener("online", () => {
      showConnection();
      flush();
      refreshDocuments();
    });
    window.addEventListener("offline", showConnection);
    if (session()) showMain();
    else showSignIn("");
    if ("serviceWorker" in navigator && SERVICE_WORKER) {
      navigator.serviceWorker.register(SERVICE_WORKER, { scope: SERVICE_WORKER.replace(/[^/]*$/, "") }).catch(() => {});
    }
  }

  start();
})();
