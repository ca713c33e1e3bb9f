"""Side-by-side benchmarks of torchless against torch (run: python -m benchmarks)."""
