"""The one inline script of public pages, and its hash for the Content-Security-Policy.

It applies the reader's saved font size and contrast before the first paint (no flash of the
default size); everything else lives in ``portal.js``.  The policy (``portal.csp``) allows
exactly these bytes, so the script and its hash are kept in one place.
"""

from __future__ import annotations

import base64
import hashlib

HEAD_SCRIPT = (
    "(function(d){try{var s=localStorage.getItem('portal.fontScale'),"
    "c=localStorage.getItem('portal.contrast');"
    "if(s)d.documentElement.setAttribute('data-font-scale',s);"
    "if(c==='high')d.documentElement.classList.add('high-contrast');}catch(e){}"
    "d.documentElement.classList.add('js');})(document);"
)


def source_hash(source: str) -> str:
    """A CSP source expression (``'sha256-…'``) allowing exactly ``source``."""
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


HEAD_SCRIPT_HASH = source_hash(HEAD_SCRIPT)
