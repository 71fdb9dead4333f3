"""The core: scan, parse, index, aggregate, pricing, config. No UI imports."""
