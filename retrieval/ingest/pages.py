"""Pages (Markdown, HTML, plain text): sections by heading, then sentence-aware chunks."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePosixPath

from retrieval.documents import Chunk, content_hash
from retrieval.ingest.chunking import chunk_text

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_MARKUP = re.compile(r"[*_`>]|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)


def _sections(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the page title (first H1) and (heading path, body) sections."""
    title = ""
    path: list[str] = []
    sections: list[tuple[str, str]] = []
    body: list[str] = []

    def flush() -> None:
        text = "\n".join(body).strip()
        if text:
            sections.append((" > ".join(path), text))
        body.clear()

    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, name = len(heading.group(1)), heading.group(2)
            if level == 1 and not title:
                title = name
            path[:] = path[: level - 1] + [name]
        else:
            body.append(line)
    flush()
    return title, sections


def read_markdown(text: str, source: str, max_chars: int, overlap: int) -> list[Chunk]:
    """One chunk per size-limited piece of each section; headings give the chunk titles."""
    doc_id = str(PurePosixPath(source).with_suffix(""))
    version = content_hash(text)
    page_title, sections = _sections(text)
    page_title = page_title or PurePosixPath(source).stem
    links = sorted(set(url for _, url in _LINK.findall(text)))
    chunks: list[Chunk] = []
    for heading, body in sections:
        plain = _MARKUP.sub("", _LINK.sub(r"\1", body))
        title = heading if heading.startswith(page_title) else f"{page_title} > {heading}".rstrip(" >")
        for piece in chunk_text(plain, max_chars, overlap):
            chunks.append(Chunk(
                chunk_id=f"{doc_id}#{len(chunks)}",
                doc_id=doc_id,
                version=version,
                source=source,
                title=title,
                text=piece,
                views=[f"{title} {piece}"],
                links=links,
            ))
    return chunks


class _HtmlToMarkdown(HTMLParser):
    """Keeps headings (as Markdown) and visible text; drops scripts and styles."""

    _SKIP = {"script", "style", "noscript", "head"}
    _BLOCK = {"p", "div", "li", "br", "tr", "section", "article", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip_depth = 0
        self._links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("http"):
                self._links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data.strip())

    def markdown(self) -> str:
        links = "".join(f"\n[链接]({url})" for url in self._links)
        return "".join(self.parts) + links


def read_html(text: str, source: str, max_chars: int, overlap: int) -> list[Chunk]:
    parser = _HtmlToMarkdown()
    parser.feed(text)
    return read_markdown(parser.markdown(), source, max_chars, overlap)


def read_text(text: str, source: str, max_chars: int, overlap: int) -> list[Chunk]:
    """Plain text has no structure: the first line is the title."""
    first, _, rest = text.strip().partition("\n")
    return read_markdown(f"# {first.strip()}\n{rest}", source, max_chars, overlap)
