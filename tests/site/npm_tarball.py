"""One file of a pinned npm package, from the registry's tarball, after checking the tarball's sha512 integrity.

What the tests of vendored front-end files share: each names the tarball, npm's
`dist.integrity` for it (`npm view NAME@VERSION dist --json`) and the member it
vendors, and compares that member with the file in lessonkit's assets.
"""

import base64
import hashlib
import io
import tarfile
import urllib.request


def checked_member(tarball_url, integrity, member):
    """The bytes of `member` (such as "package/dist/purify.es.mjs") of the tarball at `tarball_url`, once the
    tarball matches `integrity`; OSError when the registry cannot be reached."""
    with urllib.request.urlopen(tarball_url, timeout=60) as response:
        tarball = response.read()
    found = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    assert found == integrity, f"{tarball_url} does not match its pinned integrity (got {found})"
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        return archive.extractfile(member).read()
