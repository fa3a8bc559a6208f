"""Reports of the harness: markdown and self-contained HTML with matplotlib plots."""
