"""Markdown written by people (minutes, election statements) as HTML safe to show anyone."""

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe


def markdown_html(text: str) -> SafeString:
    """Markdown as HTML, sanitised: scripts, styles, event handlers and other active content
    are dropped; links get rel="noopener noreferrer"."""
    return mark_safe(nh3.clean(markdown.markdown(text, extensions=["extra", "sane_lists"])))
