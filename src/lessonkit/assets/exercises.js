/* Exercises in the page: a Check button for each exercise, on the page's Pyodide worker.
 *
 * run.js turns an exercise's starter into an editor, like any live snippet.
 * This script adds a "Check" button to it, which runs the learner's code and
 * then the exercise's checks (window.lessonkitRun.run(id, code, checks)), and
 * a feedback region: role="status", aria-label "Feedback, <exercise title>",
 * and data-outcome "pass", "fail" (a check failed: its message, such as
 * "d out/d b: yours 3.0, finite differences -2.0, …") or "error" (the
 * learner's code or the checks raised).
 *
 * Passed exercises are kept in localStorage under `lessonkit:passed:<page>`,
 * such as `lessonkit:passed:docs/chapter-2/2.3-local-gradients-and-the-chain-rule.md`,
 * as JSON {"<exercise id>": true}; a later failure takes the mark away. The
 * lesson bar shows, on each lesson, how many of its exercises have passed.
 *
 * A page whose front matter says `builds-on` has those earlier exercises in its
 * island as hidden snippets, with the reference solution as their code and
 * `exercise.page` and `exercise.starter` saying where the learner wrote them.
 * Before the page's first run, the learner's own code replaces each reference
 * solution whose exercise they passed, so the page runs on their engine. A
 * starter marked `assembled` (exercise.assembled in the island) starts, once
 * the learner has passed every one of those earlier exercises and not edited
 * it yet, as their code for them, joined in order.
 */
(function () {
  const PASSED = "lessonkit:passed:";

  /* Runs before run.js reads the island (this script is listed first), then again once run.js has set up the page. */
  function setUpExercises() {
    const island = document.getElementById("lessonkit-page");
    if (!island) return markLessonBar(null);
    const lesson = JSON.parse(island.textContent);
    if (useTheLearnersCode(lesson)) island.textContent = JSON.stringify(lesson);
    queueMicrotask(() => addCheckButtons(lesson));
  }

  /** Each earlier exercise the page builds on runs as the learner wrote it, once they passed it. */
  function useTheLearnersCode(lesson) {
    let changed = false;
    for (const earlier of lesson.snippets.filter(s => s.builds_on)) {
      const { id, page, starter } = earlier.builds_on;
      const code = passed(page)[id] && storedCode(page, starter);
      if (code) {
        earlier.code = code;
        changed = true;
      }
    }
    return changed;
  }

  function addCheckButtons(lesson) {
    markLessonBar(lesson.page);
    if (!window.lessonkitRun) return;
    for (const starter of lesson.snippets.filter(s => s.exercise?.role === "starter")) {
      const check = lesson.snippets.find(s => s.exercise?.role === "check" && s.exercise.id === starter.exercise.id);
      const block = document.querySelector(`[data-snippet="${starter.id}"]`);
      if (!check || !block) continue;
      if (starter.exercise.assembled) assemble(lesson, starter, block);
      new ExerciseChecker(lesson.page, starter, check, block);
    }
  }

  /** An assembled starter's editor, filled with the learner's earlier exercises, when they passed them all. */
  function assemble(lesson, starter, block) {
    const earlier = lesson.snippets.filter(s => s.builds_on);
    const textarea = block.querySelector("textarea");
    const theirs = earlier.map(({ builds_on: { id, page, starter } }) => passed(page)[id] && storedCode(page, starter));
    if (!textarea || !earlier.length || !theirs.every(Boolean) || storedCode(lesson.page, starter.id) !== null) return;
    textarea.value = earlier.map((s, i) => `# ${s.builds_on.id}, from ${s.builds_on.page}\n${theirs[i].trimEnd()}\n`)
      .join("\n\n");
    textarea.dispatchEvent(new Event("input"));  // run.js highlights it and keeps it
  }

  /** One exercise: its Check button and its feedback region. */
  class ExerciseChecker {
    constructor(page, starter, check, block) {
      this.page = page;
      this.starter = starter;
      this.check = check;
      const title = block.closest(".admonition.exercise")?.querySelector(".admonition-title")?.textContent.trim()
        || starter.exercise.id;
      this.button = element("button", "md-button md-button--primary lessonkit-exercise__check", "Check");
      this.button.type = "button";
      this.button.addEventListener("click", () => this.run());
      this.feedback = element("div", "lessonkit-exercise__feedback");
      this.feedback.setAttribute("role", "status");
      this.feedback.setAttribute("aria-label", `Feedback, ${title}`);
      const bar = block.querySelector(".lessonkit-run__bar");
      if (bar) bar.prepend(this.button);
      else block.append(this.button);
      (block.querySelector(".lessonkit-run__output") || this.button).after(this.feedback);
      if (passed(page)[starter.exercise.id]) this.show("pass", "Passed before: run Check again after a change.");
    }

    editorCode() {
      const textarea = document.querySelector(`[data-snippet="${this.starter.id}"] textarea`);
      return textarea ? textarea.value : this.starter.code;
    }

    async run() {
      this.button.disabled = true;
      this.show("running", "Checking…");
      const result = await window.lessonkitRun.run(this.starter.id, this.editorCode(), this.check.code);
      this.button.disabled = false;
      if (result.stopped) return this.show("error", "Stopped before the checks finished.");
      const outcome = result.check || { status: "error", message: result.error?.message || "the checks did not run" };
      const messages = {
        pass: "Passed: your code passes every check.",
        fail: `Not yet: ${outcome.message}`,
        error: `Your code or the checks raised an error: ${outcome.message}`,
      };
      this.show(outcome.status, messages[outcome.status]);
      remember(this.page, this.starter.exercise.id, outcome.status === "pass");
      markLessonBar(this.page);
    }

    show(outcome, text) {
      this.feedback.dataset.outcome = outcome;
      this.feedback.replaceChildren(element("p", "", text));
    }
  }

  /** The learner's code for a snippet, from run.js's store of edits, or null. */
  function storedCode(page, id) {
    try {
      return JSON.parse(localStorage.getItem(`lessonkit:${page}:${id}`))?.code ?? null;
    } catch {
      return null;
    }
  }

  function passed(page) {
    try {
      return JSON.parse(localStorage.getItem(PASSED + page)) || {};
    } catch {
      return {};
    }
  }

  function remember(page, id, didPass) {
    const marks = passed(page);
    if (didPass) marks[id] = true;
    else delete marks[id];
    try {
      localStorage.setItem(PASSED + page, JSON.stringify(marks));
    } catch { /* storage full or disabled: the mark lives until the page is left */ }
  }

  /** On each lesson in the bar, a tick and the number of its exercises that have passed. */
  function markLessonBar(page) {
    const root = siteRoot(page);
    if (root === null) return;
    for (const link of document.querySelectorAll(".lesson-bar a")) {
      const path = new URL(link.href, location.href).pathname;
      if (!path.startsWith(root)) continue;
      const count = Object.keys(passed(`docs/${path.slice(root.length).replace(/\/(index\.html)?$/, "")}.md`)).length;
      link.querySelector(".lesson-bar__passed")?.remove();
      link.dataset.name ??= link.getAttribute("aria-label") || link.textContent;
      const said = `${count} exercise${count === 1 ? "" : "s"} passed`;
      link.setAttribute("aria-label", count ? `${link.dataset.name}, ${said}` : link.dataset.name);
      if (!count) continue;
      const badge = element("span", "lesson-bar__passed", `✓${count}`);
      badge.setAttribute("aria-hidden", "true");  // the link's name says it
      badge.title = said;
      link.append(badge);
    }
  }

  /** The site's root path, from this page's Markdown path and its URL (docs/a/b.md is served at <root>a/b/). */
  function siteRoot(page) {
    if (!page) return null;
    const served = page.replace(/^docs\//, "").replace(/\.md$/, "/");
    const path = location.pathname.replace(/index\.html$/, "");
    return path.endsWith(served) ? path.slice(0, path.length - served.length) : null;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Material's instant navigation announces each page on document$; any other theme loads pages whole.
  if (window.document$) document$.subscribe(setUpExercises);
  else document.addEventListener("DOMContentLoaded", setUpExercises);
})();
