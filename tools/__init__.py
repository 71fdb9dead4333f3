"""Developer tools (not installed): the test corpus generator, the benchmark, screenshots."""
