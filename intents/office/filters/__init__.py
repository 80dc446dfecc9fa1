"""The filters of the office's lists: a module for each list."""
