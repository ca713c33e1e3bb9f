"""Op families: one file each, forward on arrays and backward side by side."""
