"""mkdocs hook: the two headings mkdocs-click writes in English ("Usage:", "Options:") in Dutch, as the
CLI itself prints them (cli/nl_click.py)."""

from __future__ import annotations

WOORDEN = {"<strong>Usage:</strong>": "<strong>Gebruik:</strong>", "<strong>Options:</strong>": "<strong>Opties:</strong>"}


def on_page_content(html: str, **_: object) -> str:
    for engels, nederlands in WOORDEN.items():
        html = html.replace(engels, nederlands)
    return html
