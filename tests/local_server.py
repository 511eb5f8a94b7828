"""A folder served over HTTP on 127.0.0.1, as a learner's browser or Jupyter would fetch the site."""

import contextlib
import functools
import http.server
import threading


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(folder):
    """The folder served on 127.0.0.1 at a free port: its URL.

    Files are read when they are asked for, so the folder may be filled after the
    server starts: a site can be built for the address it is served at.
    """
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
