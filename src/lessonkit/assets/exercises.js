/* Exercises in the page: a Check button for each exercise, on the page's Pyodide worker.
 *
 * run.js turns an exercise's starter into an editor, like any live snippet.
 * This script adds a "Check" button to it, which runs the learner's code and
 * then the exercise's checks (window.lessonkitRun.runInEditor(id, checks)), and
 * a feedback region: role="status", aria-label "Feedback, <exercise title>",
 * and data-outcome "running", "pass", "fail" (a check failed: its message,
 * such as "d out/d b: yours 3.0, finite differences -2.0, …") or "error" (the
 * learner's code or the checks raised, or it was stopped).
 *
 * Check is as safe as Run, and shows as much. The editor's output region
 * shows the run as Run does: what the learner's code and the checks printed,
 * live, and an exception's traceback with its line of the learner's code
 * marked in the editor (also when the checks called the learner's code and it
 * raised there). The editor's Stop stops a Check too. And a Check has the time
 * limit the build gives the exercise (the starter's `timeout` in the island:
 * its timeout=, else the course's default), counted from when the learner's
 * code starts, after the replays, as the build counts from its worker's
 * start; past it, the check is stopped and says so. (Run has no limit in the
 * page: training may take minutes, and Stop is always there.)
 *
 * On the page itself, a later snippet replays an exercise's starter as the
 * reference solution until the learner has passed the exercise, as the build ran
 * it, so that the page's later snippets show what it says whether or not the
 * learner has done the exercise yet (run.js's replayWith); once passed, as the
 * learner wrote it. Running the starter (Run or Check) runs the learner's code.
 *
 * Passed exercises are kept in localStorage under `<site>lessonkit:passed:<page>`,
 * such as `https://example.org/course/lessonkit:passed:docs/chapter-2/2.3-local-gradients-and-the-chain-rule.md`,
 * as JSON {"<exercise id>": true}; a later failure takes the mark away.
 * `<site>` is the site's address (the runtime island's `root`, resolved against
 * the page's), so two courses on one origin never share a learner's marks, nor
 * their code: run.js keeps edits under `<site>lessonkit:<page>:<snippet key>`,
 * and this script reads the learner's code of earlier exercises from there. The
 * lesson bar shows, on each lesson, how many of its exercises have passed.
 *
 * A page whose front matter says `builds-on` has those earlier exercises in its
 * island as hidden snippets, with the reference solution as their code and
 * `builds_on` saying where the learner wrote them: `page`, and the starter's
 * storage `key` (such as `exercise:my-value:starter`).
 * Before the page's first run, the learner's own code replaces each reference
 * solution whose exercise they passed, so the page runs on their engine. A
 * starter marked `assembled` (exercise.assembled in the island) starts, once
 * the learner has passed every one of those earlier exercises and not edited
 * it yet, as their code for them, joined in order.
 */
(function () {
  let site = null; // the site's address, which every key of the store starts with

  /* Runs before run.js reads the island (this script is listed first), then again once run.js has set up the page. */
  function setUpExercises() {
    const island = document.getElementById("lessonkit-page");
    const runtime = document.getElementById("pyodide-runtime");
    if (!island || !runtime) return;
    site = new URL(JSON.parse(runtime.textContent).root ?? "/", location.href).href;
    const lesson = JSON.parse(island.textContent);
    if (useTheLearnersCode(lesson)) island.textContent = JSON.stringify(lesson);
    setTimeout(() => addCheckButtons(lesson));  // a task: after run.js set up the page, on any theme
  }

  /** Each earlier exercise the page builds on runs as the learner wrote it, once they passed it. */
  function useTheLearnersCode(lesson) {
    let changed = false;
    for (const earlier of lesson.snippets.filter(s => s.builds_on)) {
      const { id, page } = earlier.builds_on;
      const code = passed(page)[id] && storedCode(page, starterKey(earlier.builds_on));
      if (code) {
        earlier.code = code;
        changed = true;
      }
    }
    return changed;
  }

  /** What an exercise's starter replays with before a later snippet: the reference solution until the learner
   * passed it, as the build ran it, so that the later snippets show what the page says; then their own code.
   * (Running the starter itself, with Run or Check, always runs the learner's code.) */
  function solutionUntilPassed(lesson, snippet) {
    const exercise = snippet.exercise;
    if (exercise?.role !== "starter" || passed(lesson.page)[exercise.id]) return null;
    return lesson.snippets.find(s => s.exercise?.role === "solution" && s.exercise.id === exercise.id)?.code ?? null;
  }

  function addCheckButtons(lesson) {
    markLessonBar(lesson.page);
    if (!window.lessonkitRun) return;
    window.lessonkitRun.replayWith(snippet => solutionUntilPassed(lesson, snippet));
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
    const theirs = earlier.map(({ builds_on }) => passed(builds_on.page)[builds_on.id]
      && storedCode(builds_on.page, starterKey(builds_on)));
    const edited = storedCode(lesson.page, starter.key ?? starter.id) !== null;
    if (!textarea || !earlier.length || !theirs.every(Boolean) || edited) return;
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

    async run() {
      this.button.disabled = true;
      this.show("running", "Checking…");
      const limit = this.starter.timeout;  // seconds
      let timer = null, overTime = false;
      const stopAtTheLimit = () => {
        timer = setTimeout(() => { overTime = true; window.lessonkitRun.stop(); }, limit * 1000);
      };
      const result = await window.lessonkitRun.runInEditor(this.starter.id, this.check.code,
                                                           limit ? { started: stopAtTheLimit } : {});
      clearTimeout(timer);
      this.button.disabled = false;
      if (overTime) {
        return this.show("error", `Stopped after ${limit} s, the time limit the build gives this exercise. ` +
                                  "Does your code loop forever, or do far more work than it needs to?");
      }
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

  /** The learner's code for a snippet, from run.js's store of edits (its storageKey), or null. */
  function storedCode(page, key) {
    try {
      return JSON.parse(localStorage.getItem(`${site}lessonkit:${page}:${key}`))?.code ?? null;
    } catch {
      return null;
    }
  }

  /** The store's key of the starter where the learner wrote an earlier exercise (its id, in an island without keys). */
  function starterKey(buildsOn) {
    return buildsOn.key ?? buildsOn.starter;
  }

  function passedKey(page) {
    return `${site}lessonkit:passed:${page}`;
  }

  function passed(page) {
    try {
      return JSON.parse(localStorage.getItem(passedKey(page))) || {};
    } catch {
      return {};
    }
  }

  function remember(page, id, didPass) {
    const marks = passed(page);
    if (didPass) marks[id] = true;
    else delete marks[id];
    try {
      localStorage.setItem(passedKey(page), JSON.stringify(marks));
    } catch { /* storage full or disabled: the mark lives until the page is left */ }
  }

  /** On each lesson in the bar, a tick and the number of its exercises that have passed. */
  function markLessonBar(page) {
    const root = new URL(site).pathname;
    const docs = docsFolder(page, root);
    if (docs === null) return;
    for (const link of document.querySelectorAll(".lesson-bar a")) {
      const path = new URL(link.href, location.href).pathname;
      if (!path.startsWith(root)) continue;
      const count = Object.keys(passed(`${docs}${path.slice(root.length).replace(/\/(index\.html)?$/, "")}.md`)).length;
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

  /** The pages' folder in their Markdown paths ("docs/"), from this page's path and where it is served
   * (docs/a/b.md at <root>a/b/), or null when they do not match. */
  function docsFolder(page, root) {
    const served = location.pathname.replace(/index\.html$/, "").slice(root.length).replace(/\/$/, ".md");
    return served.endsWith(".md") && page.endsWith(served) ? page.slice(0, page.length - served.length) : null;
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
