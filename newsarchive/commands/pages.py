"""Commands on saved pages, no archive involved: parse one, compare two, replay a directory."""

import argparse
import json
import sys
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.clock import utc_now
from newsarchive.commands.common import EXIT_OK, UserError
from newsarchive.compare import compare
from newsarchive.output.files import atomic_output
from newsarchive.output.terminal import check_text
from newsarchive.parsers import page_for
from newsarchive.parsers.charset import with_best_encoding
from newsarchive.parsers.normalize import normalize
from newsarchive.replay import HEADERS_SUFFIX, ReplayServer, sample_url, stored_headers


def saved_response(path: Path, url: str | None) -> HtmlResponse:
    """A saved page as a response: URL given, or read from a samples/HOST/PATH file name, or a
    file: URL (generic extraction); the stored headers too when they are beside it."""
    url = url or sample_url(path) or path.resolve().as_uri()
    sidecar = path.with_name(path.name + HEADERS_SUFFIX)
    headers = stored_headers(path)[1] if sidecar.exists() else {}
    return HtmlResponse(url=url, body=path.read_bytes(), headers=headers)


_SNIFF = 8192


def _saved_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    data = path.read_bytes()
    if not data.strip():
        raise UserError(f"{path} is empty")
    if b"\x00" in data[:_SNIFF]:
        raise UserError(f"{path} is a binary file (a PDF, an image, a document?), not a page")
    return data


def parsed_page(path: Path, url: str | None, kind: str | None) -> dict:
    """The record a saved article page parses to (with its content hash, no fetch time);
    anything that is not an HTML article page is refused."""
    data = _saved_bytes(path)
    if b"<" not in data[:_SNIFF] or data.lstrip().startswith(b"%PDF"):
        raise UserError(f"{path} is not an HTML page")
    page = page_for(with_best_encoding(saved_response(path, url)), kind)
    if not page.is_article():
        raise UserError(f"{path} does not look like an article page (no title, or no text)")
    adapter = ItemAdapter(page.to_item())
    normalize(adapter, fetched_at=None)
    return adapter.asdict()


def parse(args: argparse.Namespace) -> int:
    print(json.dumps(parsed_page(args.file, args.url, args.kind), ensure_ascii=False, indent=2))
    return EXIT_OK


def _text(path: Path) -> str:
    """A text file's text: UTF-8 (a BOM allowed), else GB18030, as Chinese files come."""
    data = _saved_bytes(path)
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path} is neither UTF-8 nor GB18030 text")


def load_page(path: Path, url: str | None, kind: str) -> dict:
    """A record from a saved page (.html, parsed) or a text file (.txt, one paragraph a line)."""
    if path.suffix == ".txt":
        lines = _text(path).splitlines()
        paragraphs = [line.strip() for line in lines if line.strip()]
        return {"url": url or path.resolve().as_uri(), "kind": kind, "paragraphs": paragraphs}
    return parsed_page(path, url, kind)


def compare_files(args: argparse.Namespace) -> int:
    reprint = load_page(args.reprint, args.reprint_url, "reprint")
    original = load_page(args.original, args.original_url, "original")
    result = ItemAdapter(compare(reprint, original, checked_at=utc_now())).asdict()
    if args.format == "json":
        output = json.dumps(result, ensure_ascii=False, indent=2)
    elif args.format == "html":
        from newsarchive.output.report import pair_page  # Jinja2 only when a page is wanted

        output = pair_page(result, reprint, original)
    else:
        output = check_text(result)
    with atomic_output(args.output) as file:
        file.write((output + "\n").encode("utf-8"))
    return EXIT_OK


def replay(args: argparse.Namespace) -> int:
    try:
        server = ReplayServer(args.directory, port=args.port)
    except OSError as error:  # a missing directory, or the port is taken
        raise UserError(str(error)) from error
    print(
        f"Replaying {args.directory} as an HTTP proxy at {server.proxy_url} (Ctrl-C stops)\n"
        f"  curl -x {server.proxy_url} http://zjifz.org.cn/show-10595.html\n"
        f"  scrapy shell -s NEWSARCHIVE_REPLAY_PROXY={server.proxy_url} URL",
        file=sys.stderr,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
