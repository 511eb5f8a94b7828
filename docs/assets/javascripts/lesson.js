/* Where the reader is: the table of contents' highlight, and on lessons and labs
 * "Section k of N · ~M min left".
 *
 * One rule serves both. The heading being read is the last one that has reached
 * its scroll margin, the line just under the sticky bars where a click on its
 * table-of-contents entry puts it (lesson.css sets the margin). At the bottom of
 * the page, where later headings can no longer reach that line, it is the heading
 * the address points to when that one is in view, and otherwise the last heading.
 *
 * The build (hooks/lesson_chrome.py) counts the words of each `##` section and
 * puts them in the page as JSON. The section is the `##` that holds the heading
 * being read. The time left counts the words not yet scrolled past (the part of
 * the current section below the bars, and all later sections) at the page's
 * data-words-per-minute (200 words a minute, set in the hook).
 *
 * Material's own highlight is switched off (partials/toc.html): its threshold is
 * the header's height, so with the lesson bar under the header it lagged a section.
 */
let stopListening = new AbortController();

function headingsInContents() {
  const ids = [...document.querySelectorAll(".md-nav--secondary a.md-nav__link[href^='#']")]
    .map(link => decodeURIComponent(link.hash.slice(1)));
  const headings = [...new Set(ids)].map(id => document.getElementById(id)).filter(Boolean);
  return headings.sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
}

function reached(heading) {
  const margin = parseFloat(getComputedStyle(heading).scrollMarginTop) || 0;
  return heading.getBoundingClientRect().top <= margin + 1;
}

function atBottom() {
  return window.scrollY > 0 &&
    window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
}

/* The index of the heading being read, or -1 above the first one. */
function currentHeading(headings) {
  let current = -1;
  headings.forEach((heading, i) => { if (reached(heading)) current = i; });
  if (atBottom()) {
    const target = headings.findIndex(heading => "#" + heading.id === decodeURIComponent(location.hash));
    const inView = target >= 0 && headings[target].getBoundingClientRect().top < window.innerHeight;
    current = inView && target >= current ? target : headings.length - 1;
  }
  return current;
}

function highlightContents(heading, headings) {
  const passed = new Set(headings.slice(0, headings.indexOf(heading) + 1).map(h => "#" + h.id));
  for (const link of document.querySelectorAll(".md-nav--secondary a.md-nav__link[href^='#']")) {
    const hash = decodeURIComponent(link.hash);
    link.classList.toggle("md-nav__link--passed", passed.has(hash));
    link.classList.toggle("md-nav__link--active", heading !== undefined && hash === "#" + heading.id);
  }
}

function sectionProgress(chrome) {
  const steps = JSON.parse(chrome.querySelector(".lesson-steps").textContent);
  const sections = steps.map(step => document.getElementById(step.id));
  if (steps.length === 0 || sections.includes(null)) return () => {};
  const article = document.querySelector(".md-content__inner");
  const wordsPerMinute = Number(chrome.dataset.wordsPerMinute);
  const stepText = chrome.querySelector(".lesson-progress__step");
  const timeText = chrome.querySelector(".lesson-progress__time");

  return heading => {
    // The `##` section that holds the heading being read (the first one above them all).
    let current = 0;
    sections.forEach((section, i) => {
      if (heading && (section === heading || section.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        current = i;
      }
    });

    // Words left: the unread part of the current section, and all later sections.
    const top = current === 0 ? chrome.nextElementSibling.getBoundingClientRect().top
                              : sections[current].getBoundingClientRect().top;
    const bottom = current + 1 < steps.length ? sections[current + 1].getBoundingClientRect().top
                                              : article.getBoundingClientRect().bottom;
    const seen = chrome.getBoundingClientRect().bottom;
    const read = atBottom() ? 1 : Math.min(1, Math.max(0, (seen - top) / (bottom - top)));
    let words = steps[current].words * (1 - read);
    for (const step of steps.slice(current + 1)) words += step.words;
    const minutes = Math.ceil(words / wordsPerMinute);

    stepText.textContent = `Section ${current + 1} of ${steps.length}`;
    timeText.textContent = minutes > 0 ? `~${minutes} min left` : "done";
  };
}

function setUpReadingPosition() {
  stopListening.abort();
  stopListening = new AbortController();
  const headings = headingsInContents();
  const chrome = document.querySelector(".lesson-chrome");
  const showProgress = chrome ? sectionProgress(chrome) : () => {};

  function update() {
    const heading = headings[currentHeading(headings)];
    highlightContents(heading, headings);
    showProgress(heading);
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; update(); });
  }
  const options = { passive: true, signal: stopListening.signal };
  window.addEventListener("scroll", schedule, options);
  window.addEventListener("resize", schedule, options);
  window.addEventListener("hashchange", schedule, options);
  update();
}

// Material's document$ emits on every page load, including instant navigation.
document$.subscribe(setUpReadingPosition);
