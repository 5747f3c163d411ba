// StoryForge read-aloud: reads the book page after page, sentence by sentence,
// highlighting the sentence being read and turning the page at the end of one.
// Two voices read through the same code (highlighting, page turning, pause, stop,
// speed):
// - the book's own narration, when every page with text has one: the server
//   renders each sentence as <span class="sentence" data-clip="….mp3">, and one
//   <audio> element plays the clips one after another (the service worker keeps
//   them for reading offline);
// - otherwise the browser's speech synthesis (no server, works offline).
// Needs reader.js (window.storyforgeReader), loaded before this file.
(function () {
  "use strict";

  const api = window.storyforgeReader;
  if (!api) return;
  const { reader, sections, show, statusSay } = api;
  const note = reader.querySelector("[data-read-aloud-note]");
  const controls = reader.querySelector("[data-read-aloud-controls]");
  if (!controls) return;

  const CLIP_FAILED = "The recorded voice could not be played. Check the connection and press Read aloud again.";

  // A voice says one sentence (a .sentence element) at a speed, then calls `done`,
  // or `failed(message)`. pause() is true when the voice holds its place (resume()
  // goes on from there), rate() when it changed speed in the middle of a sentence;
  // otherwise the sentence is said again. `settle` is how long to wait after
  // silence() before saying anything.

  function speechVoice() {
    const synth = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function"
      ? window.speechSynthesis : null;
    if (!synth) return null;
    let utterance = null; // kept referenced: some browsers drop the events of a collected one

    function voiceFor(lang) {
      const voices = synth.getVoices();
      const base = (lang || "").toLowerCase().split("-")[0];
      const matching = voices.filter((voice) => voice.lang.toLowerCase().replace("_", "-").split("-")[0] === base);
      return matching.find((voice) => voice.localService) || matching[0] || null;
    }

    return {
      clips: false,
      settle: 60, // some engines drop an utterance queued in the same tick as cancel()
      say(sentence, rate, done, failed) {
        const lang = sentence.closest("[lang]") ? sentence.closest("[lang]").lang : document.documentElement.lang;
        utterance = new SpeechSynthesisUtterance(sentence.textContent);
        utterance.lang = lang;
        utterance.rate = rate;
        const voice = voiceFor(lang);
        if (voice) utterance.voice = voice;
        utterance.onend = () => done();
        utterance.onerror = (event) => {
          if (event.error === "interrupted" || event.error === "canceled") return;
          failed("Reading aloud stopped: this browser has no voice it can use.");
        };
        synth.speak(utterance);
      },
      // speechSynthesis.pause() does not work on every platform (Chrome on Android
      // ignores it): pausing silences, and resuming says the sentence again.
      pause: () => false,
      resume: () => false,
      rate: () => false,
      silence() { synth.cancel(); },
    };
  }

  function clipVoice() {
    if (!reader.querySelector(".sentence[data-clip]")) return null;
    const audio = document.createElement("audio");
    if (!audio.canPlayType || !audio.canPlayType("audio/mpeg")) return null;
    audio.preload = "auto";
    audio.hidden = true;
    audio.setAttribute("data-read-along", "");
    reader.appendChild(audio);
    let waiting = null; // the callbacks of the clip being played

    function settleWith(outcome, message) {
      const callbacks = waiting;
      waiting = null;
      if (callbacks) callbacks[outcome](message);
    }
    audio.addEventListener("ended", () => settleWith("done"));
    audio.addEventListener("error", () => settleWith("failed", CLIP_FAILED));

    function play() {
      audio.play().catch((error) => {
        if (error.name === "AbortError") return; // another clip, a pause or a stop came first
        settleWith("failed", error.name === "NotAllowedError"
          ? "The browser did not let the voice start: press Read aloud again." : CLIP_FAILED);
      });
    }
    function rate(value) {
      // Loading a clip resets playbackRate to defaultPlaybackRate: set both.
      audio.defaultPlaybackRate = value;
      audio.playbackRate = value;
      return true;
    }

    return {
      clips: true,
      settle: 0, // play within the press of the button: browsers allow sound that starts so
      say(sentence, value, done, failed) {
        waiting = { done, failed };
        audio.src = sentence.dataset.clip;
        rate(value);
        play();
      },
      pause() {
        if (!waiting || audio.paused) return false;
        audio.pause();
        return true;
      },
      resume() {
        if (!waiting || !audio.paused) return false;
        play();
        return true;
      },
      rate,
      silence() {
        waiting = null;
        audio.pause();
      },
    };
  }

  const speech = speechVoice();
  const clips = clipVoice();
  if (!speech && !clips) {
    if (note) note.textContent = "This browser cannot read aloud.";
    return;
  }
  if (note) note.hidden = true;
  controls.hidden = false;
  const playButton = controls.querySelector("[data-speech='play']");
  const pauseButton = controls.querySelector("[data-speech='pause']");
  const stopButton = controls.querySelector("[data-speech='stop']");
  const rateInput = controls.querySelector("[data-speech='rate']");
  const rateOutput = controls.querySelector("[data-speech='rate-value']");

  let state = "stopped"; // "playing" | "paused" | "stopped"
  let run = 0; // bumped whenever reading stops or restarts: callbacks of older runs do nothing
  let spot = { index: 0, sentence: 0 }; // where reading is, or resumes
  let voice = null; // who reads: chosen each time reading starts
  let highlighted = null;

  // Sentences

  function splitSentences(text, lang) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(lang || undefined, { granularity: "sentence" }).segment(text), (part) => part.segment);
    }
    return text.match(/[^.!?…]+(?:[.!?…]+["'”’)\]]*)?\s*|\s+/g) || [text];
  }

  const squashed = (text) => text.replace(/\s+/g, "");
  // Each narrated page's text as the server rendered it (sentences with their clips):
  // put back when htmx brings back the same text (the editor was cancelled).
  const narrated = new Map();
  reader.querySelectorAll("[data-speak][data-narrated]").forEach((container) => {
    narrated.set(container.closest(".book-page"), container.cloneNode(true));
  });

  // Wrap each sentence of a text in <span class="sentence">, once (and again after
  // htmx put new text in). Text is only ever set as text, never as HTML.
  function wrap(container) {
    if (container.dataset.wrapped || container.hasAttribute("data-narrated")) return;
    const copy = narrated.get(container.closest(".book-page"));
    if (copy && squashed(copy.textContent) === squashed(container.textContent)) {
      container.replaceWith(copy.cloneNode(true));
      return;
    }
    const lang = container.closest("[lang]") ? container.closest("[lang]").lang : "";
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach((node) => {
      if (!node.nodeValue.trim()) return;
      const fragment = document.createDocumentFragment();
      splitSentences(node.nodeValue, lang).forEach((piece) => {
        const [, before, words, after] = piece.match(/^(\s*)([\s\S]*?)(\s*)$/);
        if (before) fragment.appendChild(document.createTextNode(before));
        if (words) {
          const span = document.createElement("span");
          span.className = "sentence";
          span.textContent = words;
          fragment.appendChild(span);
        }
        if (after) fragment.appendChild(document.createTextNode(after));
      });
      node.parentNode.replaceChild(fragment, node);
    });
    container.dataset.wrapped = "1";
  }

  // What the voice reads of a section: the narration has clips for the pages' text
  // only (not the cover or "The end").
  function sentencesOf(index) {
    Array.from(sections[index].querySelectorAll("[data-speak]")).forEach(wrap);
    const selector = voice && voice.clips ? "[data-speak] .sentence[data-clip]" : "[data-speak] .sentence";
    return Array.from(sections[index].querySelectorAll(selector));
  }

  // The narration reads the book when every page's text still has its clips (a page
  // saved with new text has none until the book is narrated again).
  function narrationComplete() {
    return sections.every((section) => {
      Array.from(section.querySelectorAll(".page-text[data-speak]")).forEach(wrap);
      return Array.from(section.querySelectorAll(".page-text .sentence")).every((sentence) => sentence.dataset.clip);
    });
  }

  // Reading

  function highlight(sentence) {
    if (highlighted) highlighted.classList.remove("is-speaking");
    highlighted = sentence;
    if (sentence) {
      sentence.classList.add("is-speaking");
      const box = sentence.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) sentence.scrollIntoView({ block: "center" });
    }
  }

  function buttonsUpdate() {
    playButton.disabled = state === "playing";
    pauseButton.disabled = state === "stopped";
    pauseButton.textContent = state === "paused" ? "Resume" : "Pause";
    stopButton.disabled = state === "stopped";
    reader.classList.toggle("is-reading", state !== "stopped");
  }

  const speed = () => Number(rateInput.value) || 1;

  function speakFrom(index, sentenceIndex, token) {
    if (token !== run) return;
    // Turning the page is announced once, by the page counter (a polite live
    // region); the sentences themselves are only highlighted.
    if (index !== api.current()) show(index, { fromReading: true });
    const sentences = sentencesOf(index);
    if (sentenceIndex >= sentences.length) {
      highlight(null);
      if (index >= sections.length - 1) {
        stop();
        return;
      }
      spot = { index: index + 1, sentence: 0 };
      if (!sentences.length) {
        speakFrom(index + 1, 0, token); // nothing to read here (the cover, for the narration)
        return;
      }
      // A breath between pages, then turn the page and go on (a pause now resumes there).
      window.setTimeout(() => {
        if (token === run) speakFrom(index + 1, 0, token);
      }, 700);
      return;
    }
    spot = { index, sentence: sentenceIndex };
    const sentence = sentences[sentenceIndex];
    highlight(sentence);
    voice.say(
      sentence,
      speed(),
      () => { if (token === run) speakFrom(index, sentenceIndex + 1, token); },
      (message) => {
        if (token !== run) return;
        stop();
        statusSay(message);
      },
    );
  }

  function start(index, sentenceIndex) {
    const token = ++run;
    const before = voice;
    voice = clips && narrationComplete() ? clips : speech;
    if (before && before !== voice) before.silence();
    if (!voice) {
      stop();
      statusSay("This browser can only read this book aloud once every page has its recorded voice.");
      return;
    }
    voice.silence();
    state = "playing";
    buttonsUpdate();
    if (voice.settle) window.setTimeout(() => speakFrom(index, sentenceIndex, token), voice.settle);
    else speakFrom(index, sentenceIndex, token);
  }

  function stop() {
    run += 1;
    if (voice) voice.silence();
    state = "stopped";
    highlight(null);
    buttonsUpdate();
  }

  function pauseOrResume() {
    if (state === "playing") {
      if (!voice.pause()) {
        run += 1; // the voice cannot hold its place: resuming starts the sentence again
        voice.silence();
      }
      state = "paused";
      buttonsUpdate();
    } else if (state === "paused") {
      if (!voice.resume()) {
        start(spot.index, spot.sentence);
        return;
      }
      state = "playing";
      buttonsUpdate();
    }
  }

  // Turning the page by hand while reading aloud reads the new page instead.
  api.onPageTurned((index) => {
    if (state === "playing") start(index, 0);
    else if (state === "paused") stop();
  });

  playButton.addEventListener("click", () => (state === "paused" ? pauseOrResume() : start(api.current(), 0)));
  pauseButton.addEventListener("click", pauseOrResume);
  stopButton.addEventListener("click", stop);
  rateInput.addEventListener("input", () => {
    rateOutput.textContent = `${Number(rateInput.value).toFixed(1).replace(/\.0$/, "")}×`;
    if (voice && state !== "stopped") voice.rate(speed());
  });
  rateInput.addEventListener("change", () => {
    // A voice that cannot change speed mid-sentence says the sentence again at the new one.
    if (state === "playing" && !voice.rate(speed())) start(spot.index, spot.sentence);
  });
  // The text of the page being read is about to be swapped (the editor): stop reading it.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (state !== "stopped" && target && target.closest && target.closest(".page-text-area")
      && sections[api.current()].contains(target)) stop();
  });
  window.addEventListener("pagehide", () => { if (state !== "stopped") stop(); });
  buttonsUpdate();
})();
