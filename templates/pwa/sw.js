// StoryForge service worker: keeps the app shell and every story page the reader
// has opened, with its pictures and its narration's clips, so books can be read
// (and heard) without a connection. Other pages fall back to the offline page when
// the network is down.
const SHELL = "storyforge-shell-{{ version }}";
const BOOKS = "storyforge-books";
const SHELL_FILES = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const MEDIA = "{{ media_url|default:'/media/'|escapejs }}";
const NARRATION = MEDIA + "narration/";

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
  return /^\/stories\/\d+\/(read\/)?$/.test(url.pathname) || /^\/shared\/[^/]+\/$/.test(url.pathname) || url.pathname.startsWith(MEDIA);
}

function isClip(url) {
  return url.pathname.startsWith(NARRATION);
}

// A clip the reader has to play, as a byte range of the whole file when the audio
// element asks for one (it always does: `Range: bytes=0-`), as the server would
// answer: a 206 with its Content-Range, or a 416 for a range past the end.
async function ranged(whole, range) {
  const asked = /^bytes=(\d*)-(\d*)$/.exec((range || "").trim());
  if (!asked || (!asked[1] && !asked[2])) return whole; // no range, or several: the whole file
  const body = await whole.arrayBuffer();
  const size = body.byteLength;
  let start = size - Number(asked[2]); // "bytes=-500": the last 500 bytes
  let end = size - 1;
  if (asked[1]) {
    start = Number(asked[1]);
    if (asked[2]) end = Math.min(Number(asked[2]), size - 1);
  }
  start = Math.max(0, start);
  if (start >= size || start > end) {
    return new Response(null, { status: 416, statusText: "Range Not Satisfiable", headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    statusText: "Partial Content",
    headers: {
      "Content-Type": whole.headers.get("Content-Type") || "audio/mpeg",
      "Content-Length": String(end - start + 1),
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Accept-Ranges": "bytes",
    },
  });
}

// A clip never changes (new narration makes new files with new names), so the stored
// copy comes first; otherwise the whole file is fetched (never a range: a part
// cannot be stored) and stored for next time.
async function clipAnswer(request) {
  const cache = await caches.open(BOOKS);
  let whole = await cache.match(request.url);
  if (!whole) {
    try {
      whole = await fetch(request.url, { credentials: "same-origin" });
    } catch (error) {
      return Response.error();
    }
    if (whole.status !== 200) return whole;
    await cache.put(request.url, whole.clone());
  }
  return ranged(whole, request.headers.get("Range"));
}

// The clips a book page plays (data-clip="…" in the reader's HTML), stored with it so
// that the book can be heard offline without having been heard before.
async function clipsKeep(cache, page) {
  const html = await page.text();
  const urls = new Set();
  for (const found of html.matchAll(/data-clip="([^"]+)"/g)) {
    const url = new URL(found[1].replace(/&amp;/g, "&"), self.location.href);
    if (url.origin === self.location.origin && isClip(url)) urls.add(url.href);
  }
  await Promise.all(Array.from(urls, async (url) => {
    if (await cache.match(url)) return;
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.status === 200) await cache.put(url, response);
  }));
}

async function bookKeep(request, response) {
  const page = (response.headers.get("Content-Type") || "").startsWith("text/html") ? response.clone() : null;
  try {
    const cache = await caches.open(BOOKS);
    await cache.put(request, response);
    if (page) await clipsKeep(cache, page);
  } catch (error) {
    // Storing is a bonus: the answer has gone to the page already.
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (isClip(url)) {
    event.respondWith(clipAnswer(request));
    return;
  }
  if (isBook(url)) {
    // Network first, so edits show; the stored copy when offline. The worker stays
    // alive until the copy (and the page's clips) are stored.
    let kept;
    event.waitUntil(new Promise((resolve) => { kept = resolve; }));
    event.respondWith(
      fetch(request).then((response) => {
        kept(response.ok ? bookKeep(request, response.clone()) : null);
        return response;
      }).catch(() => {
        kept(null);
        return caches.match(request).then((hit) => hit || caches.match("/offline/"));
      })
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
