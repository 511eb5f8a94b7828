/* Edit and run a lesson's snippets in the page, on Pyodide served by the site.
 *
 * The build puts two JSON islands in a lesson page: lessonkit's `lessonkit-page`
 * (the page's snippets in order: id, key, code, hidden, live, replay, raises,
 * reason, exercise) and `pyodide-runtime` (the site's root, where the runtime
 * and the course's wheels are, or why they are unavailable). Each shown
 * snippet's block is wrapped in an element with `data-snippet="L42"`. For each
 * live one, this script turns the code into an editor (a textarea over the
 * highlighted code), adds Run, Stop and Reset, and makes the output below it a
 * live region. A build-only snippet gets its reason instead of a Run button.
 *
 * Nothing loads until the learner shows intent: focus in an editor, or a
 * pointer on a Run button, starts the page's Web Worker (run-worker.js, whose
 * header documents its messages). Running snippet k first replays the page's
 * earlier snippets that replay (`replay` in the island; in an island without
 * it, the live ones that are not an exercise's checks or solution) once, as
 * they are now in their editors; a snippet that raises as its `raises` says
 * shows its error line as output, as in the build, and is no replay error.
 *
 * While a snippet runs, what it prints shows in its output region as it is
 * printed (the worker's "output" messages, at most 100 ms apart), and its log
 * records at INFO and above (a training loop's step and loss, from it or from
 * an earlier snippet being replayed) show apart from it, as dim progress lines
 * (`.lessonkit-progress`), never in the output: the build sends them to its
 * log, not to the output fence. When the run ends, what it shows is what the
 * build shows, in the same order: the text the snippet printed, and each
 * picture or HTML it displayed in the place of its text stand-in (the worker's
 * `parts`); the last PROGRESS_KEPT progress lines stay above it.
 *
 * Stop: a page that is cross-origin isolated (coi-serviceworker.js, which the
 * plugin puts at the site's root and every page loads first, reloading the
 * first visit once) shares an interrupt buffer with the worker; Stop writes 2
 * (SIGINT) into it, the snippet ends with KeyboardInterrupt, shown as
 * "Stopped", and the page's namespace (what trained so far) stays for the next
 * Run. Python that does not answer within STOP_GRACE, or a page that is not
 * isolated, is stopped by ending the worker, and the note says what was lost:
 * the names the earlier snippets defined, which the next Run replays. Run has
 * no time limit in the page (training may take minutes); an exercise's Check
 * has the build's (exercises.js). SVG and HTML are sanitized with
 * DOMPurify (purify.es.mjs, next to this file: the npm package dompurify,
 * pinned and checked by tests/site/test_dompurify_package.py) configured from
 * allowlist.json, the very list the build's nh3 applies (lessonkit/sanitize.py
 * says what it holds). Both load on the learner's first sign of intent, with
 * the worker. A snippet's error names its line of the learner's code.
 *
 * Edits are kept in localStorage under `<site>lessonkit:<page>:<snippet key>`,
 * such as `https://example.org/course/lessonkit:docs/chapter-2/2.1-values-and-expressions.md:code:3f1c0a9e42b7`,
 * as JSON {"code": the learner's code, "lesson": hash of the lesson's code when
 * it was edited}. `<site>` is the site's address (the runtime island's `root`,
 * resolved against the page's), so two courses on one origin never share a
 * learner's edits; the snippet's key (`key` in the island: its exercise and
 * role for an exercise's part, else a hash of its code and which occurrence it
 * is; lessonkit/island.py) does not change when lines above it move. (An
 * island without keys keys a snippet by its id.) The hash is FNV-1a (32
 * bits, hex) of the snippet's code in the island. When the lesson's code has
 * changed since, the editor says so and offers Reset.
 *
 * `window.lessonkitRun` lets other scripts (exercises) share the worker and the
 * store: run(id, code, check, listener) runs `code` as snippet `id` (after
 * replaying the snippets before it), then `check` if given, and resolves to the
 * worker's "result" message, or to {stopped: true, restarted: true, lost: [the
 * names that were defined]} when Stop ended the worker; `listener` may have
 * output(text), log(records) and started(), called as the worker says so;
 * runInEditor(id, check, listener) does the same with the code in snippet `id`'s
 * editor and shows it there as Run does (live output, prints, the traceback, its
 * line marked); stop() stops what runs;
 * replayWith(choose) sets who says what code an earlier snippet replays with: choose(snippet) -> code, or
 * null for what its editor holds (exercises.js replays the reference solution of an exercise not passed yet);
 * store.load(id) -> {code, changed} or null,
 * store.save(id, code), store.clear(id), store.key(id) -> its localStorage key;
 * sanitize(markup) resolves to the markup as the page shows a display of it.
 */
const RUN_SCRIPT = document.currentScript.src;
const INDENT = "    ";
const KEYWORDS = new Set(("and as assert async await break class continue def del elif else except finally for " +
  "from global if import in is lambda nonlocal not or pass raise return try while with yield match case").split(" "));
const CONSTANTS = new Set(["True", "False", "None"]);
const BUILTINS = new Set(("abs all any bool dict enumerate float int isinstance len list max min print range " +
  "repr reversed round set sorted str sum super tuple type zip").split(" "));
const TOKEN = new RegExp([
  /(#[^\n]*)/,                                                                    // 1 comment
  // 2 string: triple-quoted (to the end of the line when not closed on it), or quoted
  /((?:[rRbBfFuU]{1,2})?(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))/,
  /(\b\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?j?\b|\.\d+)/,                        // 3 number
  /([A-Za-z_]\w*)/,                                                               // 4 name
  /([-+*/%=<>!&|^~@]+)/,                                                          // 5 operator
  /([()[\]{}:,.;])/,                                                              // 6 punctuation
].map(part => part.source).join("|"), "g");
const XML_PROLOG = /^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?/;  // as render.py cuts it off
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;  // where Python's splitlines() splits
const STOP_GRACE = 3000; // ms that interrupted Python has to answer before its worker is ended
const SIGINT = 2; // what Stop writes into the interrupt buffer
const PROGRESS_SHOWN = 8; // progress lines shown while a snippet runs
const PROGRESS_KEPT = 3; // progress lines kept once it is done
const NAMES_SAID = 8; // names listed when Stop loses them

let page = null; // the page being shown: its snippets, its worker, its store

function setUpRunInPage() {
  if (page) page.close();
  page = null;
  const island = document.getElementById("lessonkit-page");
  const runtime = document.getElementById("pyodide-runtime");
  if (!island || !runtime) return;
  page = new LessonPage(JSON.parse(island.textContent), JSON.parse(runtime.textContent));
  window.lessonkitRun = page.api();
}

class LessonPage {
  constructor(lesson, runtime) {
    this.path = lesson.page;
    this.runtime = runtime;
    this.site = siteAddress(runtime);
    this.worker = null;
    this.ready = false; // Python is loaded in the worker
    this.interrupt = null; // the worker's interrupt buffer, on a page that is cross-origin isolated
    this.startError = ""; // why the worker could not be made, when it could not
    this.queue = []; // runs asked for and not sent yet: {request, message, resolve, checked, listener, id}
    this.current = null; // the run the worker has now; it gets one at a time, so that Stop stops only that
    this.stopping = null; // the timer that ends the worker when interrupted Python does not answer
    this.names = []; // what the worker's namespace defines, as its last answer said
    this.requests = 0;
    this.progress = "";
    this.snippets = [];
    let shown = 0;
    for (const snippet of lesson.snippets) {
      const name = snippet.hidden ? "setup" : `snippet ${++shown}`;
      const block = snippet.hidden ? null : document.querySelector(`[data-snippet="${snippet.id}"]`);
      const entry = { ...snippet, name, block, editor: null };
      this.snippets.push(entry);
      if (block && snippet.live) entry.editor = new SnippetEditor(this, entry);
      else if (block && snippet.reason) buildOnlyNote(block, snippet.reason);
    }
  }

  api() {
    const find = id => this.snippets.find(s => s.id === id);
    return {
      run: (id, code, check, listener) => this.run(find(id), code, check, listener),
      runInEditor: (id, check, listener) => find(id).editor.run(check, listener),
      stop: () => this.stop(),
      replayWith: choose => { this.replayWith = choose; },
      store: {
        load: id => this.load(find(id)),
        save: (id, code) => this.save(find(id), code),
        clear: id => localStorage.removeItem(this.key(find(id))),
        key: id => this.key(find(id)),
      },
      sanitize: markup => loadSanitizer().then(sanitize => sanitize(markup)),
    };
  }

  // --- the store of edits ---------------------------------------------------------------------------
  key(snippet) {
    return storageKey(this.site, this.path, snippet.key ?? snippet.id);
  }

  load(snippet) {
    try {
      const stored = JSON.parse(localStorage.getItem(this.key(snippet)));
      if (stored && typeof stored.code === "string") {
        return { code: stored.code, changed: stored.lesson !== fnv1a(snippet.code) };
      }
    } catch { /* a damaged entry counts as none */ }
    return null;
  }

  save(snippet, code) {
    try {
      if (code === lessonCode(snippet)) localStorage.removeItem(this.key(snippet));
      else localStorage.setItem(this.key(snippet), JSON.stringify({ code, lesson: fnv1a(snippet.code) }));
    } catch { /* storage full or disabled: the edit lives until the page is left */ }
  }

  // --- the worker ------------------------------------------------------------------------------------
  start() {
    if (this.worker || this.runtime.unavailable) return;
    let worker;
    try {
      worker = new Worker(new URL("run-worker.js", RUN_SCRIPT), { type: "module" });
    } catch (error) { // such as a page opened from a file: browsers start no worker there
      this.startError = `Python could not start: ${error.message}`;
      return;
    }
    loadSanitizer();  // with the worker: the first picture is shown without waiting for it
    worker.onmessage = ({ data }) => this.receive(data);
    worker.onerror = event => this.receive({ type: "failed", message: event.message || "the worker could not start" });
    this.interrupt = window.crossOriginIsolated ? new Int8Array(new SharedArrayBuffer(1)) : null;
    const absolute = relative => new URL(relative, location.href).href;
    worker.postMessage({
      type: "start",
      runtime: absolute(this.runtime.runtime),
      wheels: this.runtime.wheels.map(absolute),
      env: Object.fromEntries(Object.entries(this.runtime.env ?? {}).map(([name, url]) => [name, absolute(url)])),
      interrupt: this.interrupt,
    });
    this.worker = worker;
    this.ready = false;
    this.names = [];
    this.progress = "Starting Python…";
    this.next();
  }

  receive(data) {
    const current = this.current?.request === data.request ? this.current : null;
    if (data.type === "progress") {
      this.progress = data.text;
      for (const snippet of this.snippets) snippet.editor?.showProgress(this.progress);
    } else if (data.type === "ready") {
      this.progress = "";
      this.ready = true;
      for (const snippet of this.snippets) snippet.editor?.showProgress("");
    } else if (data.type === "failed") {
      const message = `Python could not start: ${data.message}`;
      this.end();  // the next Run tries again
      this.answerAll(checked => failure(message, checked));
    } else if (data.type === "crashed") {
      this.end();
      this.answerAll(checked => failure(`Python stopped working (${data.message}). It was restarted: ` +
                                        "the next Run replays the earlier snippets first.", checked));
      this.start();
    } else if (data.type === "output") {
      current?.listener.output?.(data.text);
    } else if (data.type === "log") {
      current?.listener.log?.(data.records);
    } else if (data.type === "started") {
      this.names = data.names;
      current?.listener.started?.();
    } else if (data.type === "result" && current) {
      clearTimeout(this.stopping);
      this.names = data.names ?? this.names;
      this.current = null;
      current.resolve(data);
      this.next();
    }
  }

  run(snippet, code, check = null, listener = {}) {
    if (this.runtime.unavailable) {
      return Promise.resolve(failure(`Run is unavailable: ${this.runtime.unavailable}`, check != null));
    }
    this.start();
    if (!this.worker) return Promise.resolve(failure(this.startError, check != null));
    const before = this.snippets.slice(0, this.snippets.indexOf(snippet));
    const replay = before.filter(s => s.replay ?? replayed(s))
      .map(s => ({ id: s.id, filename: s.name, code: this.replayWith?.(s) ?? currentCode(s), raises: s.raises ?? null }));
    const request = ++this.requests;
    const now = { id: snippet.id, filename: snippet.name, code, raises: snippet.raises ?? null };
    const message = { type: "run", request, replay, check, snippet: now };
    return new Promise(resolve => {
      this.queue.push({ request, message, resolve, checked: check != null, listener, id: snippet.id });
      this.next();
    });
  }

  /** Send the worker the next run asked for, once it has answered the last. */
  next() {
    if (!this.current && this.queue.length && this.worker) {
      this.current = this.queue.shift();
      if (this.interrupt) this.interrupt[0] = 0;  // a Stop that came after the last run ended stops nothing
      this.worker.postMessage(this.current.message);
    }
    this.showBusy();
  }

  /** Whether snippet `id` has a run asked for or running: its Stop button shows. */
  busy(id) {
    return this.current?.id === id || this.queue.some(run => run.id === id);
  }

  showBusy() {
    for (const snippet of this.snippets) snippet.editor?.showBusy(this.busy(snippet.id));
  }

  /** Stop what runs, and what waits to run: interrupt Python when the page shares its interrupt buffer, else
   * end the worker. */
  stop() {
    if (!this.current) return;
    for (const waiting of this.queue) waiting.resolve(stoppedBeforeItRan());
    this.queue = [];
    if (this.interrupt && this.ready) {
      if (this.current.interrupted) return;  // once: a second interrupt could land after the first was answered
      this.current.interrupted = true;
      this.interrupt[0] = SIGINT;
      this.stopping = setTimeout(() => this.restart(), STOP_GRACE);
    } else {
      this.restart();
    }
    this.showBusy();
  }

  /** End the worker and start a fresh Python; the runs still waiting are told what was lost. */
  restart() {
    const lost = this.names;
    this.end();
    this.answerAll(() => ({ stopped: true, restarted: true, lost }));
    this.start(); // a fresh Python, ready for the next Run
  }

  end() {
    clearTimeout(this.stopping);
    this.worker?.terminate();
    this.worker = null;
    this.ready = false;
    this.progress = "";
  }

  /** Answer every run still waiting, with answer(checked), when the worker is gone. */
  answerAll(answer) {
    for (const { resolve, checked } of [this.current, ...this.queue].filter(Boolean)) resolve(answer(checked));
    this.current = null;
    this.queue = [];
    this.showBusy();
  }

  close() {
    this.end();
  }
}

/** The answer to a run that Python could not give; with checks asked, they are an error too. */
function failure(message, checked) {
  return { output: "", parts: [], error: { type: null, message, traceback: message, line: null },
           replayed: [], replay_errors: [], check: checked ? { status: "error", message } : null };
}

/** The answer to a run that Stop stopped before the worker had it: nothing ran. */
function stoppedBeforeItRan() {
  return { output: "", parts: [], error: null, replayed: [], replay_errors: [], check: null, check_error: null,
           stopped: true };
}

/** Whether an earlier snippet runs before a later one, for an island without `replay`. */
function replayed(snippet) {
  const role = snippet.exercise?.role;
  return snippet.live && role !== "check" && role !== "solution";
}

/** The site's address, from the runtime island's `root` (relative to this page); its origin without it. */
function siteAddress(runtime) {
  return new URL(runtime.root ?? "/", location.href).href;
}

/** Where the store keeps a snippet's edit: under the site's address, the page and the snippet's key. */
function storageKey(site, page, key) {
  return `${site}lessonkit:${page}:${key}`;
}

function currentCode(snippet) {
  return snippet.editor ? snippet.editor.textarea.value : snippet.code;
}

function lessonCode(snippet) {
  return snippet.code.replace(/\n$/, "");
}

/** One live snippet on the page: its editor, its buttons and its output region. */
class SnippetEditor {
  constructor(page, snippet) {
    this.page = page;
    this.snippet = snippet;
    this.live = null; // the LiveRun of the run being shown
    this.leaving = false; // Escape was pressed: the next Tab leaves the editor
    const block = snippet.block;
    this.pre = block.querySelector(".highlight pre");
    this.code = this.pre.querySelector("code");
    this.lessonHtml = this.code.innerHTML;
    this.code.removeAttribute("tabindex");
    this.code.setAttribute("aria-hidden", "true");

    const hint = element("p", "lessonkit-run__hint",
      "Shift+Enter runs · Tab indents · Esc, then Tab, leaves the editor");
    hint.id = `lessonkit-hint-${snippet.id}`;
    this.textarea = element("textarea", "lessonkit-run__textarea");
    Object.assign(this.textarea, { spellcheck: false, autocapitalize: "off", autocomplete: "off" });
    this.textarea.setAttribute("aria-label", `Code, ${snippet.name}`);
    this.textarea.setAttribute("aria-describedby", hint.id);
    this.textarea.value = lessonCode(snippet);
    if (snippet.in_page) {  // the block shows the build's line; the editor starts with the page's (in-page=)
      this.highlight();
      this.lessonHtml = this.code.innerHTML;
    }
    this.pre.classList.add("lessonkit-run__editor");
    this.pre.append(this.textarea);

    this.runButton = button("Run", "lessonkit-run__run", () => this.run());  // a Run while one runs waits for it
    this.stopButton = button("Stop", "lessonkit-run__stop", () => this.page.stop());  // shown while it runs
    this.stopButton.hidden = true;
    this.resetButton = button("Reset", "lessonkit-run__reset", () => this.reset());
    const bar = element("div", "lessonkit-run__bar");
    bar.append(this.runButton, this.stopButton, this.resetButton, hint);
    this.notice = element("p", "lessonkit-run__notice",
      "The lesson's code for this snippet has changed since you edited it. Reset brings the lesson's version back.");
    this.notice.hidden = true;
    this.output = element("div", "lessonkit-run__output");
    this.output.setAttribute("role", "status");
    this.output.setAttribute("aria-label", `Output, ${snippet.name}`);
    this.lessonOutput = [...block.querySelectorAll(":scope > .lessonkit-output, :scope > .lessonkit-display")];
    this.output.append(...this.lessonOutput);
    this.pre.closest(".highlight").after(bar, this.notice, this.output);
    if (page.runtime.unavailable) {
      this.runButton.disabled = true;
      bar.append(element("p", "lessonkit-run__unavailable", `Run is unavailable: ${page.runtime.unavailable}`));
    }

    this.textarea.addEventListener("input", () => this.edited());
    this.textarea.addEventListener("keydown", event => this.key(event));
    this.textarea.addEventListener("focus", () => page.start());
    this.runButton.addEventListener("pointerenter", () => page.start());
    this.copyStyle();
    const stored = page.load(snippet);
    if (stored) {
      this.textarea.value = stored.code;
      this.notice.hidden = !stored.changed;
      this.highlight();
    }
  }

  copyStyle() {
    const style = getComputedStyle(this.code);
    for (const property of ["fontFamily", "fontSize", "lineHeight", "letterSpacing", "tabSize",
                            "paddingTop", "paddingRight", "paddingBottom", "paddingLeft"]) {
      this.textarea.style[property] = style[property];
    }
  }

  edited() {
    this.highlight();
    this.page.save(this.snippet, this.textarea.value);
  }

  highlight(errorLine = null) {
    const code = this.textarea.value;
    this.code.innerHTML = highlightPython(code, errorLine) + (code.endsWith("\n") || code === "" ? " " : "");
  }

  key(event) {
    if (event.isComposing) return; // an input method is composing a character
    if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      this.run();
    } else if (event.key === "Escape") {
      this.leaving = true;
    } else if (event.key === "Tab" && !this.leaving) {
      event.preventDefault();
      indent(this.textarea, event.shiftKey ? -1 : 1);
    } else if (event.key === "Enter" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      newLine(this.textarea);
    }
    if (event.key !== "Escape" && event.key !== "Shift") this.leaving = false;
  }

  /** Run the editor's code (then an exercise's `check`, when given), showing it live, then its result. */
  async run(check = null, listener = {}) {
    if (this.runButton.disabled) return failure(this.page.runtime.unavailable ?? "", check != null);
    this.highlight();
    const live = new LiveRun(this.snippet.name, this.page.progress);
    this.live = live;
    this.output.setAttribute("aria-busy", "true");
    this.output.replaceChildren(live.element);
    const result = await this.page.run(this.snippet, this.textarea.value, check, {
      output: text => { live.print(text); listener.output?.(text); },
      log: records => { live.log(records, this.snippet.name); listener.log?.(records); },
      started: () => { live.started(); listener.started?.(); },
    });
    const shown = await this.parts(result);
    if (this.live === live) {  // else a later run of this snippet shows its own
      this.live = null;
      this.output.removeAttribute("aria-busy");
      this.show(result, shown, live.kept(), check != null);
    }
    return result;
  }

  /** What the page is doing while Python loads, in the status line of a run that waits for it. */
  showProgress(text) {
    this.live?.status(text);
  }

  showBusy(busy) {
    this.stopButton.hidden = !busy;
  }

  /** The blocks of what the snippet printed and displayed, in print order, as the build renders them. */
  async parts(result) {
    const blocks = [];
    for (const part of result.parts || []) {
      if (part.display) blocks.push(await displayBlock(part.display));
      else if (normalize(part.text)) blocks.push(outputBlock("Output", normalize(part.text)));
    }
    return blocks;
  }

  /** The result in the output region: the build's blocks, the progress kept above them, an error and its line. */
  show(result, shown, progress, checked) {
    const parts = [];
    if (result.restarted) {
      this.output.replaceChildren(element("p", "lessonkit-run__note", restartedNote(result.lost)));
      return;
    }
    if (result.replay_errors.length) {
      const names = result.replay_errors.map(error => {
        const earlier = this.page.snippets.find(s => s.id === error.id);
        return `${earlier.name} (${error.message})`;
      });
      parts.push(element("p", "lessonkit-run__note",
        `An earlier snippet raised an error when it was replayed: ${names.join("; ")}.`));
    }
    if (progress) parts.push(progress);
    parts.push(...shown);
    const error = result.stopped ? null : result.error ?? result.check_error;
    if (result.stopped) {
      const where = result.error?.line ? ` at line ${result.error.line}` : "";
      parts.push(element("p", "lessonkit-run__note lessonkit-run__stopped",
        `Stopped${where}. What ran before the stop stays defined: the next Run goes on from here.`));
    } else if (error) {
      const where = error.line ? `Line ${error.line}: ` : "";
      const block = outputBlock(`${where}${error.message.trim()}`, error.traceback ?? error.message);
      block.classList.add("lessonkit-run__error");
      parts.push(block);
    }
    this.highlight(error?.line);
    if (!parts.length && !checked) parts.push(element("p", "lessonkit-run__note", "Ran. It printed nothing."));
    this.output.replaceChildren(...parts);
  }

  reset() {
    this.live = null;
    this.output.removeAttribute("aria-busy");
    this.textarea.value = lessonCode(this.snippet);
    this.code.innerHTML = this.lessonHtml;
    localStorage.removeItem(this.page.key(this.snippet));
    this.notice.hidden = true;
    this.output.replaceChildren(...this.lessonOutput);
    this.textarea.focus();
  }
}

function buildOnlyNote(block, reason) {
  const note = element("p", "lessonkit-run__build-only",
    `Runs in the build only: ${reason}. The output shown is the build's.`);
  block.querySelector(".highlight").after(note);
}

/** A run as it goes: a status line, the progress its log records report, and what it has printed so far. */
class LiveRun {
  constructor(name, progress) {
    this.name = name;
    this.lines = []; // every progress line of the run, oldest first
    this.element = element("div", "lessonkit-run__live");
    this.statusLine = element("p", "lessonkit-run__progress");
    this.statusText = document.createTextNode("");
    this.statusLine.append(element("progress", ""), this.statusText);
    this.running = "Running the earlier snippets first…";  // until the worker says this snippet starts
    this.status(progress);
    this.progress = progressBlock();
    this.progress.hidden = true;
    this.printed = outputBlock("Output", "");
    this.printed.hidden = true;
    this.element.append(this.statusLine, this.progress, this.printed);
  }

  /** The status line says `text` (Python loading), or else what runs. */
  status(text) {
    this.statusText.data = " " + (text || this.running);
  }

  started() {
    this.running = "Running…";
    this.status("");
  }

  print(text) {
    this.printed.querySelector("code").append(text);
    this.printed.hidden = false;
  }

  /** Log records as progress lines; a replayed snippet's are named, as its output is not shown. */
  log(records, name) {
    for (const record of records) {
      this.lines.push(record.snippet === name || record.snippet === "check" ? record.message
        : `${record.snippet}: ${record.message}`);
    }
    this.progress.querySelector("code").textContent = this.lines.slice(-PROGRESS_SHOWN).join("\n");
    this.progress.hidden = false;
  }

  /** The progress block to keep under the result (its last lines), or null when nothing was logged. */
  kept() {
    if (!this.lines.length) return null;
    const shown = this.lines.slice(-PROGRESS_KEPT);
    const block = progressBlock(shown.length < this.lines.length ? `last ${shown.length} of ${this.lines.length} lines`
      : "");
    block.querySelector("code").textContent = shown.join("\n");
    return block;
  }
}

/** A block of progress lines, dim, apart from the output: what the snippet's log said while it ran. */
function progressBlock(note = "") {
  const block = element("div", "lessonkit-progress");
  const pre = element("pre");
  pre.append(element("code"));
  block.append(element("span", "lessonkit-progress__title", note ? `Progress · ${note}` : "Progress"), pre);
  return block;
}

/** What Stop says when it had to end Python: what was lost, and what the next Run does about it. */
function restartedNote(lost) {
  const named = lost.length > NAMES_SAID ? `${lost.slice(0, NAMES_SAID).join(", ")} and ${lost.length - NAMES_SAID} more`
    : lost.join(", ");
  const what = lost.length ? `so what the snippets defined (${named}) is gone` : "so what it had run is gone";
  return `Stopped. Python was ended and restarted, ${what}: the next Run replays the earlier snippets first.`;
}

// --- small DOM helpers --------------------------------------------------------------------------------
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function button(label, className, action) {
  const node = element("button", `md-button ${className}`, label);
  node.type = "button";
  node.addEventListener("click", action);
  return node;
}

/** A titled text block, as the build renders a snippet's output. */
function outputBlock(title, text) {
  const block = element("div", "lessonkit-output highlight");
  const pre = element("pre");
  pre.append(element("code", "", text));
  block.append(element("span", "filename", title), pre);
  return block;
}

/** Output text as the build writes it: no whitespace at line ends, no blank lines at the end. */
function normalize(text) {
  return text.split(LINE_BREAK).map(line => line.trimEnd()).join("\n").replace(/\n+$/, "");
}

/** A picture or HTML that a snippet displayed, as the build puts it in the page (render.py's display_markup). */
async function displayBlock(shown) {
  const box = element("div", "lessonkit-display");
  if (shown.mime === "image/png" && BASE64.test(shown.data)) {
    const image = element("img");
    image.alt = shown.text;
    image.src = `data:image/png;base64,${shown.data.replace(/\s/g, "")}`;
    box.append(image);
    return box;
  }
  try {
    const sanitize = await loadSanitizer();
    box.innerHTML = sanitize(shown.data.replace(XML_PROLOG, ""));
  } catch (error) {  // never shown unsanitized
    return element("p", "lessonkit-run__note", `${shown.text} cannot be shown here: ${error.message || error}`);
  }
  return box;
}

// --- sanitizing --------------------------------------------------------------------------------------
let sanitizer = null; // a promise of sanitize(markup) -> safe markup, once asked for

/** DOMPurify, configured from allowlist.json (the build's nh3 reads the same file), loaded once. */
function loadSanitizer() {
  if (!sanitizer) {
    sanitizer = Promise.all([
      import(new URL("purify.es.mjs", RUN_SCRIPT).href),
      fetch(new URL("allowlist.json", RUN_SCRIPT)).then(response => {
        if (!response.ok) throw new Error(`allowlist.json answered ${response.status}`);
        return response.json();
      }),
    ]).then(([purify, allowlist]) => configured(purify.default, allowlist));
    sanitizer.catch(() => { sanitizer = null; });  // said where a picture was to be shown; the next one tries again
  }
  return sanitizer;
}

/** sanitize(markup), keeping what the allowlist keeps, as nh3 does in the build.
 *
 * DOMPurify decides which elements stay (ALLOWED_TAGS, FORBID_CONTENTS for
 * those dropped with their content) and guards against markup that parses
 * differently once serialized. As nh3 does, an element in a namespace it
 * cannot be in where it stands (HTML inside SVG, SVG or MathML inside HTML
 * other than by <svg> or <math>, an SVG element that SVG does not define) goes
 * with its content (inNamespace). Attributes are decided here, as nh3 does: by
 * local name (xlink:href as href), on every element ("*") or on its own; a URL
 * attribute keeps a relative URL or one with an allowed scheme, and an href
 * off a link (`links`) only a reference inside the picture (#id); a style keeps
 * only the allowed properties. Kept values are not trimmed, as nh3 keeps them.
 * DOMPurify's check of ids against document's properties is off: no element
 * the list allows (no img, form, embed, object or iframe) can shadow one, and
 * nh3 has no such check.
 */
function configured(DOMPurify, allowlist) {
  const purify = DOMPurify(window);  // an instance of its own, for its own hook
  const everywhere = new Set(allowlist.attributes["*"]);
  const byTag = new Map(Object.entries(allowlist.attributes).map(([tag, names]) => [tag, new Set(names)]));
  const urls = new Set(allowlist.url_attributes);
  const schemes = new Set(allowlist.url_schemes);
  const links = new Set(allowlist.links);
  const properties = new Set(allowlist.style_properties);
  purify.addHook("uponSanitizeElement", node => {
    if (node.nodeType === Node.ELEMENT_NODE && !inNamespace(node)) node.remove();
  });
  purify.addHook("uponSanitizeAttribute", (node, data) => {
    const attribute = [...node.attributes].find(a => a.name.toLowerCase() === data.attrName);
    const name = attribute?.localName;
    const kept = attribute && (everywhere.has(name) || byTag.get(node.localName)?.has(name))
      && (!urls.has(name) || allowedUrl(attribute.value, schemes))
      && (name !== "href" || links.has(node.localName) || attribute.value.startsWith("#"));
    if (!kept) {
      data.keepAttr = false;
      return;
    }
    if (name === "style") attribute.value = filteredStyle(attribute.value, properties);
    data.forceKeepAttr = true;
  });
  const config = {
    ALLOWED_TAGS: allowlist.tags,
    ALLOWED_ATTR: Object.values(allowlist.attributes).flat(),
    FORBID_CONTENTS: allowlist.dropped_with_content,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    SANITIZE_DOM: false,
  };
  return markup => purify.sanitize(markup, config);
}

const HTML = "http://www.w3.org/1999/xhtml";
const SVG = "http://www.w3.org/2000/svg";
const MATHML = "http://www.w3.org/1998/Math/MathML";
const SVG_ELEMENTS = new Set(("a animate animateMotion animateTransform circle clipPath defs desc discard ellipse " +
  "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap " +
  "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode " +
  "feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence filter foreignObject g " +
  "image line linearGradient marker mask metadata mpath path pattern polygon polyline radialGradient rect script " +
  "set stop style svg switch symbol text textPath title tspan use view").split(" "));

/** Whether an element may be in its namespace under its parent (what is left of its ancestors), as ammonia says.
 * (No MathML element is ever kept, so a MathML parent never needs its rules.) */
function inNamespace(node) {
  const parent = node.parentNode?.nodeType === Node.ELEMENT_NODE ? node.parentNode.namespaceURI : HTML;
  const space = node.namespaceURI;
  if (parent === HTML && space === SVG) return node.localName === "svg";
  if (parent === HTML && space === MATHML) return node.localName === "math";
  if (parent === SVG && space !== SVG) return node.parentNode.localName === "foreignObject";
  if (space === SVG) return SVG_ELEMENTS.has(node.localName);
  return space === HTML || space === MATHML || space === parent;
}

/** Whether a URL is relative, or absolute with one of the schemes (as nh3 parses it: tabs and newlines out). */
function allowedUrl(value, schemes) {
  const url = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  return !scheme || schemes.has(scheme[1].toLowerCase());
}

/** A style attribute with only the allowed properties, written `name:value;name:value` as nh3 writes it. */
function filteredStyle(style, properties) {
  const declarations = style.replace(/\/\*[\s\S]*?\*\//g, "").match(/(?:[^;"'(]|"[^"]*"|'[^']*'|\([^)]*\))+/g) || [];
  return declarations.map(declaration => {
    const colon = declaration.indexOf(":");
    return colon < 0 ? null : [declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim()];
  }).filter(pair => pair && pair[1] && properties.has(pair[0])).map(([name, value]) => `${name}:${value}`).join(";");
}

// --- editing ------------------------------------------------------------------------------------------
/** Indent (+1) or dedent (-1) the lines of the selection; with no selection, +1 inserts spaces at the caret. */
function indent(textarea, direction) {
  const { value, selectionStart: start, selectionEnd: end } = textarea;
  if (direction > 0 && start === end) {
    insert(textarea, INDENT);
    return;
  }
  const from = value.lastIndexOf("\n", start - 1) + 1;
  const lines = value.slice(from, end).split("\n");
  const changed = lines.map(line => direction > 0 ? INDENT + line : line.replace(/^ {1,4}/, "")).join("\n");
  textarea.setSelectionRange(from, end);
  insert(textarea, changed);
  textarea.setSelectionRange(from, from + changed.length);
}

/** A new line that keeps the current line's indent, one level deeper after a colon. */
function newLine(textarea) {
  const { value, selectionStart: start } = textarea;
  const line = value.slice(value.lastIndexOf("\n", start - 1) + 1, start);
  const current = line.match(/^ */)[0];
  insert(textarea, "\n" + current + (/:\s*$/.test(line) ? INDENT : ""));
}

/** Insert text as typing would, so that undo works, and tell the editor. */
function insert(textarea, text) {
  if (!document.execCommand("insertText", false, text)) {
    textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
    textarea.dispatchEvent(new Event("input"));
  }
}

/** Python source as HTML, with Pygments' class names so that the theme colours it; `errorLine` is marked. */
function highlightPython(code, errorLine) {
  const lines = code.split("\n");
  return lines.map((line, index) => {
    const html = highlightLine(line);
    return index + 1 === errorLine ? `<span class="lessonkit-run__error-line">${html}</span>` : html;
  }).join("\n");
}

function highlightLine(line) {
  let html = "", last = 0, previous = "";
  for (const match of line.matchAll(TOKEN)) {
    html += escape(line.slice(last, match.index));
    const [text, comment, string, number, name, operator] = match;
    let kind = "p";
    if (comment) kind = "c1";
    else if (string) kind = "s2";
    else if (number) kind = "mf";
    else if (name) kind = KEYWORDS.has(text) ? "k" : CONSTANTS.has(text) ? "kc" : BUILTINS.has(text) ? "nb"
      : previous === "def" ? "nf" : previous === "class" ? "nc" : "n";
    else if (operator) kind = "o";
    html += `<span class="${kind}">${escape(text)}</span>`;
    last = match.index + text.length;
    previous = text;
  }
  return html + escape(line.slice(last));
}

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** FNV-1a, 32 bits, as 8 hex digits: the store's hash of a snippet's lesson code. */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// Material's instant navigation announces each page on document$; any other theme loads pages whole.
if (window.document$) document$.subscribe(setUpRunInPage);
else document.addEventListener("DOMContentLoaded", setUpRunInPage);
