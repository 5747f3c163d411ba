// StoryForge's small shared script: registers the service worker so that opened
// stories can be read offline. Everything works without it.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}
