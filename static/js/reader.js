// StoryForge reader. Without this script a book is one long page: every page is
// a section linked by anchors (#page-3) with Previous/Next links, and every
// action is a plain link or form. With it:
// - one page at a time, turned with the links, the page strip, ←/→, Home/End
//   or a swipe; the address keeps the page (#page-3) so a reload stays there;
// - read-aloud (read_along.js, loaded after this file) through the small
//   interface this file leaves in window.storyforgeReader;
// - htmx may swap in the reader's partials even when they answer with an error
//   status (the form with its message); other failures are announced.
// No inline scripts or handlers: the page's CSP allows only files like this one.
(function () {
  "use strict";

  const PARTIAL_HEADER = "X-Reader-Partial";

  function statusSay(message) {
    const status = document.querySelector("[data-reader-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(() => { status.textContent = message; }, 50);
    }
  }

  // htmx: the reader's partials carry PARTIAL_HEADER; swap them whatever their status.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.getResponseHeader(PARTIAL_HEADER)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader(PARTIAL_HEADER)) return;
    const code = xhr ? xhr.status : "";
    statusSay(code === 429 ? "Too many requests: wait a moment and try again."
      : `That did not work (error ${code}). Reload the page and try again.`);
  });
  document.addEventListener("htmx:sendError", () => statusSay("The server could not be reached. Check the connection and try again."));

  // The print view's Print button (a plain note tells how to print without it).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // Copy buttons next to read-only fields (the share link).
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const copied = () => statusSay("Link copied.");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, () => { field.select(); });
      } else {
        field.select();
        try {
          if (document.execCommand("copy")) copied();
        } catch (error) { /* the field stays selected for copying by hand */ }
      }
    });
  });

  // The Pages tool: drag a page to its new place. Each page keeps its Move earlier /
  // Move later buttons (plain forms) for the keyboard and for browsers without
  // drag and drop; a drop sends the whole new order through the hidden reorder form.
  document.querySelectorAll("[data-page-order]").forEach((list) => {
    const form = document.querySelector("[data-reorder-form]");
    const items = Array.from(list.querySelectorAll("li[data-page-number]"));
    if (!form || items.length < 2) return;
    const hint = document.querySelector("[data-drag-hint]");
    if (hint) hint.hidden = false;
    let dragged = null;
    items.forEach((item) => {
      item.draggable = true;
      item.addEventListener("dragstart", (event) => {
        dragged = item;
        item.classList.add("is-dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.pageNumber);
      });
      item.addEventListener("dragend", () => {
        item.classList.remove("is-dragged");
        dragged = null;
      });
      item.addEventListener("dragover", (event) => {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        const box = item.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", (event) => event.preventDefault());
    });
    list.addEventListener("dragover", (event) => { if (dragged) event.preventDefault(); });
    list.addEventListener("drop", (event) => {
      event.preventDefault();
      const order = Array.from(list.querySelectorAll("li[data-page-number]")).map((li) => li.dataset.pageNumber);
      if (order.join(",") === items.map((li) => li.dataset.pageNumber).join(",")) return;
      form.querySelector("input[name=order]").value = order.join(",");
      statusSay("Saving the new order of the pages…");
      form.submit();
    });
  });

  const reader = document.querySelector("[data-reader]");
  const book = reader && reader.querySelector("[data-book]");
  if (!book) return;
  const sections = Array.from(book.children).filter((element) => element.classList.contains("book-page"));
  if (!sections.length) return;
  const stripLinks = Array.from(reader.querySelectorAll("[data-strip]"));
  const strip = stripLinks.length ? stripLinks[0].closest("ol") : null;
  const counter = reader.querySelector("[data-page-counter]");
  let current = 0;
  const turnListeners = []; // told when the reader turns a page by hand (read-aloud follows)

  // Paging

  function sectionIndexOf(element) {
    const section = element && element.closest(".book-page");
    return section ? sections.indexOf(section) : -1;
  }

  function targetOf(hash) {
    if (!hash || hash.length < 2) return null;
    try {
      return document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (error) {
      return null;
    }
  }

  function label(index) {
    const section = sections[index];
    if (section.id === "cover") return "Cover";
    if (section.id === "the-end") return "The end";
    const heading = section.querySelector(".page-number");
    return heading ? heading.textContent.trim() : "";
  }

  function show(index, options = {}) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    const changed = index !== current;
    sections.forEach((section, i) => { section.hidden = i !== index; });
    current = index;
    const id = sections[index].id;
    stripLinks.forEach((link) => {
      if (link.getAttribute("href") === `#${id}`) {
        link.setAttribute("aria-current", "true");
        if (strip) strip.scrollLeft = link.parentElement.offsetLeft - (strip.clientWidth - link.parentElement.offsetWidth) / 2;
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (counter) counter.textContent = label(index);
    if (options.hash !== false && window.location.hash !== `#${id}`) {
      window.history.replaceState(null, "", `#${id}`);
    }
    if (changed && book.getBoundingClientRect().top < 0) book.scrollIntoView({ block: "start" });
    if (options.focus) {
      const again = options.focus === "section" ? null : sections[index].querySelector(`[data-nav="${options.focus}"]`);
      (again || sections[index].querySelector("h2[tabindex]") || sections[index]).focus({ preventScroll: true });
    }
    if (changed && !options.fromReading) turnListeners.forEach((listener) => listener(index));
  }

  function showTarget(hash, options = {}) {
    const target = targetOf(hash);
    const index = sectionIndexOf(target);
    if (index < 0) return false;
    show(index, { ...options, hash: false });
    if (target.tagName === "DETAILS") target.open = true;
    if (target !== sections[index]) target.scrollIntoView({ block: "nearest" });
    // Opening the reader at #page-3: the browser scrolled to where page 3 was in
    // the long page; with one page shown, the top of the reader is the place.
    // The browser may scroll to the fragment again once the page has loaded.
    else if (options.opening) {
      window.scrollTo(0, 0);
      window.addEventListener("load", () => window.requestAnimationFrame(() => window.scrollTo(0, 0)), { once: true });
    }
    return true;
  }

  reader.classList.add("is-paged");
  if (counter) counter.hidden = false;
  if (!showTarget(window.location.hash, { opening: true })) show(0, { hash: false });

  // Links to a place in the book: Previous/Next, the strip, "Back to the cover".
  reader.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = targetOf(link.getAttribute("href"));
    const index = sectionIndexOf(target);
    if (index < 0 || !book.contains(target)) return;
    event.preventDefault();
    // A Previous/Next link disappears with its page: focus the same link on the new
    // page (Enter again turns on), or the new page's heading.
    const nav = link.dataset.nav === "prev" || link.dataset.nav === "next" ? link.dataset.nav : "section";
    show(index, { focus: link.closest(".book-page") ? nav : null });
  });

  window.addEventListener("hashchange", () => showTarget(window.location.hash));

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const focused = event.target;
    if (focused.closest && focused.closest("input, textarea, select, [contenteditable]")) return;
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: sections.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    show(moves[event.key]);
  });

  // Swipe with a finger or pen: the book lets the browser scroll vertically only
  // (touch-action: pan-y in reader.css), so horizontal moves arrive here.
  let swipe = null;
  book.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" || !event.isPrimary) return;
    if (event.target.closest("form, textarea, input, button, details, a")) return;
    swipe = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  book.addEventListener("pointerup", (event) => {
    if (!swipe || event.pointerId !== swipe.id) return;
    const dx = event.clientX - swipe.x;
    const dy = event.clientY - swipe.y;
    swipe = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
  book.addEventListener("pointercancel", () => { swipe = null; });

  // What read_along.js needs of the reader: its pages, turning them without
  // counting as a turn by hand ({ fromReading: true }), and the status line.
  window.storyforgeReader = {
    reader,
    sections,
    show,
    statusSay,
    current: () => current,
    onPageTurned: (listener) => turnListeners.push(listener),
  };
})();
