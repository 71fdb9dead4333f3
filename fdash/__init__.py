"""fdash: a fast, exact terminal dashboard for Factory.ai Droid sessions."""

__version__ = "0.1.0"
