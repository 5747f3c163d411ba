// StoryForge service worker: keeps the app shell and every story page the reader
// has opened, so books can be read without a connection. Other pages fall back to
// the offline page when the network is down.
const SHELL = "storyforge-shell-{{ version }}";
const BOOKS = "storyforge-books";
const SHELL_FILES = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("storyforge-shell-") && key !== SHELL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function isBook(url) {
  return /^\/stories\/\d+\/(read\/)?$/.test(url.pathname) || /^\/shared\/[^/]+\/$/.test(url.pathname) || url.pathname.startsWith("{{ media_url|default:'/media/' }}");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (isBook(url)) {
    // Network first, so edits show; the stored copy when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(BOOKS).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request).then((hit) => hit || caches.match("/offline/")))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("/offline/")));
  }
});
