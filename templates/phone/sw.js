// Visma Mobile Scanner web app: the service worker. It keeps the app shell and its
// assets so the app opens without a connection. The API is never cached.
const CACHE = "mamut-phone-{{ version }}";
const SHELL = "{{ shell|escapejs }}";
const ASSETS = [SHELL{% for asset in assets %}, "{{ asset|escapejs }}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("mamut-phone-") && key !== CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const isShell = request.mode === "navigate" && url.pathname === SHELL;
  if (!isShell && !ASSETS.includes(url.pathname)) return;
  // Network first, so an online phone always gets the current app; the cache offline.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(isShell ? SHELL : request, copy));
        }
        return response;
      })
      .catch(() => caches.match(isShell ? SHELL : request, { ignoreSearch: isShell }))
  );
});
