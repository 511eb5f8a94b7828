/* The Web Worker that runs a lesson page's Python: Pyodide, served by the site, one worker per page.
 *
 * run.js starts it as a module worker on the learner's first sign of intent
 * (focus in an editor, or a Run), so a page costs nothing for readers who only
 * read. Its Python half, run_worker.py (next to this file), keeps the page's
 * namespace and runs the snippets there, in page order, as the build does; how
 * a snippet runs is lessonkit's semantics.py (also next to this file), the very
 * module the build's worker runs. Both are written into Pyodide's file system
 * under /lessonkit/ and loaded by their paths under private module names, never
 * put on sys.path, so that a snippet sees no lessonkit module.
 * Stop interrupts Python in place when the page is cross-origin isolated (the
 * site's coi-serviceworker.js makes it so): run.js shares an interrupt buffer
 * (a SharedArrayBuffer, pyodide.setInterruptBuffer) and writes 2 (SIGINT) into
 * it, the running code raises KeyboardInterrupt, and the namespace stays.
 * Otherwise Stop terminates the worker, and run.js starts a fresh one, with an
 * empty namespace.
 *
 * Protocol (postMessage, plain objects):
 *
 *   page -> worker
 *     {type: "start", runtime, wheels, env, interrupt}
 *         First message. `runtime`: absolute URL of the folder holding
 *         pyodide.mjs; `wheels`: absolute URLs of the course's wheels; `env`:
 *         environment variables for the page's Python ({NAME: absolute URL},
 *         the plugin's `env` setting), beside PYTHONHASHSEED=0; `interrupt`:
 *         null, or an Int8Array on a SharedArrayBuffer, Python's interrupt buffer.
 *     {type: "run", request, replay, snippet, check}
 *         `request`: a number the answer carries back. `snippet`: {id, filename,
 *         code, raises}, the code to run now; `filename` is what its traceback
 *         calls it ("snippet 3"); `raises`: the exception it must raise, or null.
 *         `replay`: the page's earlier snippets, in page order, as the learner
 *         has them now ({id, filename, code, raises} each); those that have not
 *         run in this worker yet run first, once, and their output is not shown.
 *         `check`: null, or an exercise's check code, run after `snippet` in a
 *         copy of the namespace. Runs are answered in the order asked; run.js
 *         sends the next once the last is answered.
 *
 *   worker -> page
 *     {type: "progress", text}      while starting: what it is doing
 *     {type: "ready", seconds}      Python and deepdive are loaded
 *     {type: "failed", message}     it could not start; it answers no run (the page ends it)
 *     {type: "crashed", message}    Python itself failed (such as the browser's stack running out)
 *                                   and can run nothing more; the page ends the worker and answers
 *                                   the runs still waiting
 *     {type: "output", request, text}   while a run runs: what its snippet printed since the last message
 *                                   (each display as its text stand-in), at most every 100 ms and at the end
 *     {type: "log", request, records}   likewise, the log records at INFO and above, from the snippet or
 *                                   a replayed one: [{snippet, logger, level, message}]; progress, never output
 *     {type: "started", request, names}   the replays are done: the requested snippet itself starts, and
 *                                   the namespace defines `names`
 *     {type: "result", request, output, parts, error, replayed, replay_errors, check, check_error, stopped,
 *      names}
 *         `output`: what the snippet printed (stdout and stderr, in order), each
 *           display as its one-line text stand-in, as the build's output fence has it.
 *         `parts`: the same in print order, [{text} | {display: {mime, data, text}}]:
 *           what display(obj), a last expression with a view (such as draw(e))
 *           or an open matplotlib figure showed, between the text printed before
 *           and after it. SVG and HTML are not sanitized yet: run.js does it.
 *         `error`: null, or {type, message: "NameError: …\n", line, traceback, …},
 *           where `line` is the line of the snippet's code it points at (or null).
 *           A snippet that raises as its `raises` says has no error: its error
 *           line ends its output, as in the build.
 *         `replayed`: ids of the earlier snippets run first; `replay_errors`:
 *           [{id, message}] for those that raised.
 *         `check`: null when no check was asked; else {status: "pass" | "fail" |
 *           "error", message}: "fail" carries the AssertionError's text (or the
 *           failing assert's line), "error" the exception of the code or of the
 *           checks. `check_error`: null, or the checks' exception described as
 *           `error` is, its `line` the line of the learner's code it went through.
 *         `stopped`: Stop interrupted the run (KeyboardInterrupt); what ran so
 *           far stays in the namespace. `names`: the names the namespace defines.
 *
 * Python can also die under a run: Pyodide stops for good when the browser's
 * own stack runs out, which a deep C recursion does long before Python's
 * recursion limit (freeing a chain of about 1,500 values at once, in Chromium).
 * The worker then answers "crashed", and the page starts a fresh one.
 */

// Loads a file by its path as a module of the given name, without putting its folder on sys.path.
const LOAD_BY_PATH = `
def load(name, path):
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
load`;

let ready = null; // a promise of the run_worker module, once "start" has come
let loaded = false; // Python and deepdive are loaded

self.onmessage = async ({ data }) => {
  if (data.type === "start") {
    ready = start(data);
    ready.then(
      ({ seconds }) => self.postMessage({ type: "ready", seconds }),
      error => self.postMessage({ type: "failed", message: String(error.message || error) }));
  } else if (data.type === "run") {
    answer(data).then(result => self.postMessage({ type: "result", request: data.request, ...result }),
                      error => loaded && self.postMessage({ type: "crashed", message: String(error) }));
  } // (a run that Python could not start is not answered here: "failed" has said why)
};

async function start({ runtime, wheels, env, interrupt }) {
  const started = performance.now();
  const say = text => self.postMessage({ type: "progress", text });
  say("Loading Python (once per visit)…");
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const [pyodide, semantics, runner] = await Promise.all([
    loadPyodide({ indexURL: runtime, env: { ...env, PYTHONHASHSEED: "0" } }),
    fetchText(new URL("semantics.py", import.meta.url)),
    fetchText(new URL("run_worker.py", import.meta.url)),
  ]);
  const names = wheels.map(url => decodeURIComponent(url.split("/").pop()).split("-")[0]);
  if (names.length) say(`Installing ${names.join(", ")}…`);
  await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: message => say(message) });
  pyodide.setStdin({ error: true }); // input() raises EOFError, as in the build
  pyodide.FS.mkdirTree("/lessonkit");
  pyodide.FS.writeFile("/lessonkit/semantics.py", semantics);  // run_worker.py loads it from next to itself
  pyodide.FS.writeFile("/lessonkit/run_worker.py", runner);
  const load = pyodide.runPython(LOAD_BY_PATH, { globals: pyodide.toPy({}) });
  const module = load("_lessonkit_run_worker", "/lessonkit/run_worker.py");
  if (interrupt) pyodide.setInterruptBuffer(interrupt);  // only now: a Stop never interrupts the loading
  loaded = true;
  return { module, seconds: (performance.now() - started) / 1000 };
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

async function answer({ request, replay, snippet, check }) {
  const { module } = await ready;
  const post = message => self.postMessage({ ...JSON.parse(message), request });  // live output and progress
  return JSON.parse(module.run(JSON.stringify({ replay, snippet, check: check ?? null }), post));
}
