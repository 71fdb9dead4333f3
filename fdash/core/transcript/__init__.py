"""One transcript read for display, lazily: line offsets first (`lines`), then only the
lines on screen decoded into display records (`records`), laid out as rows (`rows`),
scrolled and searched (`pager`). Nothing here writes, and no UI is imported."""
