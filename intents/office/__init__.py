"""The programme office's domain helpers: scores for lists and rankings, charts, exports."""
