"""Rich renderables for the command line's reports (`fdash stats`, `projects`, `watch`, …),
one module per report.

Every piece of text that comes from a session file goes through `fdash.core.text`
and into a `rich.text.Text`, so it can neither move the cursor nor be read as markup.
"""
