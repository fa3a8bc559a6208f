"""Server-rendered web pages: each module defines `router` and `PERMISSIONS` (see api/web.py)."""
