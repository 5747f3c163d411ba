// StoryForge's small shared script: registers the service worker so that opened
// stories can be read offline. Everything works without it.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// Logging out forgets the books kept for offline reading, so that the next
// person on this browser cannot read them.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.action.endsWith("/accounts/logout/") && "caches" in window) {
    caches.delete("storyforge-books").catch(() => {});
  }
});
