"""How samples/ stores a page: `HOST/PATH` bytes, with status and headers beside them.

See samples/README.md, "Storage format". The replay server, the parse and compare commands and
the tests all find pages through these functions.
"""

import json
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

HEADERS_SUFFIX = ".headers.json"
EXPECTED_SUFFIX = ".expected.json"
CHECK_SUFFIX = ".check.json"
SIDECAR_SUFFIXES = (HEADERS_SUFFIX, EXPECTED_SUFFIX, CHECK_SUFFIX)
QUERY_MARK = "%3F"  # `?` in a stored file name: index.php?c=show&id=1 -> index.php%3Fc=show&id=1


@lru_cache(maxsize=4096)
def _host_dir(root: Path, host: str) -> Path:
    """A host's directory, resolved once: resolving walks every directory above it, and was
    half of the replay server's work for a page."""
    return (root / host).resolve()


def sample_path(root: Path, url: str) -> Path | None:
    """Where the page for `url` is stored under `root`, or None if the URL cannot be stored.

    A path ending in `/` is stored as `index.html`; the query string stays in the file name.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = unquote(parts.path) or "/"
    if path.endswith("/"):
        path += "index.html"
    name = path.lstrip("/") + (QUERY_MARK + parts.query if parts.query else "")
    host_dir = _host_dir(root, parts.hostname)
    candidate = (host_dir / name).resolve()
    if not candidate.is_relative_to(host_dir):
        return None
    return candidate


_HOST_NAME = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def sample_url(page: Path) -> str | None:
    """The URL a stored page was served at, read from its path (`…/HOST/PATH`), if it has one."""
    parts = page.resolve().parts
    for index in range(len(parts) - 2, 0, -1):
        if _HOST_NAME.match(parts[index]):
            path = "/".join(parts[index + 1 :]).replace(QUERY_MARK, "?", 1)
            if path == "index.html" or path.endswith("/index.html"):
                path = path.removesuffix("index.html")
            return f"http://{parts[index]}/{path}"
    return None


def has_samples_layout(root: Path) -> bool:
    """Whether `root` is a directory of pages stored by host (`HOST/PATH`)."""
    return root.is_dir() and any(
        child.is_dir() and _HOST_NAME.match(child.name) for child in root.iterdir()
    )


def stored_headers(page: Path) -> tuple[int, dict[str, str]]:
    """Status and headers recorded for a page, or 200 with a content type guessed from its name."""
    sidecar = page.with_name(page.name + HEADERS_SUFFIX)
    if sidecar.exists():
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
        return int(recorded.get("status", 200)), dict(recorded.get("headers", {}))
    guessed, _ = mimetypes.guess_type(page.name.split(QUERY_MARK)[0])
    if guessed is None or "php" in guessed:
        guessed = "text/html"
    return 200, {"Content-Type": guessed}
