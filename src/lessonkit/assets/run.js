/* Edit and run a lesson's snippets in the page, on Pyodide served by the site.
 *
 * The build puts two JSON islands in a lesson page: lessonkit's `lessonkit-page`
 * (the page's snippets in order: id, code, hidden, live, reason, exercise) and
 * `pyodide-runtime` (where the runtime and the course's wheels are, or why they
 * are unavailable). Each shown snippet's block is wrapped in an element with
 * `data-snippet="L42"`. For each live one, this script turns the code into an
 * editor (a textarea over the highlighted code), adds Run, Stop and Reset, and
 * makes the output below it a live region. A build-only snippet gets its reason
 * instead of a Run button.
 *
 * Nothing loads until the learner shows intent: focus in an editor, or a
 * pointer on a Run button, starts the page's Web Worker (run-worker.js, whose
 * header documents its messages). Running snippet k first replays the page's
 * earlier live snippets once, as they are now in their editors; the exercise
 * checks and reference solutions are not replayed.
 *
 * Edits are kept in localStorage under `lessonkit:<page>:<snippet id>`, such as
 * `lessonkit:docs/chapter-2/2.1-values-and-expressions.md:L42`, as JSON
 * {"code": the learner's code, "lesson": hash of the lesson's code when it was
 * edited}. The hash is FNV-1a (32 bits, hex) of the snippet's code in the island.
 * When the lesson's code has changed since, the editor says so and offers Reset.
 *
 * `window.lessonkitRun` lets other scripts (exercises) share the worker and the
 * store: run(id, code, check) runs `code` as snippet `id` (after replaying the
 * snippets before it), then `check` if given, and resolves to the worker's
 * "result" message, or to {stopped: true} when Stop ended the worker first;
 * store.load(id) -> {code, changed} or null,
 * store.save(id, code), store.clear(id).
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
    this.worker = null;
    this.startError = ""; // why the worker could not be made, when it could not
    this.pending = new Map(); // request number -> {resolve, checked: whether checks were asked}
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
    return {
      run: (id, code, check) => this.run(this.snippets.find(s => s.id === id), code, check),
      store: {
        load: id => this.load(this.snippets.find(s => s.id === id)),
        save: (id, code) => this.save(this.snippets.find(s => s.id === id), code),
        clear: id => localStorage.removeItem(this.key(id)),
      },
    };
  }

  // --- the store of edits ---------------------------------------------------------------------------
  key(id) {
    return `lessonkit:${this.path}:${id}`;
  }

  load(snippet) {
    try {
      const stored = JSON.parse(localStorage.getItem(this.key(snippet.id)));
      if (stored && typeof stored.code === "string") {
        return { code: stored.code, changed: stored.lesson !== fnv1a(snippet.code) };
      }
    } catch { /* a damaged entry counts as none */ }
    return null;
  }

  save(snippet, code) {
    try {
      if (code === lessonCode(snippet)) localStorage.removeItem(this.key(snippet.id));
      else localStorage.setItem(this.key(snippet.id), JSON.stringify({ code, lesson: fnv1a(snippet.code) }));
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
    worker.onmessage = ({ data }) => this.receive(data);
    worker.onerror = event => this.receive({ type: "failed", message: event.message || "the worker could not start" });
    worker.postMessage({
      type: "start",
      runtime: new URL(this.runtime.runtime, location.href).href,
      wheels: this.runtime.wheels.map(wheel => new URL(wheel, location.href).href),
    });
    this.worker = worker;
    this.progress = "Starting Python…";
  }

  receive(data) {
    if (data.type === "progress") {
      this.progress = data.text;
      for (const snippet of this.snippets) snippet.editor?.showProgress(this.progress);
    } else if (data.type === "ready") {
      this.progress = "";
    } else if (data.type === "failed") {
      const message = `Python could not start: ${data.message}`;
      this.worker?.terminate();
      this.worker = null; // the next Run tries again
      this.progress = "";
      this.answerAll(checked => failure(message, checked));
    } else if (data.type === "crashed") {
      this.worker?.terminate();
      this.worker = null;
      this.answerAll(checked => failure(`Python stopped working (${data.message}). It was restarted: ` +
                                        "the next Run replays the earlier snippets first.", checked));
      this.start();
    } else if (data.type === "result") {
      this.pending.get(data.request)?.resolve(data);
      this.pending.delete(data.request);
    }
  }

  run(snippet, code, check = null) {
    if (this.runtime.unavailable) {
      return Promise.resolve(failure(`Run is unavailable: ${this.runtime.unavailable}`, check != null));
    }
    this.start();
    if (!this.worker) return Promise.resolve(failure(this.startError, check != null));
    const before = this.snippets.slice(0, this.snippets.indexOf(snippet));
    const replay = before.filter(replayed).map(s => ({ id: s.id, filename: s.name, code: currentCode(s) }));
    const request = ++this.requests;
    this.worker.postMessage({ type: "run", request, replay, check,
                              snippet: { id: snippet.id, filename: snippet.name, code } });
    return new Promise(resolve => this.pending.set(request, { resolve, checked: check != null }));
  }

  stop() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.answerAll(() => ({ stopped: true }));
    this.start(); // a fresh Python, ready for the next Run
  }

  /** Answer every run still waiting, with answer(checked), when the worker is gone. */
  answerAll(answer) {
    for (const { resolve, checked } of this.pending.values()) resolve(answer(checked));
    this.pending.clear();
  }

  close() {
    this.worker?.terminate();
  }
}

/** The answer to a run that Python could not give; with checks asked, they are an error too. */
function failure(message, checked) {
  return { output: "", svgs: [], error: { message, traceback: message, line: null },
           replayed: [], replay_errors: [], check: checked ? { status: "error", message } : null };
}

function replayed(snippet) {
  const role = snippet.exercise?.role;
  return snippet.live && role !== "check" && role !== "solution";
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
    this.running = 0;
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
    this.pre.classList.add("lessonkit-run__editor");
    this.pre.append(this.textarea);

    this.runButton = button("Run", "lessonkit-run__run", () => this.run());
    this.stopButton = button("Stop", "lessonkit-run__stop", () => this.page.stop());
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

  async run() {
    if (this.runButton.disabled) return;
    this.running += 1;
    this.stopButton.hidden = false;
    this.highlight();
    this.showProgress(this.page.progress || "Running…");
    const result = await this.page.run(this.snippet, this.textarea.value);
    this.running -= 1;
    this.stopButton.hidden = this.running === 0;
    this.show(result);
  }

  showProgress(text) {
    if (!this.running) return;
    const status = element("p", "lessonkit-run__progress");
    status.append(element("progress", ""), document.createTextNode(" " + text));
    this.output.replaceChildren(status);
  }

  show(result) {
    const parts = [];
    if (result.stopped) {
      parts.push(element("p", "lessonkit-run__note",
        "Stopped. Python was restarted: the next Run replays the earlier snippets first."));
      this.output.replaceChildren(...parts);
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
    if (result.output) parts.push(outputBlock("Output", result.output));
    for (const svg of result.svgs) parts.push(display(svg));
    if (result.error) {
      const where = result.error.line ? `Line ${result.error.line}: ` : "";
      const error = outputBlock(`${where}${result.error.message}`, result.error.traceback);
      error.classList.add("lessonkit-run__error");
      parts.push(error);
      this.highlight(result.error.line);
    }
    if (!parts.length) parts.push(element("p", "lessonkit-run__note", "Ran. It printed nothing."));
    this.output.replaceChildren(...parts);
  }

  reset() {
    this.textarea.value = lessonCode(this.snippet);
    this.code.innerHTML = this.lessonHtml;
    localStorage.removeItem(this.page.key(this.snippet.id));
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

/** The snippet's SVG, without anything that could run: scripts, event handlers, foreign HTML. */
function display(svg) {
  const box = element("div", "lessonkit-display");
  const parsed = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  if (parsed.nodeName !== "svg") return outputBlock("Display", svg);
  parsed.querySelectorAll("script, foreignObject").forEach(node => node.remove());
  for (const node of [parsed, ...parsed.querySelectorAll("*")]) {
    for (const attribute of [...node.attributes]) {
      if (/^on/i.test(attribute.name) || /^\s*javascript:/i.test(attribute.value)) node.removeAttribute(attribute.name);
    }
  }
  box.append(document.importNode(parsed, true));
  return box;
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
