"""The office's forms: a module for each group of pages."""
