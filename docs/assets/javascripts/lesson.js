/* "Step k of N · ~M min left" for lesson pages.
 *
 * The build (hooks/lesson_chrome.py) counts the words of each `##` section and
 * puts them in the page as JSON. Here, the step is the last section whose heading
 * has passed the reading line, a third of the way down the window. The time left
 * counts the words not yet scrolled past (the part of the current section below
 * the lesson bar, and all later sections) at the page's data-words-per-minute
 * (200 words a minute, set in the hook).
 */
let stopListening = new AbortController();

function setUpLessonProgress() {
  stopListening.abort();
  stopListening = new AbortController();
  const chrome = document.querySelector(".lesson-chrome");
  if (!chrome) return;
  const steps = JSON.parse(chrome.querySelector(".lesson-steps").textContent);
  const headings = steps.map(step => document.getElementById(step.id));
  if (steps.length === 0 || headings.includes(null)) return;
  const article = document.querySelector(".md-content__inner");
  const wordsPerMinute = Number(chrome.dataset.wordsPerMinute);
  const stepText = chrome.querySelector(".lesson-progress__step");
  const timeText = chrome.querySelector(".lesson-progress__time");

  function update() {
    const line = window.innerHeight / 3;
    const atEnd = window.scrollY > 0 &&
      window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    let current = 0;
    headings.forEach((heading, i) => {
      if (heading.getBoundingClientRect().top <= line) current = i;
    });
    if (atEnd) current = steps.length - 1;

    // Words left: the unread part of the current section, and all later sections.
    const top = current === 0 ? chrome.nextElementSibling.getBoundingClientRect().top
                              : headings[current].getBoundingClientRect().top;
    const bottom = current + 1 < steps.length ? headings[current + 1].getBoundingClientRect().top
                                              : article.getBoundingClientRect().bottom;
    const seen = chrome.getBoundingClientRect().bottom;
    const read = atEnd ? 1 : Math.min(1, Math.max(0, (seen - top) / (bottom - top)));
    let words = steps[current].words * (1 - read);
    for (const step of steps.slice(current + 1)) words += step.words;
    const minutes = Math.ceil(words / wordsPerMinute);

    stepText.textContent = `Step ${current + 1} of ${steps.length}`;
    timeText.textContent = minutes > 0 ? `~${minutes} min left` : "done";
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; update(); });
  }
  window.addEventListener("scroll", schedule, { passive: true, signal: stopListening.signal });
  window.addEventListener("resize", schedule, { signal: stopListening.signal });
  update();
}

// Material's document$ emits on every page load, including instant navigation.
document$.subscribe(setUpLessonProgress);
