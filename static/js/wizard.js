// The character wizard's enhancements. Every step works without them: Next and
// Back save, and the sketch on the appearance step shows the saved look.
//
// - Autosave: two seconds after typing or picking stops, the step's fields are
//   posted to its autosave address (204 = saved, 400 = a JSON error), and once
//   more when the tab is hidden or closed, so nothing entered is lost.
// - Live sketch: the appearance step's preview image is redrawn from the fields
//   as they change, without saving.
(() => {
  "use strict";

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;

  const AUTOSAVE_DELAY = 2000;
  const PREVIEW_DELAY = 600;
  const status = form.querySelector("[data-autosave-status]");
  let timer = null;
  let dirty = false;

  const say = (text, state = "") => {
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  };

  const fields = () => new FormData(form);

  const firstMessage = (body) => {
    const error = (body && body.error) || {};
    const perField = (error.details && error.details.fields) || {};
    const messages = Object.values(perField).flat();
    return messages[0] || error.message || "";
  };

  const save = async () => {
    timer = null;
    if (!dirty) return;
    dirty = false;
    say("Saving…", "saving");
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        body: fields(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 204) {
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        say(`Saved at ${time}`, "saved");
        return;
      }
      let message = "";
      try {
        message = firstMessage(await response.json());
      } catch {
        message = "";
      }
      say(message ? `Not saved yet: ${message}` : "Not saved yet; Next saves too.", "error");
    } catch {
      dirty = true;
      say("Not saved yet: no connection. Trying again shortly.", "error");
      schedule();
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, AUTOSAVE_DELAY);
  };

  const changed = () => {
    dirty = true;
    schedule();
  };

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Next, Back and the step buttons save the step themselves.
  form.addEventListener("submit", () => {
    clearTimeout(timer);
    dirty = false;
  });

  const flush = () => {
    if (!dirty || !navigator.sendBeacon) return;
    clearTimeout(timer);
    dirty = !navigator.sendBeacon(form.dataset.autosave, fields());
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  // The live sketch on the appearance step.
  const preview = form.querySelector("img[data-preview-base]");
  if (!preview) return;
  const LOOK_FIELDS = ["hair_colour", "eye_colour", "skin_tone", "hair_style", "clothing", "distinctive_features"];
  let previewTimer = null;

  const redraw = () => {
    const data = fields();
    const params = new URLSearchParams();
    for (const name of LOOK_FIELDS) {
      const value = data.get(name);
      if (value !== null) params.set(name, value);
    }
    preview.src = `${preview.dataset.previewBase}?${params}`;
  };

  form.addEventListener("change", (event) => {
    if (LOOK_FIELDS.includes(event.target.name)) redraw();
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "text" || !LOOK_FIELDS.includes(event.target.name)) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(redraw, PREVIEW_DELAY);
  });
  for (const element of form.querySelectorAll("[data-nojs]")) element.hidden = true;
})();
