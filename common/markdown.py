"""Markdown that people write (minutes, evaluations, future work) as HTML safe to show."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def sanitised_html(text: str) -> SafeString:
    """`text` (Markdown) as HTML, sanitised: scripts, styles, event handlers and other active
    content are dropped; links get rel="noopener noreferrer"."""
    return mark_safe(nh3.clean(markdown.markdown(text, extensions=["extra", "sane_lists"])))
