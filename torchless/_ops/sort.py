"""(being written)"""

from __future__ import annotations

__all__: list = []

# Tensor methods that are this family's functions (self first)
TENSOR_METHODS: dict = {}
