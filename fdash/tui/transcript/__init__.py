"""The transcript view (`v` on a session in Sessions, Favorites, the search results and
Activity's day list): the session's prompts, replies and tool calls over the whole body,
scrolled with the list keys; Esc returns to the row it came from."""
