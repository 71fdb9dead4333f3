"""The full-screen dashboard (prompt_toolkit + Rich); `run` is in fdash.tui.app."""
